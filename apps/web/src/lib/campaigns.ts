/** Small campaign facts the views share. */
import type { RouteLocationRaw } from 'vue-router';
import type { Campaign } from '@/api/types';
import { daysUntil, formatCalendarDate } from './format';
import { emptyInfluencerFilters, influencerFiltersToQuery } from './influencerFilters';

function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`;
}

/** "Starts in 3 days", "Ends today", "Ended Nov 2, 2026": where the campaign is in time. */
export function campaignTiming(campaign: Pick<Campaign, 'status' | 'startDate' | 'endDate'>): string {
  if (campaign.status === 'upcoming') {
    const until = daysUntil(campaign.startDate);
    return until <= 1 ? 'Starts tomorrow' : `Starts in ${days(until)}`;
  }
  if (campaign.status === 'active') {
    const left = daysUntil(campaign.endDate);
    return left <= 0 ? 'Ends today' : left === 1 ? 'Ends tomorrow' : `Ends in ${days(left)}`;
  }
  return `Ended ${formatCalendarDate(campaign.endDate)}`;
}

/** Calendar days a campaign runs, both ends included. */
export function campaignLength(startDate: string, endDate: string): number | null {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const end = Date.parse(`${endDate}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return null;
  return Math.round((end - start) / 86_400_000) + 1;
}

/** Where a campaign's "Invite creators" leads: Find influencers, already filtered to its niche. */
export function inviteCreatorsRoute(campaign: Pick<Campaign, 'niche'>): RouteLocationRaw {
  return {
    name: 'influencers',
    query: influencerFiltersToQuery({ ...emptyInfluencerFilters(), niche: campaign.niche }),
  };
}

/**
 * Whether the campaign page offers its owner the next step, inviting creators: a campaign that can
 * still take offers (not ended, not flagged) with no ad request yet, as a freshly created one is.
 * `adRequestCount` is null while the campaign's ad requests are still loading.
 */
export function showsInviteCallout(
  campaign: Pick<Campaign, 'status' | 'flagged' | 'abilities'>,
  isOwner: boolean,
  adRequestCount: number | null,
): boolean {
  return isOwner && campaign.abilities.edit && !campaign.flagged && campaign.status !== 'ended' && adRequestCount === 0;
}
