/**
 * Notifications in the web app: icons per type, relative times, email choices per role, and the
 * list both the navbar bell and the notifications page show.
 */
import {
  NOTIFICATION_LABELS,
  NOTIFICATION_ROLES,
  NOTIFICATION_TYPES,
  REALTIME_EVENTS,
  type NotificationType,
  type Role,
} from '@iescp/shared';
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { api } from '@/api/client';
import type { AppNotification } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { formatDate } from '@/lib/format';
import { useInboxStore } from '@/stores/inbox';
import { useRealtimeStore } from '@/stores/realtime';
import { useToastStore } from '@/stores/toasts';

export type NotificationTone = 'brand' | 'accent' | 'success' | 'danger' | 'neutral';

/** A bootstrap-icons name and a colour per type, so a list reads at a glance. */
export const NOTIFICATION_ICONS: Record<NotificationType, { icon: string; tone: NotificationTone }> = {
  offer_received: { icon: 'bi-envelope-paper', tone: 'brand' },
  offer_updated: { icon: 'bi-pencil-square', tone: 'brand' },
  counter_offer: { icon: 'bi-arrow-left-right', tone: 'accent' },
  offer_accepted: { icon: 'bi-check2-circle', tone: 'success' },
  offer_rejected: { icon: 'bi-x-circle', tone: 'danger' },
  offer_withdrawn: { icon: 'bi-arrow-counterclockwise', tone: 'neutral' },
  offer_expired: { icon: 'bi-hourglass-bottom', tone: 'neutral' },
  offer_removed: { icon: 'bi-trash3', tone: 'neutral' },
  work_delivered: { icon: 'bi-box-seam', tone: 'brand' },
  revision_requested: { icon: 'bi-arrow-repeat', tone: 'accent' },
  deal_completed: { icon: 'bi-cash-coin', tone: 'success' },
  deal_cancelled: { icon: 'bi-slash-circle', tone: 'danger' },
  sponsor_approved: { icon: 'bi-patch-check', tone: 'success' },
  account_flagged: { icon: 'bi-flag', tone: 'danger' },
  campaign_flagged: { icon: 'bi-flag', tone: 'danger' },
};

/** The settings card's sections; a type missing here still shows, under "Other". */
const EMAIL_GROUPS: { title: string; types: readonly NotificationType[] }[] = [
  {
    title: 'Offers',
    types: [
      'offer_received',
      'offer_updated',
      'counter_offer',
      'offer_accepted',
      'offer_rejected',
      'offer_withdrawn',
      'offer_expired',
      'offer_removed',
    ],
  },
  { title: 'Work and payment', types: ['work_delivered', 'revision_requested', 'deal_completed', 'deal_cancelled'] },
  { title: 'Your account', types: ['sponsor_approved', 'account_flagged', 'campaign_flagged'] },
];

export interface EmailChoiceGroup {
  title: string;
  choices: { type: NotificationType; label: string }[];
}

/**
 * The types a person of this role can receive, grouped for the settings card. Admins receive
 * none (moderation reaches sponsors and influencers), so they get an empty list.
 */
export function emailChoicesFor(role: Role | null | undefined): EmailChoiceGroup[] {
  if (role !== 'sponsor' && role !== 'influencer') return [];
  const applies = (type: NotificationType) => NOTIFICATION_ROLES[type]?.includes(role) ?? true;
  const grouped = new Set(EMAIL_GROUPS.flatMap((group) => group.types));
  const groups = [...EMAIL_GROUPS, { title: 'Other', types: NOTIFICATION_TYPES.filter((type) => !grouped.has(type)) }];
  return groups
    .map((group) => ({
      title: group.title,
      choices: group.types.filter(applies).map((type) => ({ type, label: NOTIFICATION_LABELS[type] })),
    }))
    .filter((group) => group.choices.length > 0);
}

/**
 * A notification's `link` when it stays inside the app; anything else (another host, a
 * `javascript:` URL) falls back to the notifications page.
 */
export function notificationTarget(link: string): string {
  const inside = link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\');
  return inside ? link : '/notifications';
}

const relativeFormat = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const timeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** "just now", "5 minutes ago", "yesterday", then the date once it is more than a week old. */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relativeFormat.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relativeFormat.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 7) return relativeFormat.format(-days, 'day');
  return formatDate(iso);
}

/** The full date and time, for a `title` beside a relative time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}

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
      limit: options.pageSize,
      ...(cursor ? { cursor } : {}),
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
