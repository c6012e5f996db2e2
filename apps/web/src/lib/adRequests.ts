/**
 * How the web app names and groups ad requests ("deals"). The rules of who may do what stay
 * on the server (each request carries its `abilities`); this module only words and groups.
 */
import { TERMINAL_STATUSES, type AdRequestStatus, type Party } from '@iescp/shared';
import type { AdRequest, AdRequestQuery, Page } from '@/api/types';

export const AD_REQUEST_STATUS_LABELS: Record<AdRequestStatus, string> = {
  pending: 'Pending',
  negotiating: 'Negotiating',
  accepted: 'Accepted',
  delivered: 'Delivered',
  completed: 'Completed',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const AD_REQUEST_STATUS_CLASSES: Record<AdRequestStatus, string> = {
  pending: 'bg-warning-subtle text-warning-emphasis border-warning-subtle',
  negotiating: 'bg-info-subtle text-info-emphasis border-info-subtle',
  accepted: 'bg-primary-subtle text-primary-emphasis border-primary-subtle',
  delivered: 'bg-primary-subtle text-primary-emphasis border-primary-subtle',
  completed: 'bg-success-subtle text-success-emphasis border-success-subtle',
  rejected: 'bg-danger-subtle text-danger-emphasis border-danger-subtle',
  withdrawn: 'bg-secondary-subtle text-secondary-emphasis border-secondary-subtle',
  cancelled: 'bg-secondary-subtle text-secondary-emphasis border-secondary-subtle',
  expired: 'bg-secondary-subtle text-secondary-emphasis border-secondary-subtle',
};

export const AD_REQUEST_STATUS_ICONS: Record<AdRequestStatus, string> = {
  pending: 'bi-hourglass-split',
  negotiating: 'bi-arrow-left-right',
  accepted: 'bi-hand-thumbs-up',
  delivered: 'bi-box-seam',
  completed: 'bi-check2-circle',
  rejected: 'bi-x-circle',
  withdrawn: 'bi-arrow-counterclockwise',
  cancelled: 'bi-slash-circle',
  expired: 'bi-clock-history',
};

/** The statuses the "Closed" tab gathers: the ones no action leaves, except a paid deal. */
export const CLOSED_STATUSES = TERMINAL_STATUSES.filter((status) => status !== 'completed');

export const INBOX_TABS = [
  { key: 'all', label: 'All' },
  { key: 'awaiting', label: 'Awaiting me' },
  { key: 'pending', label: 'Pending' },
  { key: 'negotiating', label: 'Negotiating' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'completed', label: 'Completed' },
  { key: 'closed', label: 'Closed' },
] as const;
export type InboxTab = (typeof INBOX_TABS)[number]['key'];

export function inboxTabFromQuery(value: unknown): InboxTab {
  return INBOX_TABS.some((tab) => tab.key === value) ? (value as InboxTab) : 'all';
}

/** The party the signed-in user is on this request, or null (an admin looking on). */
export function myParty(request: AdRequest, userId: string | undefined): Party | null {
  if (request.sponsorId === userId) return 'sponsor';
  if (request.influencerId === userId) return 'influencer';
  return null;
}

export interface Turn {
  /** Whether the next step is the viewer's. */
  mine: boolean;
  text: string;
}

/**
 * Whose move it is, in words. Offers wait for `awaitingParty`; after acceptance the creator
 * delivers and then the brand reviews (the server's abilities decide the buttons, not this).
 */
export function turnOf(request: AdRequest, viewer: Party | null): Turn | null {
  const names: Record<Party, string> = {
    sponsor: request.sponsor.displayName,
    influencer: request.influencer.displayName,
  };
  let party: Party | null = null;
  let what = '';
  if (request.status === 'pending' || request.status === 'negotiating') {
    party = request.awaitingParty;
    what = 'to answer the offer';
  } else if (request.status === 'accepted') {
    party = 'influencer';
    what = 'to deliver';
  } else if (request.status === 'delivered') {
    party = 'sponsor';
    what = 'to review the work';
  }
  if (!party) return null;
  if (party === viewer) return { mine: true, text: `Your turn ${what}` };
  return { mine: false, text: `Waiting for ${names[party]} ${what}` };
}

export const PARTY_LABELS: Record<Party, string> = { sponsor: 'Brand', influencer: 'Creator' };

/**
 * Pages over several statuses at once (the "Closed" tab) with one "Load more": a k-way merge
 * of the per-status keyset lists in the server's order (newest `createdAt`, then `id`), so no
 * row is shown twice or out of order however the statuses interleave.
 */
export function mergedStatusPager(
  statuses: readonly AdRequestStatus[],
  base: Omit<AdRequestQuery, 'status' | 'cursor'>,
  pageSize: number,
  fetchPage: (query: AdRequestQuery) => Promise<Page<AdRequest>>,
): (cursor: string | null) => Promise<Page<AdRequest>> {
  interface Source {
    status: AdRequestStatus;
    buffer: AdRequest[];
    cursor: string | null;
    done: boolean;
  }
  let sources: Source[] = [];
  let page = 0;

  const newer = (a: AdRequest, b: AdRequest) => (a.createdAt === b.createdAt ? a.id > b.id : a.createdAt > b.createdAt);

  return async (cursor) => {
    if (cursor === null) {
      sources = statuses.map((status) => ({ status, buffer: [], cursor: null, done: false }));
      page = 0;
    }
    const out: AdRequest[] = [];
    while (out.length < pageSize) {
      // Refill every source that ran dry but has more: the merge needs each one's next row.
      const dry = sources.filter((source) => source.buffer.length === 0 && !source.done);
      await Promise.all(
        dry.map(async (source) => {
          const result = await fetchPage({
            ...base,
            status: source.status,
            limit: pageSize,
            ...(source.cursor ? { cursor: source.cursor } : {}),
          });
          source.buffer.push(...result.items);
          source.cursor = result.nextCursor;
          source.done = result.nextCursor === null;
        }),
      );
      let best: Source | null = null;
      for (const source of sources) {
        const head = source.buffer[0];
        if (head && (!best || newer(head, best.buffer[0]!))) best = source;
      }
      if (!best) break;
      out.push(best.buffer.shift()!);
    }
    const more = sources.some((source) => source.buffer.length > 0 || !source.done);
    page += 1;
    return { items: out, nextCursor: more ? `merged-${page}` : null };
  };
}
