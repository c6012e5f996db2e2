import { and, eq, inArray, lt, or, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { notificationSettings, outboundMails, users, type MailStatus } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export type OutboundMailRow = typeof outboundMails.$inferSelect;

export interface Recipient {
  email: string;
  displayName: string;
  status: string;
  choices: Record<string, boolean>;
}

export interface NewOutboundMail {
  userId: string | null;
  to: string;
  subject: string;
  kind: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  dedupeKey: string;
  /** `sent` right away in outbox mode (the row is the mail), else `queued` for its job. */
  status: MailStatus;
}

/** How long one delivery attempt owns a mail before another run may try it (it normally takes seconds). */
const CLAIM_SECONDS = 120;

export const mailRepository = {
  newestKeys: newestFirst<OutboundMailRow>(outboundMails.createdAt, outboundMails.id, (r) => ({
    at: r.createdAt,
    id: r.id,
  })),

  /**
   * Records mails once per cause, in one statement: the rows written, without those whose
   * `dedupeKey` was recorded before.
   */
  async insertMany(db: DbOrTx, mails: readonly NewOutboundMail[]): Promise<OutboundMailRow[]> {
    if (mails.length === 0) return [];
    return db
      .insert(outboundMails)
      .values(
        mails.map((mail) => ({
          ...mail,
          createdAt: sql`clock_timestamp()`,
          sentAt: mail.status === 'sent' ? sql`clock_timestamp()` : null,
        })),
      )
      .onConflictDoNothing({ target: outboundMails.dedupeKey })
      .returning();
  },

  async find(db: DbOrTx, id: string): Promise<OutboundMailRow | undefined> {
    const [row] = await db.select().from(outboundMails).where(eq(outboundMails.id, id));
    return row;
  },

  async page(
    db: DbOrTx,
    status: MailStatus | undefined,
    keys: SortKey<OutboundMailRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<OutboundMailRow[]> {
    const conditions: (SQL | undefined)[] = [];
    if (status) conditions.push(eq(outboundMails.status, status));
    if (cursor) conditions.push(after(keys, cursor));
    return db
      .select()
      .from(outboundMails)
      .where(and(...conditions))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  /**
   * Takes a queued mail for one delivery attempt, in one conditional statement: only a `queued`
   * row that no other attempt holds is claimed, so two runs of the same job never both send.
   * Counts the attempt. Undefined when there is nothing to do (sent, failed, or being sent).
   */
  async claim(db: DbOrTx, id: string): Promise<OutboundMailRow | undefined> {
    const [row] = await db
      .update(outboundMails)
      .set({
        attempts: sql`${outboundMails.attempts} + 1`,
        claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`,
      })
      .where(
        and(
          eq(outboundMails.id, id),
          eq(outboundMails.status, 'queued'),
          or(isNull(outboundMails.claimedUntil), lt(outboundMails.claimedUntil, sql`now()`)),
        ),
      )
      .returning();
    return row;
  },

  async markSent(db: DbOrTx, id: string): Promise<void> {
    await db
      .update(outboundMails)
      .set({ status: 'sent', sentAt: sql`now()`, error: null, claimedUntil: null })
      .where(eq(outboundMails.id, id));
  },

  /** A failed attempt: the error is kept; `final` makes the mail `failed` (else it waits for its retry). */
  async markAttemptFailed(db: DbOrTx, id: string, error: string, final: boolean): Promise<void> {
    await db
      .update(outboundMails)
      .set({ error, claimedUntil: null, ...(final ? { status: 'failed' as const } : {}) })
      .where(and(eq(outboundMails.id, id), eq(outboundMails.status, 'queued')));
  },

  /** failed → queued (the admin's retry); undefined unless the mail was failed. */
  async requeue(db: DbOrTx, id: string): Promise<OutboundMailRow | undefined> {
    const [row] = await db
      .update(outboundMails)
      .set({ status: 'queued', claimedUntil: null })
      .where(and(eq(outboundMails.id, id), eq(outboundMails.status, 'failed')))
      .returning();
    return row;
  },

  /** Where a user's mail goes and whether they still take it: address, standing, email choices. */
  async recipient(db: DbOrTx, userId: string): Promise<Recipient | undefined> {
    return (await mailRepository.recipients(db, [userId])).get(userId);
  },

  /** `recipient` for many users in one query, by user id (absent: no such account). */
  async recipients(db: DbOrTx, userIds: readonly string[]): Promise<Map<string, Recipient>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .select({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        status: users.status,
        choices: notificationSettings.email,
      })
      .from(users)
      .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
      .where(inArray(users.id, [...new Set(userIds)]));
    return new Map(rows.map(({ id, ...row }) => [id, { ...row, choices: row.choices ?? {} }]));
  },
};
