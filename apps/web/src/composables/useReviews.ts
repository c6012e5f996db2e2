/**
 * Reviews of completed deals: a deal's reviews as the viewer may see them (double-blind), writing
 * one, a profile's received reviews, and the admin's moderation list. The one place that calls
 * `api.reviews`.
 */
import { LIMITS } from '@iescp/shared';
import { api } from '@/api/client';
import type { AdminReview, AdminReviewQuery, DealReview, DealReviews, ReviewBody } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { useResource } from '@/composables/useResource';
import { pageQuery } from '@/lib/paging';

/** A deal's reviews, whether the viewer may still review, and when the window closes. */
export function useDealReviews(id: () => string) {
  return useResource<DealReviews>(id, (dealId) => api.reviews.ofDeal(dealId));
}

export function submitReview(dealId: string, body: ReviewBody): Promise<DealReview> {
  return api.reviews.submit(dealId, body);
}

export type AdminReviewFilters = Omit<AdminReviewQuery, 'limit' | 'cursor'>;

/** Every review for the admin, newest first, with the filters read on every page. */
export function useAdminReviewList(filters: () => AdminReviewFilters) {
  return useKeysetList<AdminReview>((cursor) =>
    api.reviews.adminList({ ...filters(), ...pageQuery(LIMITS.pageSize.default, cursor) }),
  );
}

export function hideReview(id: string, reason: string): Promise<AdminReview> {
  return api.reviews.hide(id, reason);
}
