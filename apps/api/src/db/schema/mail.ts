import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts, users } from './users.js';

export const MAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every mail the platform sends or tries to send, in both modes (SMTP and the local outbox).
 * The row is written in the transaction of the change that causes the mail, together with its
 * delivery job, so a mail is never lost; `dedupe_key` names that cause, so it is never written
 * twice. `claimed_until` is the lease of the delivery attempt under way: a second run of the
 * same job finds the row claimed (or sent) and sends nothing.
 */
export const outboundMails = pgTable(
  'outbound_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The recipient's account, when the mail is for one (kept null if the account is deleted). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    /** What the mail is about (a notification type, later `daily_reminder`…): the unsubscribe unit. */
    kind: text('kind').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    status: text('status').$type<MailStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    dedupeKey: text('dedupe_key').notNull().unique(),
    claimedUntil: ts('claimed_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    check('outbound_mails_status', sql`${t.status} in ('queued', 'sent', 'failed')`),
    check('outbound_mails_attempts', sql`${t.attempts} >= 0`),
    index('outbound_mails_newest').on(t.createdAt.desc(), t.id.desc()),
    index('outbound_mails_status_newest').on(t.status, t.createdAt.desc(), t.id.desc()),
  ],
);

export const WEBHOOK_STATUSES = ['none', 'queued', 'sent', 'failed'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/**
 * One row per user per reminder day (the day in REMINDER_TIMEZONE): the primary key is what
 * makes "nobody gets two reminders on one day" hold under a double run or two workers. The
 * row, the mail and the webhook job are written in one transaction.
 */
export const dailyReminders = pgTable(
  'daily_reminders',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    /** What the digest counted when it was written (offers to answer, work to approve, …). */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    mailId: uuid('mail_id').references(() => outboundMails.id, { onDelete: 'set null' }),
    webhookStatus: text('webhook_status').$type<WebhookStatus>().notNull().default('none'),
    webhookError: text('webhook_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    check('daily_reminders_webhook_status', sql`${t.webhookStatus} in ('none', 'queued', 'sent', 'failed')`),
    index('daily_reminders_day').on(t.day),
  ],
);
