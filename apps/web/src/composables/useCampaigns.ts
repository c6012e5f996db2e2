/**
 * Campaign data for pages and components: the searches (Discover, My campaigns, a sponsor's
 * page), one campaign, its stats, and the changes people make. The one place that calls
 * `api.campaigns`, so views never talk to the client themselves: `useX` for state a page
 * shows, plain functions for one-shot calls.
 */
import { LIMITS, type CampaignSort, type CampaignStatus, type Niche } from '@iescp/shared';
import { ref, shallowRef, watch } from 'vue';
import { api } from '@/api/client';
import { problemMessage } from '@/api/errors';
import type { Campaign, CampaignStats, CreateCampaignBody, UpdateCampaignBody } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { useQueryFilteredList } from '@/composables/useQueryFilteredList';
import { useResource } from '@/composables/useResource';
import {
  campaignFiltersFromQuery,
  campaignFiltersToApi,
  campaignFiltersToQuery,
  emptyCampaignFilters,
  type CampaignFilters,
} from '@/lib/campaignFilters';
import { pageCount, pageQuery } from '@/lib/paging';

const SEARCH_PAGE_SIZE = 12;
const SPONSOR_PAGE_SIZE = 6;
/** Counts come from one page of the list (up to 100): "100+" beyond that. */
const COUNT_PAGE = 100;

/** Discover: every campaign the viewer may see, filtered and sorted by the URL query. */
export function useCampaignSearch() {
  return useQueryFilteredList<CampaignFilters, Campaign>(
    {
      fromQuery: (query) => campaignFiltersFromQuery(query),
      toQuery: (current) => campaignFiltersToQuery(current),
      cleared: (current) => emptyCampaignFilters(current.sort),
    },
    (current, cursor) => {
      const { minBudgetCents: min, maxBudgetCents: max } = current;
      // A crossed budget range (from an edited URL) matches nothing; the panel says why.
      if (min !== null && max !== null && min > max) return Promise.resolve({ items: [], nextCursor: null });
      return api.campaigns.list({ ...campaignFiltersToApi(current), ...pageQuery(SEARCH_PAGE_SIZE, cursor) });
    },
  );
}

/** My campaigns: the sponsor's own, newest first unless the URL says otherwise. */
export function useMyCampaigns() {
  const defaultSort: CampaignSort = 'newest';
  return useQueryFilteredList<CampaignFilters, Campaign>(
    {
      fromQuery: (query) => campaignFiltersFromQuery(query, defaultSort),
      toQuery: (current) => campaignFiltersToQuery(current, defaultSort),
      cleared: (current) => emptyCampaignFilters(current.sort),
    },
    (current, cursor) =>
      api.campaigns.list({
        ...campaignFiltersToApi(current),
        mine: true,
        ...pageQuery(LIMITS.pageSize.default, cursor),
      }),
  );
}

/** A sponsor's campaigns on their public page, newest first, reloaded when the sponsor changes. */
export function useSponsorCampaigns(sponsorId: () => string) {
  const list = useKeysetList<Campaign>((cursor) =>
    api.campaigns.list({ sponsorId: sponsorId(), sort: 'newest', ...pageQuery(SPONSOR_PAGE_SIZE, cursor) }),
  );
  watch(sponsorId, () => void list.reload(), { immediate: true });
  return list;
}

/** One campaign by id; an empty id (a new campaign's form) loads nothing. */
export function useCampaign(id: () => string) {
  return useResource<Campaign | null>(id, (campaignId) =>
    campaignId ? api.campaigns.get(campaignId) : Promise.resolve(null),
  );
}

/**
 * The campaign behind a deal, for its budget, when `campaignId` gives one (the viewer may see
 * it); a failure only hides the budget, so it leaves null.
 */
export function useCampaignBudget(campaignId: () => string | null) {
  const campaign = ref<Campaign | null>(null);
  /** Keeps what is shown until the new answer arrives (after an action moved money). */
  async function reload(): Promise<void> {
    const id = campaignId();
    if (!id) return;
    try {
      campaign.value = await api.campaigns.get(id);
    } catch {
      campaign.value = null;
    }
  }
  watch(campaignId, () => {
    campaign.value = null;
    void reload();
  });
  return { campaign, reload };
}

/** A campaign's figures for its owner and admins, reloaded whenever the campaign changes. */
export function useCampaignStats(campaign: () => Campaign) {
  const stats = ref<CampaignStats | null>(null);
  const error = shallowRef<string | null>(null);
  const loading = ref(true);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      stats.value = await api.campaigns.stats(campaign().id);
    } catch (cause) {
      error.value = problemMessage(cause);
    } finally {
      loading.value = false;
    }
  }

  // An edit or a flag hands over a new object with a new `updatedAt`.
  watch(
    () => [campaign().id, campaign().updatedAt],
    () => void load(),
    { immediate: true },
  );
  return { stats, error, loading, reload: load };
}

/** The sponsor's campaigns that can still take offers (not ended), soonest ending first. */
export async function fetchInvitableCampaigns(): Promise<Campaign[]> {
  const page = await api.campaigns.list({ mine: true, sort: 'ending_soon', limit: COUNT_PAGE });
  return page.items.filter((item) => item.status !== 'ended');
}

/** How many campaigns match, as a label ("12", "100+"). */
export async function countCampaigns(query: {
  mine?: boolean;
  status?: CampaignStatus;
  niche?: Niche;
  sort?: CampaignSort;
}): Promise<string> {
  return pageCount(await api.campaigns.list({ ...query, limit: COUNT_PAGE }), COUNT_PAGE);
}

// What owners and admins do to a campaign; errors are thrown for the caller's form or toast.
export const createCampaign = (body: CreateCampaignBody) => api.campaigns.create(body);
/** Send only the fields that changed: the server treats every field present as a change. */
export const updateCampaign = (id: string, body: UpdateCampaignBody) => api.campaigns.update(id, body);
export const removeCampaign = (id: string) => api.campaigns.remove(id);
export const flagCampaign = (id: string, reason: string) => api.admin.flagCampaign(id, reason);
export const unflagCampaign = (id: string) => api.admin.unflagCampaign(id);
