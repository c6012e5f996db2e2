import { Type, type Static } from '@sinclair/typebox';
import { INFLUENCER_SORTS, LIMITS, NICHES, PLATFORMS } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, Ref, StringEnum, Timestamp } from '../../lib/schemas.js';
import { PlatformAccount, User } from '../accounts/accounts.schemas.js';

export const InfluencerCard = Type.Object(
  {
    id: Id,
    displayName: Type.String(),
    avatarUrl: Nullable(Type.String()),
    niche: StringEnum(NICHES),
    country: Nullable(Type.String()),
    bio: Type.String(),
    reach: Type.Integer(),
    platforms: Type.Array(Ref(PlatformAccount)),
    engagementRate: Nullable(Type.Number()),
    rateCents: Nullable(Type.Integer()),
    ratingAvg: Nullable(Type.Number()),
    ratingCount: Type.Integer(),
    flagged: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'InfluencerCard' },
);
export type InfluencerCardDto = Static<typeof InfluencerCard>;

export const InfluencerQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: LIMITS.search.max })),
    niche: Type.Optional(StringEnum(NICHES)),
    platform: Type.Optional(StringEnum(PLATFORMS)),
    minReach: Type.Optional(Type.Integer({ minimum: 0 })),
    maxReach: Type.Optional(Type.Integer({ minimum: 0 })),
    minRating: Type.Optional(Type.Number({ minimum: 0, maximum: 5 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    sort: Type.Optional(StringEnum(INFLUENCER_SORTS, { default: 'relevance' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type InfluencerQuery = Static<typeof InfluencerQuery>;

const Review = Type.Object({
  id: Id,
  rating: Type.Integer(),
  comment: Nullable(Type.String()),
  author: Type.Object({ id: Id, displayName: Type.String() }),
  adRequestId: Id,
  createdAt: Timestamp,
  publishedAt: Timestamp,
});

/** A user's public profile page: the user as the viewer may see it, plus reputation. */
export const PublicProfile = Type.Object(
  {
    user: Ref(User),
    ratingAvg: Nullable(Type.Number()),
    ratingCount: Type.Integer(),
    /** How many published reviews gave each number of stars. */
    ratingDistribution: Type.Object({
      '1': Type.Integer({ minimum: 0 }),
      '2': Type.Integer({ minimum: 0 }),
      '3': Type.Integer({ minimum: 0 }),
      '4': Type.Integer({ minimum: 0 }),
      '5': Type.Integer({ minimum: 0 }),
    }),
    recentReviews: Type.Array(Review),
  },
  { $id: 'PublicProfile' },
);
export type PublicProfileDto = Static<typeof PublicProfile>;

export const DIRECTORY_SCHEMAS = [InfluencerCard, PublicProfile];
