import { AD_REQUEST_STATUSES, PARTIES, partyToAct, type AdRequestStatus, type Party, type Role } from '@iescp/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { dailyReminders, notificationSettings, users, type WebhookStatus } from '../../db/schema/index.js';

/** What waits for a user: open offers to answer, accepted work to deliver, delivered work to approve. */
export interface ReminderCounts {
  offers: number;
  toDeliver: number;
  toApprove: number;
}

/** One deal in a digest. */
export interface ReminderItem {
  adRequestId: string;
  status: AdRequestStatus;
  campaignName: string;
  otherParty: string;
  paymentCents: number;
}

/** A user who is due a reminder today, with everything the digest says (read in one statement). */
export interface ReminderCandidate {
  userId: string;
  role: Extract<Role, 'sponsor' | 'influencer'>;
  /** The stored email choices (the digest goes by mail unless `daily_reminder` is off). */
  emailChoices: Record<string, boolean>;
  chatWebhookUrl: string | null;
  counts: ReminderCounts;
  /** The oldest waiting deals first, at most ITEMS_PER_DIGEST. */
  items: ReminderItem[];
  /** An influencer who has not been seen for REMINDER_INACTIVE_DAYS. */
  inactive: boolean;
}

export const ITEMS_PER_DIGEST = 5;

/**
 * Whose turn each state is, as SQL rows (status, awaiting party, initiator, party to act),
 * computed from the shared transition table (`partyToAct`), so the query never restates the
 * rules: every combination of facts where exactly one party can move the deal on.
 */
const TURNS = AD_REQUEST_STATUSES.flatMap((status) =>
  [...PARTIES, null].flatMap((awaitingParty) =>
    PARTIES.map((initiatedBy) => ({
      status,
      awaitingParty,
      initiatedBy,
      party: partyToAct({ status, awaitingParty, initiatedBy }),
    })),
  ),
).filter((t): t is typeof t & { party: Party } => t.party !== null);
const TURN_STATUSES = [...new Set(TURNS.map((t) => t.status))];
const turnValues = sql.join(
  TURNS.map((t) => sql`(${t.status}, ${t.awaitingParty}::text, ${t.initiatedBy}, ${t.party})`),
  sql`, `,
);

type Result<T> = { rows: T[] };

