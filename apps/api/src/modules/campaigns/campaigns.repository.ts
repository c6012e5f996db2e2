import { and, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adRequestOffers, adRequests, campaigns, sponsorProfiles, users } from '../../db/schema/index.js';
import { AD_REQUEST_STATUSES } from '@iescp/shared';
import { after, orderBy, type SortKey } from '../../lib/keyset.js';

/** Today's calendar date in UTC, the day campaign statuses are judged by. */
export const utcToday = sql`(now() at time zone 'utc')::date`;

export const campaignStatus = sql<
  'upcoming' | 'active' | 'ended'
>`case when ${campaigns.startDate} > ${utcToday} then 'upcoming' when ${campaigns.endDate} < ${utcToday} then 'ended' else 'active' end`;

const columns = {
  id: campaigns.id,
  sponsorId: campaigns.sponsorId,
  sponsorName: users.displayName,
  companyName: sponsorProfiles.companyName,
  name: campaigns.name,
  description: campaigns.description,
  niche: campaigns.niche,
  goals: campaigns.goals,
  startDate: campaigns.startDate,
  endDate: campaigns.endDate,
  budgetCents: campaigns.budgetCents,
  reservedCents: campaigns.reservedCents,
  spentCents: campaigns.spentCents,
  visibility: campaigns.visibility,
  status: campaignStatus,
  flagged: campaigns.flagged,
  flagReason: campaigns.flagReason,
  createdAt: campaigns.createdAt,
  updatedAt: campaigns.updatedAt,
};

export type CampaignRow = Awaited<ReturnType<typeof base>>[number] & { rank?: number };

export type NewCampaign = typeof campaigns.$inferInsert;

function base(db: DbOrTx, extra: Record<string, SQL> = {}) {
  return db
    .select({ ...columns, ...extra })
    .from(campaigns)
    .innerJoin(users, eq(users.id, campaigns.sponsorId))
    .innerJoin(sponsorProfiles, eq(sponsorProfiles.userId, campaigns.sponsorId));
}

export interface CampaignSearch {
  visibility?: SQL | undefined;
  filters: SQL[];
  /** A prefix tsquery; with it, rows must match and `rank` is selected. */
  tsquery?: string | undefined;
  keys: SortKey<CampaignRow>[];
  cursor?: (string | number)[] | undefined;
  limit: number;
}

