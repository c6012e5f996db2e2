/**
 * Notifications in the web app: icons per type, relative times and email choices per role.
 * The live list itself is `useNotificationFeed` in composables.
 */
import {
  NOTIFICATION_LABELS,
  NOTIFICATION_ROLES,
  NOTIFICATION_TYPES,
  type NotificationType,
  type Role,
} from '@iescp/shared';
import { formatDate } from '@/lib/format';

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
  review_reminder: { icon: 'bi-star', tone: 'accent' },
  review_received: { icon: 'bi-star-fill', tone: 'success' },
  review_hidden: { icon: 'bi-eye-slash', tone: 'danger' },
  new_message: { icon: 'bi-chat-dots', tone: 'brand' },
  daily_reminder: { icon: 'bi-alarm', tone: 'accent' },
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
  { title: 'Reviews', types: ['review_reminder', 'review_received', 'review_hidden'] },
  { title: 'Your account', types: ['sponsor_approved', 'account_flagged', 'campaign_flagged'] },
  { title: 'Messages and reminders', types: ['new_message', 'daily_reminder'] },
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
