import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
