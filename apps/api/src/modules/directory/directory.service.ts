import { createHash } from 'node:crypto';
import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { InfluencerSort } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import { influencerPlatforms, influencerProfiles, users } from '../../db/schema/index.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { after, decodeKeyset, keysetPage, orderBy, prefixQuery, type SortKey } from '../../lib/keyset.js';
import type { Actor } from '../../plugins/auth.js';
import type { Cache } from '../../plugins/cache.js';
import { accountsRepository, isUuid } from '../accounts/accounts.repository.js';
import { avatarUrl, presentUser } from '../accounts/accounts.presenter.js';
import type { InfluencerCardDto, InfluencerQuery, PublicProfileDto } from './directory.schemas.js';

const TTL_SECONDS = 60;

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
type CardRow = {
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

function sortKeys(sort: InfluencerSort, tsquery: string | undefined): { name: string; keys: SortKey<CardRow>[] } {
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

/** The influencer directory (search) and public profile pages of influencers and sponsors. */
export function createDirectoryService(deps: { db: Db; cache: Cache }) {
  const { db, cache } = deps;

  async function platformsOf(ids: string[]) {
    if (ids.length === 0)
      return new Map<
        string,
        { platform: InfluencerCardDto['platforms'][number]['platform']; handle: string; followers: number }[]
      >();
    const rows = await db
      .select()
      .from(influencerPlatforms)
      .where(inArray(influencerPlatforms.userId, ids))
      .orderBy(asc(influencerPlatforms.userId), asc(influencerPlatforms.position));
    const map = new Map<string, { platform: (typeof rows)[number]['platform']; handle: string; followers: number }[]>();
    for (const r of rows) {
      const list = map.get(r.userId) ?? [];
      list.push({ platform: r.platform, handle: r.handle, followers: r.followers });
      map.set(r.userId, list);
    }
    return map;
  }

  /** Who may see a profile page: its owner and admins always; others only active, unflagged users. */
  async function profileFor(actor: Actor, id: string, role: 'influencer' | 'sponsor'): Promise<PublicProfileDto> {
    const row = isUuid(id) ? await accountsRepository.findById(db, id) : undefined;
    const privileged = actor.role === 'admin' || actor.id === row?.id;
    if (!row || row.role !== role || (!privileged && (row.status !== 'active' || row.flagged))) throw notFound(role);
    const profile = await accountsRepository.loadProfile(db, row);
    const rating =
      profile?.role === 'influencer'
        ? { ratingAvg: profile.profile.ratingAvg, ratingCount: profile.profile.ratingCount }
        : { ratingAvg: null, ratingCount: 0 };
    // Reviews arrive with completed ad requests (a later release).
    return { user: presentUser(row, profile, actor), ...rating, recentReviews: [] };
  }

  return {
    async searchInfluencers(actor: Actor, query: InfluencerQuery) {
      if (query.minReach !== undefined && query.maxReach !== undefined && query.minReach > query.maxReach) {
        throw validationFailed([{ path: '/minReach', message: 'must not exceed maxReach' }]);
      }
      const tsquery = query.q ? prefixQuery(query.q) : undefined;
      const { name, keys } = sortKeys(query.sort ?? 'relevance', tsquery);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, name, keys) : undefined;
      // Admins also see flagged influencers; everyone else gets the same answer for the same query.
      const viewer = actor.role === 'admin' ? 'admin' : 'member';
      const key = createHash('sha256')
        .update(JSON.stringify([viewer, query]))
        .digest('base64url');
      return cache.wrap('users', key, TTL_SECONDS, async () => {
        const conditions: (SQL | undefined)[] = [eq(users.status, 'active')];
        if (actor.role !== 'admin') conditions.push(eq(users.flagged, false));
        if (tsquery) conditions.push(sql`${influencerProfiles.search} @@ to_tsquery('simple', ${tsquery})`);
        if (query.niche) conditions.push(eq(influencerProfiles.niche, query.niche));
        if (query.country) conditions.push(eq(influencerProfiles.country, query.country.toUpperCase()));
        if (query.minReach !== undefined) conditions.push(gte(influencerProfiles.reach, query.minReach));
        if (query.maxReach !== undefined) conditions.push(lte(influencerProfiles.reach, query.maxReach));
        if (query.minRating !== undefined) conditions.push(gte(influencerProfiles.ratingAvg, query.minRating));
        if (query.platform) {
          conditions.push(
            sql`exists (select 1 from ${influencerPlatforms} ip where ip.user_id = ${influencerProfiles.userId} and ip.platform = ${query.platform})`,
          );
        }
        if (cursor) conditions.push(after(keys, cursor));
        const rows = (await db
          .select({ ...cardColumns, ...(tsquery ? { rank: rankOf(tsquery) } : {}) })
          .from(influencerProfiles)
          .innerJoin(users, eq(users.id, influencerProfiles.userId))
          .where(and(...conditions))
          .orderBy(...orderBy(keys))
          .limit(limit + 1)) as CardRow[];
        const platforms = await platformsOf(rows.slice(0, limit).map((r) => r.id));
        return keysetPage(rows, limit, keys, name, (r) => ({
          id: r.id,
          displayName: r.displayName,
          avatarUrl: avatarUrl(r.avatarKey),
          niche: r.niche,
          country: r.country,
          bio: r.bio,
          reach: r.reach,
          platforms: platforms.get(r.id) ?? [],
          engagementRate: r.engagementRate,
          rateCents: r.rateCents,
          ratingAvg: r.ratingAvg,
          ratingCount: r.ratingCount,
          flagged: r.flagged,
          createdAt: r.createdAt.toISOString(),
        }));
      });
    },

    async influencerProfile(actor: Actor, id: string) {
      // Keyed by whether the viewer is privileged: email and flag reason appear only then.
      const privileged = actor.role === 'admin' || actor.id === id;
      return cache.wrap('users', `influencer:${id}:${privileged ? actor.id : 'member'}`, TTL_SECONDS, () =>
        profileFor(actor, id, 'influencer'),
      );
    },

    async sponsorProfile(actor: Actor, id: string) {
      const privileged = actor.role === 'admin' || actor.id === id;
      return cache.wrap('users', `sponsor:${id}:${privileged ? actor.id : 'member'}`, TTL_SECONDS, () =>
        profileFor(actor, id, 'sponsor'),
      );
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
