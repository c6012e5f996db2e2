import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { prefixQuery } from '../../lib/text-search.js';
import type { Cache } from '../../plugins/cache.js';
import { avatarUrl, presentUser } from '../accounts/accounts.presenter.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { ReviewsService } from '../reviews/reviews.service.js';
import { directoryRepository as repo } from './directory.repository.js';
import type { InfluencerQuery, PublicProfileDto } from './directory.schemas.js';

const TTL_SECONDS = 60;

/** The influencer directory (search) and public profile pages of influencers and sponsors. */
export function createDirectoryService(deps: {
  db: Db;
  cache: Cache;
  accounts: AccountsService;
  reviews: ReviewsService;
}) {
  const { db, cache, accounts, reviews } = deps;

  /** Who may see a profile page: its owner and admins always; others only active, unflagged users. */
  async function profileFor(actor: Actor, id: string, role: 'influencer' | 'sponsor'): Promise<PublicProfileDto> {
    const found = await accounts.withProfile(id);
    const row = found?.row;
    const privileged = actor.role === 'admin' || actor.id === row?.id;
    if (!found || !row || row.role !== role || (!privileged && (row.status !== 'active' || row.flagged)))
      throw notFound(role);
    const { summary, recent } = await reviews.profileOf(row.id);
    return {
      user: presentUser(row, found.profile, actor),
      ratingAvg: summary.ratingAvg,
      ratingCount: summary.ratingCount,
      ratingDistribution: summary.distribution,
      recentReviews: recent.map((r) => ({
        id: r.id,
        rating: r.rating,
        comment: r.comment,
        author: r.author,
        adRequestId: r.adRequestId,
        createdAt: r.createdAt,
        publishedAt: r.publishedAt!,
      })),
    };
  }

  return {
    async searchInfluencers(actor: Actor, query: InfluencerQuery) {
      if (query.minReach !== undefined && query.maxReach !== undefined && query.minReach > query.maxReach) {
        throw validationFailed([{ path: '/minReach', message: 'must not exceed maxReach' }]);
      }
      const tsquery = query.q ? prefixQuery(query.q) : undefined;
      const { name, keys } = repo.sortKeys(query.sort ?? 'relevance', tsquery);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, name, keys) : undefined;
      // Admins also see flagged influencers; everyone else gets the same answer for the same query.
      const viewer = actor.role === 'admin' ? 'admin' : 'member';
      return cache.wrap('users', [viewer, query], TTL_SECONDS, async () => {
        const filters = { ...query, tsquery, includeFlagged: actor.role === 'admin' };
        const rows = await repo.searchInfluencers(db, filters, keys, cursor, limit);
        const platforms = await repo.platformsOf(
          db,
          rows.slice(0, limit).map((r) => r.id),
        );
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
      return cache.wrap('users', ['influencer', id, privileged ? actor.id : 'member'], TTL_SECONDS, () =>
        profileFor(actor, id, 'influencer'),
      );
    },

    async sponsorProfile(actor: Actor, id: string) {
      const privileged = actor.role === 'admin' || actor.id === id;
      return cache.wrap('users', ['sponsor', id, privileged ? actor.id : 'member'], TTL_SECONDS, () =>
        profileFor(actor, id, 'sponsor'),
      );
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
