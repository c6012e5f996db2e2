/** The influencer directory's filters, kept in the URL query so a search can be shared and reloaded. */
import {
  INFLUENCER_SORTS,
  LIMITS,
  NICHES,
  PLATFORMS,
  type InfluencerSort,
  type Niche,
  type Platform,
} from '@iescp/shared';
import type { LocationQuery } from 'vue-router';
import type { InfluencerQuery } from '@/api/types';
import { firstParam, numberParam, oneOf, wholeParam } from './queryParams';

export interface InfluencerFilters {
  q: string;
  niche: Niche | '';
  platform: Platform | '';
  minReach: number | null;
  maxReach: number | null;
  minRating: number | null;
  country: string;
  sort: InfluencerSort;
}

export const INFLUENCER_SORT_LABELS: Record<InfluencerSort, string> = {
  relevance: 'Best match',
  reach_desc: 'Largest reach',
  rating_desc: 'Highest rated',
  newest: 'Newest',
};

/** Reach presets for the filter's select; any whole number in the URL works too. */
export const REACH_STEPS = [1_000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000] as const;

export function emptyInfluencerFilters(): InfluencerFilters {
  return {
    q: '',
    niche: '',
    platform: '',
    minReach: null,
    maxReach: null,
    minRating: null,
    country: '',
    sort: 'relevance',
  };
}

export function influencerFiltersFromQuery(query: LocationQuery): InfluencerFilters {
  const country = firstParam(query.country).toUpperCase();
  return {
    q: firstParam(query.q).slice(0, LIMITS.search.max),
    niche: oneOf(firstParam(query.niche), NICHES),
    platform: oneOf(firstParam(query.platform), PLATFORMS),
    minReach: wholeParam(firstParam(query.minReach), LIMITS.followers.max * LIMITS.platforms.max),
    maxReach: wholeParam(firstParam(query.maxReach), LIMITS.followers.max * LIMITS.platforms.max),
    minRating: numberParam(firstParam(query.minRating), 0, 5),
    country: new RegExp(`^[A-Z]{${LIMITS.country.length}}$`).test(country) ? country : '',
    sort: oneOf(firstParam(query.sort), INFLUENCER_SORTS) || 'relevance',
  };
}

export function influencerFiltersToQuery(filters: InfluencerFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.niche) query.niche = filters.niche;
  if (filters.platform) query.platform = filters.platform;
  if (filters.minReach !== null) query.minReach = String(filters.minReach);
  if (filters.maxReach !== null) query.maxReach = String(filters.maxReach);
  if (filters.minRating !== null) query.minRating = String(filters.minRating);
  if (filters.country) query.country = filters.country;
  if (filters.sort !== 'relevance') query.sort = filters.sort;
  return query;
}

export function influencerFiltersToApi(filters: InfluencerFilters): InfluencerQuery {
  const query: InfluencerQuery = { sort: filters.sort };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.niche) query.niche = filters.niche;
  if (filters.platform) query.platform = filters.platform;
  if (filters.minReach !== null) query.minReach = filters.minReach;
  if (filters.maxReach !== null) query.maxReach = filters.maxReach;
  if (filters.minRating !== null) query.minRating = filters.minRating;
  if (filters.country) query.country = filters.country;
  return query;
}

export function hasInfluencerFilters(filters: InfluencerFilters): boolean {
  const { sort: _sort, ...rest } = influencerFiltersToQuery(filters);
  return Object.keys(rest).length > 0;
}
