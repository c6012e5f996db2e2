import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MESSAGE_KINDS } from '@iescp/shared';
import { adRequests } from './ad-requests.js';
import { ts, users } from './users.js';

export const messageKindEnum = pgEnum('message_kind', MESSAGE_KINDS);

/**
 * The one conversation of a sponsor–influencer pair. Each side's unread count and read mark
 * live on the row and change in the transaction that adds a message, so lists never count.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sponsorId: uuid('sponsor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    influencerId: uuid('influencer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** Null until the first message. No FK: messages reference conversations. */
    lastMessageId: uuid('last_message_id'),
    sponsorUnread: integer('sponsor_unread').notNull().default(0),
    influencerUnread: integer('influencer_unread').notNull().default(0),
    sponsorReadAt: ts('sponsor_read_at'),
    influencerReadAt: ts('influencer_read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Time of the last message (or creation): the conversation list's order. */
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_pair_key').on(t.sponsorId, t.influencerId),
    index('conversations_sponsor_idx').on(t.sponsorId, t.updatedAt, t.id),
    index('conversations_influencer_idx').on(t.influencerId, t.updatedAt, t.id),
    check('conversations_unread_non_negative', sql`${t.sponsorUnread} >= 0 and ${t.influencerUnread} >= 0`),
  ],
);

/**
 * Chat history, append-only. `text` messages are stored exactly as typed; `event` messages are
 * written by the ad-request service in the transaction of the action they report.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Null for system events (timers). */
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'restrict' }),
    kind: messageKindEnum('kind').notNull(),
    body: text('body').notNull(),
    adRequestId: uuid('ad_request_id').references(() => adRequests.id, { onDelete: 'restrict' }),
    /** For events: `{action, status, paymentCents}` so the chat card needs no second request. */
    event: jsonb('event').$type<{ action: string; status: string; paymentCents: number }>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt, t.id),
    check('messages_body_length', sql`char_length(${t.body}) between 1 and 4000`),
    check('messages_text_has_sender', sql`${t.kind} = 'event' or ${t.senderId} is not null`),
    check('messages_event_shape', sql`(${t.kind} = 'event') = (${t.event} is not null)`),
  ],
);

/** In-app notifications; `link` is a path of the web app. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link').notNull(),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/** Which notification types also come by email, per user; a missing row means the defaults. */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Type → whether it is emailed; types not present take the default (emailed). */
  email: jsonb('email').$type<Record<string, boolean>>().notNull().default({}),
  /** An https Google Chat incoming-webhook URL where daily reminders are also posted, or null. */
  chatWebhookUrl: text('chat_webhook_url'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
