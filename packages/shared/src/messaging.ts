/**
 * Messages, notifications and their real-time events (API.md "Messages and notifications"):
 * the names the server emits and the web app listens for, defined once.
 */
export const MESSAGE_KINDS = ['text', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * What a notification is about. Users pick per type which ones also come by email; the in-app
 * row is always written.
 */
export const NOTIFICATION_TYPES = [
  'offer_received',
  'offer_updated',
  'counter_offer',
  'offer_accepted',
  'offer_rejected',
  'offer_withdrawn',
  'offer_expired',
  'offer_removed',
  'work_delivered',
  'revision_requested',
  'deal_completed',
  'deal_cancelled',
  'sponsor_approved',
  'account_flagged',
  'campaign_flagged',
  'review_reminder',
  'review_received',
  'review_hidden',
  // Email only: the chat shows messages itself, and the reminder is a daily digest.
  'new_message',
  'daily_reminder',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Whether a type is emailed, from a user's stored choices: every type is, unless turned off. */
export function emailsTypeIn(stored: Readonly<Record<string, boolean>>, type: NotificationType): boolean {
  return stored[type] ?? true;
}

/** Settings page labels, in the order shown. */
export const NOTIFICATION_LABELS: Record<NotificationType, string> = {
  offer_received: 'New offers and applications',
  offer_updated: 'Edited offers',
  counter_offer: 'Counter-offers',
  offer_accepted: 'Accepted offers',
  offer_rejected: 'Rejected offers',
  offer_withdrawn: 'Withdrawn offers',
  offer_expired: 'Expired offers',
  offer_removed: 'Closed requests removed by the sponsor',
  work_delivered: 'Delivered work',
  revision_requested: 'Revision requests',
  deal_completed: 'Completed and paid deals',
  deal_cancelled: 'Cancelled deals',
  sponsor_approved: 'Sponsor account approved',
  account_flagged: 'Your account flagged by moderation',
  campaign_flagged: 'Your campaign flagged by moderation',
  review_reminder: 'Reminders to review a completed deal',
  review_received: 'Reviews of you, once published',
  review_hidden: 'Your review hidden by moderation',
  new_message: 'New chat messages (one email per conversation every few minutes)',
  daily_reminder: 'Daily reminder of what awaits you',
};

/** Types that only ever reach one role, so settings show each user just their own. */
export const NOTIFICATION_ROLES: Partial<Record<NotificationType, readonly ('sponsor' | 'influencer')[]>> = {
  offer_removed: ['influencer'],
  work_delivered: ['sponsor'],
  revision_requested: ['influencer'],
  sponsor_approved: ['sponsor'],
  campaign_flagged: ['sponsor'],
};

/** Socket.IO events the server emits to the users concerned (path `/socket.io`). */
export const REALTIME_EVENTS = {
  /** A new message (text or negotiation event) in one of the user's conversations. */
  message: 'message',
  /** A new notification for the user. */
  notification: 'notification',
  /** An ad request the user is a party of changed: `{id, status, updatedAt}`; refetch it for details. */
  adRequest: 'ad-request',
} as const;

export interface AdRequestChange {
  id: string;
  status: string;
  updatedAt: string;
}
