import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { InfluencerSort, Niche, Platform } from '@iescp/shared';
import type { DbOrTx } from '../../db/client.js';
import { influencerPlatforms, influencerProfiles, users } from '../../db/schema/index.js';
import { after, orderBy, type SortKey } from '../../lib/pagination.js';
import type { InfluencerCardDto } from './directory.schemas.js';

const cardColumns = {
  id: users.id,
  displayName: users.displayName,
  avatarKey: users.avatarKey,
  flagged: users.flagged,
  createdAt: users.createdAt,
  niche: influencerProfiles.niche,
  country: influencerProfiles.country,
  bio: influencerProfiles.bio,
  reach: influencerProfiles.reach,
  engagementRate: influencerProfiles.engagementRate,
  rateCents: influencerProfiles.rateCents,
  ratingAvg: influencerProfiles.ratingAvg,
  ratingCount: influencerProfiles.ratingCount,
};
export type CardRow = {
  id: string;
  displayName: string;
  avatarKey: string | null;
  flagged: boolean;
  createdAt: Date;
  niche: InfluencerCardDto['niche'];
  country: string | null;
  bio: string;
  reach: number;
  engagementRate: number | null;
  rateCents: number | null;
  ratingAvg: number | null;
  ratingCount: number;
  rank?: number;
};

const rankOf = (tsquery: string) =>
  sql<number>`ts_rank(${influencerProfiles.search}, to_tsquery('simple', ${tsquery}))`;
const ratingKey = sql<number>`coalesce(${influencerProfiles.ratingAvg}, 0)`;

function sortKeysOf(sort: InfluencerSort, tsquery: string | undefined): { name: string; keys: SortKey<CardRow>[] } {
  const id: SortKey<CardRow> = { expr: users.id, dir: 'desc', kind: 'uuid', of: (r) => r.id };
  const reach: SortKey<CardRow> = { expr: influencerProfiles.reach, dir: 'desc', kind: 'number', of: (r) => r.reach };
  switch (sort) {
    case 'relevance':
      if (tsquery)
        return {
          name: sort,
          keys: [{ expr: rankOf(tsquery), dir: 'desc', kind: 'number', of: (r) => r.rank ?? 0 }, reach, id],
        };
      return { name: 'reach_desc', keys: [reach, id] };
    case 'reach_desc':
      return { name: sort, keys: [reach, id] };
    case 'rating_desc':
      return {
        name: sort,
        keys: [
          { expr: ratingKey, dir: 'desc', kind: 'number', of: (r) => r.ratingAvg ?? 0 },
          { expr: influencerProfiles.ratingCount, dir: 'desc', kind: 'number', of: (r) => r.ratingCount },
          id,
        ],
      };
    case 'newest':
      return {
        name: sort,
        keys: [{ expr: users.createdAt, dir: 'desc', kind: 'timestamp', of: (r) => r.createdAt.toISOString() }, id],
      };
  }
}

export interface InfluencerFilters {
  /** Admins also see flagged influencers. */
  includeFlagged: boolean;
  tsquery?: string | undefined;
  niche?: Niche | undefined;
  country?: string | undefined;
  minReach?: number | undefined;
  maxReach?: number | undefined;
  minRating?: number | undefined;
  platform?: Platform | undefined;
}

export type PlatformList = { platform: Platform; handle: string; followers: number }[];

/** Reads for the influencer directory (the profile tables are written by the accounts module). */
export const directoryRepository = {
  sortKeys: sortKeysOf,

  /** A page of active influencers matching the filters, in key order (`limit + 1` rows). */
  async searchInfluencers(
    db: DbOrTx,
    f: InfluencerFilters,
    keys: SortKey<CardRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<CardRow[]> {
    const conditions: (SQL | undefined)[] = [eq(users.status, 'active')];
    if (!f.includeFlagged) conditions.push(eq(users.flagged, false));
    if (f.tsquery) conditions.push(sql`${influencerProfiles.search} @@ to_tsquery('simple', ${f.tsquery})`);
    if (f.niche) conditions.push(eq(influencerProfiles.niche, f.niche));
    if (f.country) conditions.push(eq(influencerProfiles.country, f.country.toUpperCase()));
    if (f.minReach !== undefined) conditions.push(gte(influencerProfiles.reach, f.minReach));
    if (f.maxReach !== undefined) conditions.push(lte(influencerProfiles.reach, f.maxReach));
    if (f.minRating !== undefined) conditions.push(gte(influencerProfiles.ratingAvg, f.minRating));
    if (f.platform) {
      conditions.push(
        sql`exists (select 1 from ${influencerPlatforms} ip where ip.user_id = ${influencerProfiles.userId} and ip.platform = ${f.platform})`,
      );
    }
    if (cursor) conditions.push(after(keys, cursor));
    return (await db
      .select({ ...cardColumns, ...(f.tsquery ? { rank: rankOf(f.tsquery) } : {}) })
      .from(influencerProfiles)
      .innerJoin(users, eq(users.id, influencerProfiles.userId))
      .where(and(...conditions))
      .orderBy(...orderBy(keys))
      .limit(limit + 1)) as CardRow[];
  },

  /** The platform lists of these influencers, in their order, in one query. */
  async platformsOf(db: DbOrTx, ids: string[]): Promise<Map<string, PlatformList>> {
    const map = new Map<string, PlatformList>();
    if (ids.length === 0) return map;
    const rows = await db
      .select()
      .from(influencerPlatforms)
      .where(inArray(influencerPlatforms.userId, ids))
      .orderBy(asc(influencerPlatforms.userId), asc(influencerPlatforms.position));
    for (const r of rows) {
      const list = map.get(r.userId) ?? [];
      list.push({ platform: r.platform, handle: r.handle, followers: r.followers });
      map.set(r.userId, list);
    }
    return map;
  },
};
