/**
 * The signed-in person's notifications: the live feed the navbar bell and the notifications
 * page show, marking read, and the email settings. The one place that calls `api.notifications`.
 */
import { REALTIME_EVENTS } from '@iescp/shared';
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { api } from '@/api/client';
import type { AppNotification, NotificationSettings, NotificationSettingsPatch } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { pageQuery } from '@/lib/paging';
import { useInboxStore } from '@/stores/inbox';
import { useRealtimeStore } from '@/stores/realtime';
import { useToastStore } from '@/stores/toasts';

/** The current time, ticking every `intervalMs` while the calling component is mounted. */
export function useNow(intervalMs = 30_000): Ref<number> {
  const now = ref(Date.now());
  const timer = window.setInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  onBeforeUnmount(() => window.clearInterval(timer));
  return now;
}

/**
 * A live page of the signed-in person's notifications, newest first: pushed ones are put on top,
 * a reconnect reloads, and reads update the navbar's unread count at once (then re-read it).
 * `max` keeps a short list short (the bell's dropdown); `unreadOnly` filters on the server.
 */
export function useNotificationFeed(options: { pageSize: number; max?: number; unreadOnly?: () => boolean }) {
  const inbox = useInboxStore();
  const realtime = useRealtimeStore();
  const toasts = useToastStore();
  const list = useKeysetList<AppNotification>((cursor) =>
    api.notifications.list({
      ...pageQuery(options.pageSize, cursor),
      ...(options.unreadOnly?.() ? { unread: true } : {}),
    }),
  );

  function setRead(id: string, readAt: string | null): void {
    list.items.value = list.items.value.map((item) => (item.id === id ? { ...item, readAt } : item));
  }

  const offPush = realtime.on<AppNotification>(REALTIME_EVENTS.notification, (notification) => {
    if (!list.loaded.value || list.items.value.some((item) => item.id === notification.id)) return;
    const items = [notification, ...list.items.value];
    list.items.value = options.max ? items.slice(0, options.max) : items;
  });
  const offResync = realtime.onResync(() => {
    if (list.loaded.value) void list.reload();
  });
  onBeforeUnmount(() => {
    offPush();
    offResync();
  });

  // Nothing unread any more (read elsewhere in the app): the rows on screen follow.
  watch(
    () => inbox.unreadNotifications,
    (count) => {
      if (count > 0) return;
      const now = new Date().toISOString();
      list.items.value = list.items.value.map((item) => (item.readAt ? item : { ...item, readAt: now }));
    },
  );

  /** Marks one read (optimistically); a failure puts it back and says so. */
  async function markRead(notification: AppNotification): Promise<void> {
    if (notification.readAt) return;
    setRead(notification.id, new Date().toISOString());
    inbox.unreadNotifications = Math.max(0, inbox.unreadNotifications - 1);
    try {
      list.replace(await api.notifications.markRead(notification.id));
    } catch (error) {
      setRead(notification.id, null);
      toasts.error(error, 'Could not mark the notification read');
    }
    void inbox.refresh();
  }

  const markingAll = ref(false);
  /** Marks every notification read; resolves to how many were unread, or null on failure. */
  async function markAllRead(): Promise<number | null> {
    if (markingAll.value) return null;
    markingAll.value = true;
    try {
      const { count } = await api.notifications.markAllRead();
      const now = new Date().toISOString();
      list.items.value = list.items.value.map((item) => (item.readAt ? item : { ...item, readAt: now }));
      inbox.unreadNotifications = 0;
      return count;
    } catch (error) {
      toasts.error(error, 'Could not mark notifications read');
      return null;
    } finally {
      markingAll.value = false;
      void inbox.refresh();
    }
  }

  return { list, markRead, markAllRead, markingAll };
}

/** Marks one notification read (a followed live toast); the caller updates the counts. */
export const markNotificationRead = (id: string) => api.notifications.markRead(id);

export const fetchNotificationSettings = (): Promise<NotificationSettings> => api.notifications.settings();
export const updateNotificationSettings = (body: NotificationSettingsPatch): Promise<NotificationSettings> =>
  api.notifications.updateSettings(body);

/** The unsubscribe page's one call (public): the answer names the kind of mail now off. */
export const unsubscribeByToken = (token: string): Promise<{ kind: string; email: false }> =>
  api.notifications.unsubscribe(token);
