import type { ReviewView } from './reviews.repository.js';
import type { AdminReviewDto, ReviewDto } from './reviews.schemas.js';

export function presentReview(r: ReviewView): ReviewDto {
  return {
    id: r.id,
    adRequestId: r.adRequestId,
    authorId: r.authorId,
    subjectId: r.subjectId,
    author: { id: r.authorId, displayName: r.authorName },
    subject: { id: r.subjectId, displayName: r.subjectName },
    rating: r.rating,
    comment: r.comment,
    published: r.publishedAt !== null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export function presentAdminReview(r: ReviewView): AdminReviewDto {
  return {
    ...presentReview(r),
    windowClosesAt: r.windowClosesAt.toISOString(),
    hidden: r.hiddenAt !== null,
    hiddenAt: r.hiddenAt?.toISOString() ?? null,
    hiddenReason: r.hiddenReason,
  };
}