export const remindersRepository = {
  /**
   * Every active sponsor and influencer due a reminder on `day` and not reminded yet: those with
   * deals waiting for them, and influencers last seen (or, never seen, signed up) before
   * `inactiveBefore`. One statement, set-based: counts and the first items come with each user.
   */
  async candidates(db: DbOrTx, day: string, inactiveBefore: Date): Promise<ReminderCandidate[]> {
    const result = (await db.execute(sql`
      with turn(status, awaiting, initiated_by, party) as (values ${turnValues}),
      waiting as (
        select r.id, r.status, r.payment_cents, r.status_changed_at, c.name as campaign_name,
               case when t.party = 'sponsor' then r.sponsor_id else r.influencer_id end as user_id,
               case when t.party = 'sponsor' then r.influencer_id else r.sponsor_id end as other_id
        from ad_requests r
        join turn t on t.status = r.status::text
          and t.awaiting is not distinct from r.awaiting_party::text
          and t.initiated_by = r.initiated_by::text
        join campaigns c on c.id = r.campaign_id
        where r.deleted_at is null and r.status::text in (${sql.join(
          TURN_STATUSES.map((s) => sql`${s}`),
          sql`, `,
        )})
      ),
      ranked as (
        select w.*, row_number() over (partition by w.user_id order by w.status_changed_at, w.id) as n
        from waiting w
      ),
      per_user as (
        select r.user_id,
          count(*) filter (where r.status in ('pending', 'negotiating'))::int as offers,
          count(*) filter (where r.status = 'accepted')::int as to_deliver,
          count(*) filter (where r.status = 'delivered')::int as to_approve,
          coalesce(json_agg(json_build_object(
            'adRequestId', r.id, 'status', r.status, 'campaignName', r.campaign_name,
            'otherParty', coalesce(sp.company_name, o.display_name), 'paymentCents', r.payment_cents
          ) order by r.n) filter (where r.n <= ${ITEMS_PER_DIGEST}), '[]'::json) as items
        from ranked r
        join users o on o.id = r.other_id
        -- A sponsor is known by the company's name.
        left join sponsor_profiles sp on sp.user_id = r.other_id
        group by r.user_id
      )
      select u.id as user_id, u.role::text as role,
        coalesce(ns.email, '{}'::jsonb) as email_choices, ns.chat_webhook_url,
        coalesce(p.offers, 0) as offers, coalesce(p.to_deliver, 0) as to_deliver,
        coalesce(p.to_approve, 0) as to_approve, coalesce(p.items, '[]'::json) as items,
        (u.role = 'influencer' and coalesce(u.last_active_at, u.created_at) < ${inactiveBefore.toISOString()}::timestamptz)
          as inactive
      from users u
      left join per_user p on p.user_id = u.id
      left join notification_settings ns on ns.user_id = u.id
      where u.status = 'active' and u.role in ('sponsor', 'influencer')
        and (p.user_id is not null
          or (u.role = 'influencer' and coalesce(u.last_active_at, u.created_at) < ${inactiveBefore.toISOString()}::timestamptz))
        and not exists (select 1 from daily_reminders d where d.user_id = u.id and d.day = ${day}::date)
      order by u.id
    `)) as unknown as Result<{
      user_id: string;
      role: 'sponsor' | 'influencer';
      email_choices: Record<string, boolean> | string;
      chat_webhook_url: string | null;
      offers: number;
      to_deliver: number;
      to_approve: number;
      items: (Omit<ReminderItem, 'paymentCents'> & { paymentCents: number | string })[] | string;
      inactive: boolean;
    }>;
    // JSON arrives parsed from node-postgres and PGlite alike; a string is parsed to be safe.
    const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
    return result.rows.map((r) => ({
      userId: r.user_id,
      role: r.role,
      emailChoices: json(r.email_choices),
      chatWebhookUrl: r.chat_webhook_url,
      counts: { offers: Number(r.offers), toDeliver: Number(r.to_deliver), toApprove: Number(r.to_approve) },
      items: json(r.items).map((i) => ({ ...i, paymentCents: Number(i.paymentCents) })),
      inactive: r.inactive,
    }));
  },

  /**
   * Claims the day for these users: one row each, unless they have one for `day` already (a
   * second run, another worker). Returns the users whose row this call wrote.
   */
  async claimDay(
    tx: DbOrTx,
    day: string,
    rows: { userId: string; counts: ReminderCounts; webhook: boolean }[],
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const written = await tx
      .insert(dailyReminders)
      .values(
        rows.map((r) => ({
          userId: r.userId,
          day,
          counts: { ...r.counts },
          webhookStatus: (r.webhook ? 'queued' : 'none') as WebhookStatus,
        })),
      )
      .onConflictDoNothing()
      .returning({ userId: dailyReminders.userId });
    return new Set(written.map((w) => w.userId));
  },

  /** Links each day's row to the mail it caused. */
  async setMails(tx: DbOrTx, day: string, mails: { userId: string; mailId: string }[]): Promise<void> {
    if (mails.length === 0) return;
    await tx.execute(sql`
      update daily_reminders d set mail_id = v.mail_id::uuid
      from (values ${sql.join(
        mails.map((m) => sql`(${m.userId}, ${m.mailId})`),
        sql`, `,
      )}) as v(user_id, mail_id)
      where d.user_id = v.user_id::uuid and d.day = ${day}::date`);
  },

  /** The day's row with what the webhook job needs now: its state, the user's standing and URL. */
  async forWebhook(db: DbOrTx, userId: string, day: string) {
    const [row] = await db
      .select({
        webhookStatus: dailyReminders.webhookStatus,
        userStatus: users.status,
        url: notificationSettings.chatWebhookUrl,
      })
      .from(dailyReminders)
      .innerJoin(users, eq(users.id, dailyReminders.userId))
      .leftJoin(notificationSettings, eq(notificationSettings.userId, dailyReminders.userId))
      .where(and(eq(dailyReminders.userId, userId), eq(dailyReminders.day, day)));
    return row;
  },

  /** Records the webhook's outcome (an error is kept while retries remain, with status still queued). */
  async markWebhook(db: DbOrTx, userId: string, day: string, status: WebhookStatus, error: string | null) {
    await db
      .update(dailyReminders)
      .set({ webhookStatus: status, webhookError: error })
      .where(
        and(
          eq(dailyReminders.userId, userId),
          eq(dailyReminders.day, day),
          inArray(dailyReminders.webhookStatus, ['queued']),
        ),
      );
  },
};
