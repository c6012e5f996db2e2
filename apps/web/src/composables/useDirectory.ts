/**
 * The influencer directory and public profiles: the search behind Find influencers and the
 * profile pages. The one place that calls `api.directory`.
 */
import { api } from '@/api/client';
import type { InfluencerCard, PublicProfile } from '@/api/types';
import { useQueryFilteredList } from '@/composables/useQueryFilteredList';
import { useResource } from '@/composables/useResource';
import {
  emptyInfluencerFilters,
  influencerFiltersFromQuery,
  influencerFiltersToApi,
  influencerFiltersToQuery,
  type InfluencerFilters,
} from '@/lib/influencerFilters';
import { pageQuery } from '@/lib/paging';

const SEARCH_PAGE_SIZE = 12;

/** Find influencers: creators filtered and sorted by the URL query. */
export function useInfluencerSearch() {
  return useQueryFilteredList<InfluencerFilters, InfluencerCard>(
    {
      fromQuery: influencerFiltersFromQuery,
      toQuery: influencerFiltersToQuery,
      cleared: (current) => ({ ...emptyInfluencerFilters(), sort: current.sort }),
    },
    (current, cursor) => {
      const { minReach, maxReach } = current;
      // A crossed reach range (from an edited URL) matches nothing; the panel says why.
      if (minReach !== null && maxReach !== null && minReach > maxReach) {
        return Promise.resolve({ items: [], nextCursor: null });
      }
      return api.directory.influencers({ ...influencerFiltersToApi(current), ...pageQuery(SEARCH_PAGE_SIZE, cursor) });
    },
  );
}

/** A creator's public profile, reloaded when the id changes. */
export function useInfluencerProfile(id: () => string) {
  return useResource<PublicProfile>(id, (influencerId) => api.directory.influencer(influencerId));
}

/** A brand's public profile, reloaded when the id changes. */
export function useSponsorProfile(id: () => string) {
  return useResource<PublicProfile>(id, (sponsorId) => api.directory.sponsor(sponsorId));
}
