/**
 * How the Messages page words, orders and merges conversations and messages. Pure functions:
 * the views and the thread composable hold the state.
 */
import { AD_REQUEST_STATUSES, type AdRequestStatus, type Role } from '@iescp/shared';
import type { ChatMessage, Conversation } from '@/api/types';
import { oneLine } from '@/lib/format';

/** Messages per page of a thread; a screenful and a bit. */
export const THREAD_PAGE_SIZE = 30;
/** Conversations per page of the list. */
export const CONVERSATION_PAGE_SIZE = 20;
/** The character counter shows once this much of the limit is used. */
export const COUNTER_THRESHOLD = 0.8;

type Other = Conversation['otherParty'];

/** The name a conversation goes by: the brand for a sponsor, the creator's name otherwise. */
export function partyTitle(other: Other): string {
  return other.companyName?.trim() || other.displayName;
}

/** The person behind a brand, shown under its name; null when the title already is the person. */
export function partySubtitle(other: Other): string | null {
  return other.companyName?.trim() ? other.displayName : null;
}

export const PARTY_ROLE_LABELS: Partial<Record<Role, string>> = { sponsor: 'Brand', influencer: 'Creator' };

/** The other party's public profile page. */
export function profileRoute(other: Other) {
  return other.role === 'sponsor'
    ? { name: 'sponsor-profile', params: { id: other.id } }
    : { name: 'influencer-profile', params: { id: other.id } };
}

// ——— Order and merge ———

function byCreated(a: ChatMessage, b: ChatMessage): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Messages oldest first, each once. A message can arrive twice (the POST answer and the push,
 * or a resync page overlapping what is shown); the copy already held wins.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const seen = new Set(current.map((message) => message.id));
  const added = incoming.filter((message) => {
    if (seen.has(message.id)) return false;
    seen.add(message.id);
    return true;
  });
  if (added.length === 0) return current as ChatMessage[];
  return [...current, ...added].sort(byCreated);
}

/** Whether `a` is newer than `b` (null counts as oldest). */
export function isNewer(a: ChatMessage, b: ChatMessage | null): boolean {
  return b === null || byCreated(a, b) > 0;
}

/** Conversations most recent first, as the server lists them. */
export function sortConversations(items: readonly Conversation[]): Conversation[] {
  return [...items].sort((a, b) =>
    a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a.id < b.id ? 1 : -1,
  );
}

/** Puts fresh copies of conversations into the list (replacing older copies) and re-sorts it. */
export function upsertConversations(current: readonly Conversation[], fresh: readonly Conversation[]): Conversation[] {
  const byId = new Map(current.map((item) => [item.id, item]));
  for (const item of fresh) byId.set(item.id, item);
  return sortConversations([...byId.values()]);
}

/**
 * A conversation after a new message: it becomes the last message and the conversation moves
 * to the top; it counts as unread when someone else wrote it (or the system) and the person
 * is not reading this conversation right now.
 */
export function withMessage(
  conversation: Conversation,
  message: ChatMessage,
  options: { myId: string | undefined; reading: boolean },
): Conversation {
  if (!isNewer(message, conversation.lastMessage)) return conversation;
  const unread = !options.reading && message.senderId !== options.myId;
  return {
    ...conversation,
    lastMessage: message,
    unreadCount: unread ? conversation.unreadCount + 1 : options.reading ? 0 : conversation.unreadCount,
    updatedAt: message.createdAt > conversation.updatedAt ? message.createdAt : conversation.updatedAt,
  };
}

// ——— Words ———

/** The one-line preview of a conversation's last message. */
export function previewText(message: ChatMessage | null, myId: string | undefined): string {
  if (!message) return 'No messages yet';
  const text = oneLine(message.body);
  return message.kind === 'text' && message.senderId === myId ? `You: ${text}` : text;
}

interface EventStyle {
  title: string;
  icon: string;
}

