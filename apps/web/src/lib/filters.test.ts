import { describe, expect, it } from 'vitest';
import { filtersFromQuery, filtersToQuery, hasFilters } from './adminFilters';
import {
  campaignFiltersFromQuery,
  campaignFiltersToApi,
  campaignFiltersToQuery,
  emptyCampaignFilters,
  hasCampaignFilters,
} from './campaignFilters';
import { influencerFiltersFromQuery, influencerFiltersToQuery } from './influencerFilters';
import { firstParam, numberParam, oneOf, wholeParam } from './queryParams';

describe('query params', () => {
  it('reads the first string of a repeated parameter', () => {
    expect(firstParam(['a', 'b'])).toBe('a');
    expect(firstParam(null)).toBe('');
    expect(firstParam(undefined)).toBe('');
  });

  it('accepts only listed values and numbers in range', () => {
    expect(oneOf('food', ['food', 'travel'] as const)).toBe('food');
    expect(oneOf('cars', ['food', 'travel'] as const)).toBe('');
    expect(wholeParam('42', 100)).toBe(42);
    expect(wholeParam('4.2', 100)).toBeNull();
    expect(wholeParam('101', 100)).toBeNull();
    expect(numberParam('4.5', 0, 5)).toBe(4.5);
    expect(numberParam('6', 0, 5)).toBeNull();
  });
});

describe('campaign filters', () => {
  it('keep only what is set in the URL, and the sort when it is not the default', () => {
    const filters = { ...emptyCampaignFilters(), q: ' shoes ', niche: 'fashion' as const, minBudgetCents: 5000 };
    expect(campaignFiltersToQuery(filters)).toEqual({ q: 'shoes', niche: 'fashion', minBudgetCents: '5000' });
    expect(campaignFiltersToQuery({ ...filters, sort: 'newest' }, 'newest')).not.toHaveProperty('sort');
    expect(campaignFiltersToQuery({ ...filters, sort: 'budget_desc' })).toHaveProperty('sort', 'budget_desc');
  });

  it('round-trip through the URL and drop malformed values', () => {
    const query = { q: 'shoes', niche: 'fashion', status: 'bogus', maxBudgetCents: 'lots', sort: 'newest' };
    const filters = campaignFiltersFromQuery(query);
    expect(filters).toEqual({
      q: 'shoes',
      niche: 'fashion',
      status: '',
      minBudgetCents: null,
      maxBudgetCents: null,
      sort: 'newest',
    });
    expect(campaignFiltersFromQuery(campaignFiltersToQuery(filters))).toEqual(filters);
  });

  it('send the API only the set filters, and count as filtered without the sort', () => {
    const filters = { ...emptyCampaignFilters('newest'), status: 'active' as const };
    expect(campaignFiltersToApi(filters)).toEqual({ sort: 'newest', status: 'active' });
    expect(hasCampaignFilters(filters)).toBe(true);
    expect(hasCampaignFilters(emptyCampaignFilters('budget_asc'))).toBe(false);
  });
});

describe('influencer filters', () => {
  it('upper-case a valid country and drop an invalid one', () => {
    expect(influencerFiltersFromQuery({ country: 'gb' }).country).toBe('GB');
    expect(influencerFiltersFromQuery({ country: 'GBR' }).country).toBe('');
  });

  it('round-trip reach and rating through the URL', () => {
    const filters = influencerFiltersFromQuery({ minReach: '10000', minRating: '4.5', platform: 'youtube' });
    expect(filters).toMatchObject({ minReach: 10000, maxReach: null, minRating: 4.5, platform: 'youtube' });
    expect(influencerFiltersFromQuery(influencerFiltersToQuery(filters))).toEqual(filters);
  });
});

describe('admin user filters', () => {
  it('read known roles, statuses and flags only', () => {
    const filters = filtersFromQuery({ role: 'sponsor', status: 'nope', flagged: 'true', q: 'ann' });
    expect(filters).toEqual({ role: 'sponsor', status: '', flagged: 'true', q: 'ann' });
    expect(hasFilters(filters)).toBe(true);
    expect(filtersFromQuery(filtersToQuery(filters))).toEqual(filters);
  });
});
