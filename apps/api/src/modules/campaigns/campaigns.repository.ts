import { and, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { AD_REQUEST_STATUSES, type CampaignSort, type Niche } from '@iescp/shared';
import type { DbOrTx } from '../../db/client.js';
import { campaignStatus, utcToday } from '../../db/derived.js';
import { adRequestOffers, adRequests, campaigns, sponsorProfiles, users } from '../../db/schema/index.js';
import type { Actor } from '../../lib/actor.js';
import { after, orderBy, type SortKey } from '../../lib/pagination.js';

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

/** The derived status as date conditions, so the end-date index can serve it. */
function statusIs(status: 'upcoming' | 'active' | 'ended'): SQL {
  if (status === 'upcoming') return sql`${campaigns.startDate} > ${utcToday}`;
  if (status === 'ended') return sql`${campaigns.endDate} < ${utcToday}`;
  return sql`${campaigns.startDate} <= ${utcToday} and ${campaigns.endDate} >= ${utcToday}`;
}

export type CampaignRow = Awaited<ReturnType<typeof base>>[number] & { rank?: number };

export type NewCampaign = typeof campaigns.$inferInsert;

function base(db: DbOrTx, extra: Record<string, SQL> = {}) {
  return db
    .select({ ...columns, ...extra })
    .from(campaigns)
    .innerJoin(users, eq(users.id, campaigns.sponsorId))
    .innerJoin(sponsorProfiles, eq(sponsorProfiles.userId, campaigns.sponsorId));
}

/** A sponsor whose campaigns others may see: active and not flagged. (`role` lets the role/status index serve it.) */
const sponsorInGoodStanding: SQL = sql`exists (select 1 from ${users} s where s.id = ${campaigns.sponsorId} and s.role = 'sponsor' and s.status = 'active' and s.flagged = false)`;

/**
 * Who sees which campaign (API.md "Visibility"), as one SQL condition used by every read, so
 * lists, detail and cache keys can never disagree. Admins see all; owners see their own; others
 * see public, unflagged campaigns of sponsors in good standing.
 */
function visibleTo(actor: Actor): SQL | undefined {
  const open = and(eq(campaigns.visibility, 'public'), eq(campaigns.flagged, false), sponsorInGoodStanding)!;
  if (actor.role === 'admin') return undefined;
  if (actor.role === 'sponsor') return or(eq(campaigns.sponsorId, actor.id), open);
  // Influencers also see the private campaigns they have an ad request on.
  const invited = sql`exists (select 1 from ${adRequests} ar where ar.campaign_id = ${campaigns.id} and ar.influencer_id = ${actor.id} and ar.deleted_at is null)`;
  return and(eq(campaigns.flagged, false), sponsorInGoodStanding, or(eq(campaigns.visibility, 'public'), invited));
}

/** What a search may filter on (the query string, already validated). */
export interface CampaignFilters {
  niche?: Niche | undefined;
  status?: 'upcoming' | 'active' | 'ended' | undefined;
  visibility?: 'public' | 'private' | undefined;
  sponsorId?: string | undefined;
  minBudgetCents?: number | undefined;
  maxBudgetCents?: number | undefined;
}

const ID_KEY: SortKey<CampaignRow> = { expr: campaigns.id, dir: 'desc', kind: 'uuid', of: (r) => r.id };
const CREATED_KEY: SortKey<CampaignRow> = {
  expr: campaigns.createdAt,
  dir: 'desc',
  kind: 'timestamp',
  of: (r) => r.createdAt.toISOString(),
};

export interface CampaignSearch {
  filters: CampaignFilters;
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

  /** Sort keys per sort; each ends with the id so the order is total and keysets are exact. */
  sortKeys(sort: CampaignSort, tsquery: string | undefined): { name: string; keys: SortKey<CampaignRow>[] } {
    switch (sort) {
      case 'budget_desc':
        return {
          name: sort,
          keys: [{ expr: campaigns.budgetCents, dir: 'desc', kind: 'number', of: (r) => r.budgetCents }, ID_KEY],
        };
      case 'budget_asc':
        return {
          name: sort,
          keys: [
            { expr: campaigns.budgetCents, dir: 'asc', kind: 'number', of: (r) => r.budgetCents },
            { ...ID_KEY, dir: 'asc' },
          ],
        };
      case 'ending_soon':
        return {
          name: sort,
          keys: [
            { expr: campaigns.endDate, dir: 'asc', kind: 'date', of: (r) => r.endDate },
            { ...ID_KEY, dir: 'asc' },
          ],
        };
      case 'relevance':
        if (tsquery)
          return {
            name: sort,
            keys: [
              { expr: this.rankOf(tsquery), dir: 'desc', kind: 'number', of: (r) => r.rank ?? 0 },
              CREATED_KEY,
              ID_KEY,
            ],
          };
        return { name: 'newest', keys: [CREATED_KEY, ID_KEY] };
      case 'newest':
        return { name: sort, keys: [CREATED_KEY, ID_KEY] };
    }
  },

  async insert(db: DbOrTx, values: NewCampaign): Promise<string> {
    const [row] = await db.insert(campaigns).values(values).returning({ id: campaigns.id });
    return row!.id;
  },

  /** The campaign if it exists (not deleted) and, given a viewer, that viewer may see it. */
  async findById(db: DbOrTx, id: string, viewer?: Actor, lock = false): Promise<CampaignRow | undefined> {
    const query = base(db)
      .where(and(eq(campaigns.id, id), isNull(campaigns.deletedAt), viewer ? visibleTo(viewer) : undefined))
      .limit(1);
    const [row] = lock ? await query.for('update', { of: campaigns }) : await query;
    return row as CampaignRow | undefined;
  },

  /** A page of the campaigns `viewer` may see that match the filters (and `tsquery`), in key order. */
  async search(db: DbOrTx, viewer: Actor, s: CampaignSearch): Promise<CampaignRow[]> {
    const f = s.filters;
    const conditions: (SQL | undefined)[] = [
      isNull(campaigns.deletedAt),
      visibleTo(viewer),
      f.minBudgetCents !== undefined ? gte(campaigns.budgetCents, f.minBudgetCents) : undefined,
      f.maxBudgetCents !== undefined ? lte(campaigns.budgetCents, f.maxBudgetCents) : undefined,
      f.niche ? eq(campaigns.niche, f.niche) : undefined,
      f.status ? statusIs(f.status) : undefined,
      f.visibility ? eq(campaigns.visibility, f.visibility) : undefined,
      f.sponsorId ? eq(campaigns.sponsorId, f.sponsorId) : undefined,
    ];
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

  /**
   * Updates a live campaign; with `newBudgetCents`, only while the money already reserved and
   * spent still fits under it (checked in the same statement). False when nothing was updated.
   */
  async update(db: DbOrTx, id: string, values: Partial<NewCampaign>, newBudgetCents?: number): Promise<boolean> {
    const fits =
      newBudgetCents !== undefined
        ? sql`${campaigns.reservedCents} + ${campaigns.spentCents} <= ${newBudgetCents}`
        : undefined;
    const rows = await db
      .update(campaigns)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(campaigns.id, id), isNull(campaigns.deletedAt), fits))
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
};
