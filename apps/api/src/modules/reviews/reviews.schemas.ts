import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, Ref, Timestamp } from '../../lib/schemas.js';

const Person = Type.Object({ id: Id, displayName: Type.String() });

/** A review as its author, the other party and profile readers see it (API.md "Reviews, reports, moderation"). */
export const Review = Type.Object(
  {
    id: Id,
    adRequestId: Id,
    authorId: Id,
    subjectId: Id,
    /** Sponsors are named by their company. */
    author: Person,
    subject: Person,
    rating: Type.Integer({ minimum: LIMITS.reviewRating.min, maximum: LIMITS.reviewRating.max }),
    comment: Nullable(Type.String()),
    /** False while the review stays with its author (double-blind). */
    published: Type.Boolean(),
    publishedAt: Nullable(Timestamp),
    createdAt: Timestamp,
  },
  { $id: 'Review' },
);
export type ReviewDto = Static<typeof Review>;

/** A review as admins see it: also when it will publish, and whether moderation hid it. */
export const AdminReview = Type.Object(
  {
    ...Review.properties,
    windowClosesAt: Timestamp,
    hidden: Type.Boolean(),
    hiddenAt: Nullable(Timestamp),
    hiddenReason: Nullable(Type.String()),
  },
  { $id: 'AdminReview' },
);
export type AdminReviewDto = Static<typeof AdminReview>;

/** The reviews of one deal as the caller may see them, and whether the caller may still review. */
export const DealReviews = Type.Object(
  {
    items: Type.Array(Ref(Review)),
    /** Null unless the deal is completed. */
    windowClosesAt: Nullable(Timestamp),
    canReview: Type.Boolean(),
  },
  { $id: 'DealReviews' },
);
export type DealReviewsDto = Static<typeof DealReviews>;

export const ReviewBody = Type.Object(
  {
    rating: Type.Integer({ minimum: LIMITS.reviewRating.min, maximum: LIMITS.reviewRating.max }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.reviewComment.max }))),
  },
  { additionalProperties: false },
);
export type ReviewBodyInput = Static<typeof ReviewBody>;

export const ReceivedQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const AdminReviewQuery = Type.Object(
  {
    ...PageQuery,
    published: Type.Optional(Type.Boolean()),
    hidden: Type.Optional(Type.Boolean()),
    subjectId: Type.Optional(Id),
    authorId: Type.Optional(Id),
    adRequestId: Type.Optional(Id),
    rating: Type.Optional(Type.Integer({ minimum: LIMITS.reviewRating.min, maximum: LIMITS.reviewRating.max })),
  },
  { additionalProperties: false },
);
export type AdminReviewQueryInput = Static<typeof AdminReviewQuery>;

export const REVIEW_SCHEMAS = [Review, AdminReview, DealReviews];
