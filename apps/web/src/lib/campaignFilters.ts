/**
 * Campaign list filters (Discover, My campaigns, a sponsor's page), kept in the URL query so a
 * filtered view can be shared and reloaded. Budgets travel in cents, as the API takes them.
 */
import {
  CAMPAIGN_SORTS,
  CAMPAIGN_STATUSES,
  LIMITS,
  NICHES,
  type CampaignSort,
  type CampaignStatus,
  type Niche,
} from '@iescp/shared';
import type { LocationQuery } from 'vue-router';
import type { CampaignQuery } from '@/api/types';
import { firstParam, oneOf, wholeParam } from './queryParams';

export interface CampaignFilters {
  q: string;
  niche: Niche | '';
  status: CampaignStatus | '';
  minBudgetCents: number | null;
  maxBudgetCents: number | null;
  sort: CampaignSort;
}

export const CAMPAIGN_SORT_LABELS: Record<CampaignSort, string> = {
  relevance: 'Best match',
  newest: 'Newest',
  budget_desc: 'Budget: high to low',
  budget_asc: 'Budget: low to high',
  ending_soon: 'Ending soon',
};

export function emptyCampaignFilters(sort: CampaignSort = 'relevance'): CampaignFilters {
  return { q: '', niche: '', status: '', minBudgetCents: null, maxBudgetCents: null, sort };
}

export function campaignFiltersFromQuery(
  query: LocationQuery,
  defaultSort: CampaignSort = 'relevance',
): CampaignFilters {
  return {
    q: firstParam(query.q).slice(0, LIMITS.search.max),
    niche: oneOf(firstParam(query.niche), NICHES),
    status: oneOf(firstParam(query.status), CAMPAIGN_STATUSES),
    minBudgetCents: wholeParam(firstParam(query.minBudgetCents), LIMITS.moneyCents.max),
    maxBudgetCents: wholeParam(firstParam(query.maxBudgetCents), LIMITS.moneyCents.max),
    sort: oneOf(firstParam(query.sort), CAMPAIGN_SORTS) || defaultSort,
  };
}

/** Only the filters that are set (and a sort other than the default), as URL query strings. */
export function campaignFiltersToQuery(
  filters: CampaignFilters,
  defaultSort: CampaignSort = 'relevance',
): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.niche) query.niche = filters.niche;
  if (filters.status) query.status = filters.status;
  if (filters.minBudgetCents !== null) query.minBudgetCents = String(filters.minBudgetCents);
  if (filters.maxBudgetCents !== null) query.maxBudgetCents = String(filters.maxBudgetCents);
  if (filters.sort !== defaultSort) query.sort = filters.sort;
  return query;
}

export function campaignFiltersToApi(filters: CampaignFilters): CampaignQuery {
  const query: CampaignQuery = { sort: filters.sort };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.niche) query.niche = filters.niche;
  if (filters.status) query.status = filters.status;
  if (filters.minBudgetCents !== null) query.minBudgetCents = filters.minBudgetCents;
  if (filters.maxBudgetCents !== null) query.maxBudgetCents = filters.maxBudgetCents;
  return query;
}

/** Whether anything narrows the list (the sort does not). */
export function hasCampaignFilters(filters: CampaignFilters): boolean {
  return Boolean(
    filters.q.trim() ||
    filters.niche ||
    filters.status ||
    filters.minBudgetCents !== null ||
    filters.maxBudgetCents !== null,
  );
}
