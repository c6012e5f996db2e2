/** Small campaign facts the views share. */
import type { Campaign } from '@/api/types';
import { daysUntil, formatCalendarDate } from './format';

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
