import { defineStore } from 'pinia';
import { ref } from 'vue';
import { REALTIME_EVENTS } from '@iescp/shared';
import { api } from '@/api/client';
import type { AppNotification, ChatMessage } from '@/api/types';
import { useAuthStore } from './auth';
import { useDealsStore } from './deals';
import { useRealtimeStore } from './realtime';

/**
 * The signed-in person's unread counts (messages for sponsors and influencers, notifications
 * for everyone), kept live by pushes and re-read from the API after reconnects and reads.
 */
export const useInboxStore = defineStore('inbox', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();
  const deals = useDealsStore();
  const unreadMessages = ref(0);
  const unreadNotifications = ref(0);
  let unsubscribe: (() => void)[] = [];

  async function refresh(): Promise<void> {
    try {
      const hasChat = auth.role === 'sponsor' || auth.role === 'influencer';
      const [messages, notifications] = await Promise.all([
        hasChat ? api.conversations.unreadCount() : Promise.resolve({ count: 0 }),
        api.notifications.unreadCount(),
      ]);
      unreadMessages.value = messages.count;
      unreadNotifications.value = notifications.count;
    } catch {
      // Counts are a convenience; the next push or reconnect tries again.
    }
  }

  /** Starts listening for the signed-in person (idempotent). */
  function start(): void {
    if (unsubscribe.length > 0) return;
    unsubscribe = [
      realtime.on<ChatMessage>(REALTIME_EVENTS.message, (message) => {
        if (message.senderId !== auth.user?.id) unreadMessages.value += 1;
      }),
      realtime.on<AppNotification>(REALTIME_EVENTS.notification, (notification) => {
        unreadNotifications.value += 1;
        // Approval and a flag change what the person may do: pick up the new standing at once.
        if (notification.type === 'sponsor_approved' || notification.type === 'account_flagged') {
          void auth.reload().catch(() => undefined);
        }
      }),
      // The "awaiting me" badge follows deal changes made by the other party or a timer.
      realtime.on(REALTIME_EVENTS.adRequest, () => void deals.refresh()),
      realtime.onResync(() => {
        void refresh();
        void deals.refresh();
      }),
    ];
    void refresh();
  }

  function stop(): void {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    unreadMessages.value = 0;
    unreadNotifications.value = 0;
  }

  return { unreadMessages, unreadNotifications, refresh, start, stop };
});