const EVENT_STYLES: Record<string, EventStyle> = {
  edit: { title: 'Offer edited', icon: 'bi-pencil-square' },
  counter: { title: 'Counter-offer', icon: 'bi-arrow-left-right' },
  accept: { title: 'Offer accepted', icon: 'bi-hand-thumbs-up' },
  reject: { title: 'Offer rejected', icon: 'bi-x-circle' },
  withdraw: { title: 'Request withdrawn', icon: 'bi-arrow-counterclockwise' },
  deliver: { title: 'Work delivered', icon: 'bi-box-seam' },
  request_revision: { title: 'Revision requested', icon: 'bi-arrow-repeat' },
  complete: { title: 'Approved and paid', icon: 'bi-cash-coin' },
  auto_complete: { title: 'Paid automatically', icon: 'bi-cash-coin' },
  cancel: { title: 'Deal cancelled', icon: 'bi-slash-circle' },
  expire: { title: 'Offer expired', icon: 'bi-clock-history' },
  delete: { title: 'Request removed', icon: 'bi-trash' },
};

/**
 * The heading and icon of a deal event card. A new request is an invitation when the brand
 * opened it and an application when the creator did.
 */
export function eventStyle(action: string | undefined, senderRole: Role | null): EventStyle {
  if (action === 'create') {
    return senderRole === 'influencer'
      ? { title: 'Application', icon: 'bi-person-raised-hand' }
      : { title: 'Invitation', icon: 'bi-envelope-paper' };
  }
  return (action && EVENT_STYLES[action]) || { title: 'Deal update', icon: 'bi-briefcase' };
}

/** The event's status when it is one the web app knows (the API types it as a string). */
export function eventStatus(message: ChatMessage): AdRequestStatus | null {
  const status = message.event?.status;
  return status && (AD_REQUEST_STATUSES as readonly string[]).includes(status) ? (status as AdRequestStatus) : null;
}

// ——— Time ———

const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short' });
const shortDateFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const shortDateYearFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
const longDayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric' });
const longDayYearFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short' });

/** The local calendar day of a timestamp, `YYYY-M-D`: for grouping, not display. */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole local days between the timestamp's day and today's. */
function daysAgo(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
}

/** "3:05 PM": the time on a message. */
export function formatMessageTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** "Friday, March 6, 2026 at 3:05 PM": a message time's tooltip. */
export function formatFullTime(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** The list's short time: "now", "5m", "3:05 PM" today, "Yesterday", "Tue", "Mar 4", "Mar 4, 2025". */
export function formatListTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const minutes = Math.floor((now.getTime() - date.getTime()) / 60_000);
  const days = daysAgo(date, now);
  if (days <= 0) {
    if (minutes < 1) return 'now';
    if (minutes < 60) return `${minutes}m`;
    return timeFormat.format(date);
  }
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekdayFormat.format(date);
  return date.getFullYear() === now.getFullYear() ? shortDateFormat.format(date) : shortDateYearFormat.format(date);
}

/** A day separator in a thread: "Today", "Yesterday", "Monday, March 2". */
export function formatDayLabel(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const days = daysAgo(date, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.getFullYear() === now.getFullYear() ? longDayFormat.format(date) : longDayYearFormat.format(date);
}

/** Messages of one sender this close together read as one group (tighter spacing). */
const GROUP_GAP_MS = 5 * 60_000;

export type ThreadRow =
  | { type: 'day'; key: string; label: string }
  | { type: 'message'; key: string; message: ChatMessage; groupStart: boolean };

/** The thread's rows: the messages with a separator before each new day. */
export function threadRows(messages: readonly ChatMessage[], now: Date = new Date()): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let previous: ChatMessage | null = null;
  for (const message of messages) {
    const day = dayKey(message.createdAt);
    const newDay = !previous || dayKey(previous.createdAt) !== day;
    if (newDay) rows.push({ type: 'day', key: `day-${day}`, label: formatDayLabel(message.createdAt, now) });
    const groupStart =
      newDay ||
      !previous ||
      previous.kind !== 'text' ||
      message.kind !== 'text' ||
      previous.senderId !== message.senderId ||
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) > GROUP_GAP_MS;
    rows.push({ type: 'message', key: message.id, message, groupStart });
    previous = message;
  }
  return rows;
}