/** The only code that touches the campaigns table. Deleted campaigns do not exist for reads. */
export const campaignsRepository = {
  rankOf(tsquery: string): SQL<number> {
    return sql<number>`ts_rank(${campaigns.search}, to_tsquery('simple', ${tsquery}))`;
  },

  async insert(db: DbOrTx, values: NewCampaign): Promise<string> {
    const [row] = await db.insert(campaigns).values(values).returning({ id: campaigns.id });
    return row!.id;
  },

  async findById(db: DbOrTx, id: string, visibility?: SQL, lock = false): Promise<CampaignRow | undefined> {
    const query = base(db)
      .where(and(eq(campaigns.id, id), isNull(campaigns.deletedAt), visibility))
      .limit(1);
    const [row] = lock ? await query.for('update', { of: campaigns }) : await query;
    return row as CampaignRow | undefined;
  },

  async search(db: DbOrTx, s: CampaignSearch): Promise<CampaignRow[]> {
    const conditions: (SQL | undefined)[] = [isNull(campaigns.deletedAt), s.visibility, ...s.filters];
    if (s.tsquery) conditions.push(sql`${campaigns.search} @@ to_tsquery('simple', ${s.tsquery})`);
    if (s.cursor) conditions.push(after(s.keys, s.cursor));
    // Pick the page on campaigns alone, then join the sponsor to those rows: joined first, the
    // planner misjudges how many campaigns survive and walks every sponsor's campaigns (bench).
    const page = db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(...conditions))
      .orderBy(...orderBy(s.keys))
      .limit(s.limit + 1);
    const extra: Record<string, SQL> = s.tsquery ? { rank: this.rankOf(s.tsquery) } : {};
    const rows = await base(db, extra)
      .where(inArray(campaigns.id, page))
      .orderBy(...orderBy(s.keys));
    return rows as CampaignRow[];
  },

  async update(db: DbOrTx, id: string, values: Partial<NewCampaign>, guard?: SQL): Promise<boolean> {
    const rows = await db
      .update(campaigns)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(campaigns.id, id), isNull(campaigns.deletedAt), guard))
      .returning({ id: campaigns.id });
    return rows.length > 0;
  },

  async softDelete(db: DbOrTx, id: string): Promise<void> {
    await db.update(campaigns).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(campaigns.id, id));
  },

  /**
   * Moves money inside a campaign in one conditional statement, so no interleaving can
   * overspend it: a reservation only happens while reserved + spent + amount ≤ budget. Returns
   * false when the condition fails (nothing changed). The table's CHECKs back this up.
   */
  async moveMoney(db: DbOrTx, id: string, kind: 'reserve' | 'release' | 'refund', cents: number): Promise<boolean> {
    const set =
      kind === 'reserve'
        ? { reservedCents: sql`${campaigns.reservedCents} + ${cents}` }
        : kind === 'release'
          ? {
              reservedCents: sql`${campaigns.reservedCents} - ${cents}`,
              spentCents: sql`${campaigns.spentCents} + ${cents}`,
            }
          : { reservedCents: sql`${campaigns.reservedCents} - ${cents}` };
    const guard =
      kind === 'reserve'
        ? sql`${campaigns.reservedCents} + ${campaigns.spentCents} + ${cents} <= ${campaigns.budgetCents} and ${campaigns.deletedAt} is null`
        : sql`${campaigns.reservedCents} >= ${cents}`;
    const rows = await db
      .update(campaigns)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(campaigns.id, id), guard))
      .returning({ id: campaigns.id });
    return rows.length > 0;
  },

  /** Ad requests by status and offers made per day (last 30 days), for the stats route. */
  async dealStats(db: DbOrTx, id: string) {
    const byStatus = await db
      .select({ status: adRequests.status, n: sql<number>`count(*)::int` })
      .from(adRequests)
      .where(eq(adRequests.campaignId, id))
      .groupBy(adRequests.status);
    const perDay = await db
      .select({
        date: sql<string>`to_char((${adRequestOffers.createdAt} at time zone 'utc')::date, 'YYYY-MM-DD')`,
        count: sql<number>`count(*)::int`,
      })
      .from(adRequestOffers)
      .innerJoin(adRequests, eq(adRequests.id, adRequestOffers.adRequestId))
      .where(and(eq(adRequests.campaignId, id), sql`${adRequestOffers.createdAt} >= now() - interval '30 days'`))
      .groupBy(sql`1`)
      .orderBy(sql`1`);
    return {
      adRequestsByStatus: Object.fromEntries(
        AD_REQUEST_STATUSES.map((st) => [st, byStatus.find((r) => r.status === st)?.n ?? 0]),
      ),
      offersPerDay: perDay,
    };
  },

  /** The derived status as date conditions, so the end-date index can serve it. */
  statusIs(status: 'upcoming' | 'active' | 'ended'): SQL {
    if (status === 'upcoming') return sql`${campaigns.startDate} > ${utcToday}`;
    if (status === 'ended') return sql`${campaigns.endDate} < ${utcToday}`;
    return sql`${campaigns.startDate} <= ${utcToday} and ${campaigns.endDate} >= ${utcToday}`;
  },

  budgetRange(min?: number, max?: number): SQL[] {
    return [
      ...(min !== undefined ? [gte(campaigns.budgetCents, min)] : []),
      ...(max !== undefined ? [lte(campaigns.budgetCents, max)] : []),
    ];
  },
};
