import { describe, expect, it, vi } from 'vitest';
import type { AdRequest, AdRequestQuery } from '@/api/types';
import { inboxTabFromQuery, mergedStatusPager, myParty, turnOf } from './adRequests';

const request = (extra: Partial<AdRequest> = {}): AdRequest =>
  ({
    id: 'r1',
    sponsorId: 's1',
    influencerId: 'i1',
    sponsor: { id: 's1', displayName: 'Brand Co' },
    influencer: { id: 'i1', displayName: 'Casey' },
    status: 'pending',
    awaitingParty: 'influencer',
    createdAt: '2026-01-01T00:00:00Z',
    ...extra,
  }) as AdRequest;

describe('inbox tabs', () => {
  it('fall back to "all" for anything unknown', () => {
    expect(inboxTabFromQuery('closed')).toBe('closed');
    expect(inboxTabFromQuery('bogus')).toBe('all');
    expect(inboxTabFromQuery(undefined)).toBe('all');
  });
});

describe('turnOf', () => {
  it('says whose move an offer waits for', () => {
    expect(myParty(request(), 'i1')).toBe('influencer');
    expect(myParty(request(), 'admin')).toBeNull();
    expect(turnOf(request(), 'influencer')).toEqual({ mine: true, text: 'Your turn to answer the offer' });
    expect(turnOf(request(), 'sponsor')).toEqual({ mine: false, text: 'Waiting for Casey to answer the offer' });
  });

  it('follows the deal after acceptance, and has nothing to say once it is over', () => {
    expect(turnOf(request({ status: 'accepted' }), 'sponsor')?.text).toBe('Waiting for Casey to deliver');
    expect(turnOf(request({ status: 'delivered' }), 'sponsor')?.text).toBe('Your turn to review the work');
    expect(turnOf(request({ status: 'completed' }), 'sponsor')).toBeNull();
  });
});

describe('mergedStatusPager', () => {
  it('merges per-status lists newest first, each row once, across pages', async () => {
    const rows: Record<string, AdRequest[]> = {
      rejected: [
        request({ id: 'a', createdAt: '2026-01-05T00:00:00Z' }),
        request({ id: 'c', createdAt: '2026-01-02T00:00:00Z' }),
      ],
      expired: [
        request({ id: 'b', createdAt: '2026-01-04T00:00:00Z' }),
        request({ id: 'd', createdAt: '2026-01-01T00:00:00Z' }),
      ],
    };
    // The server pages each status one row at a time here, to exercise the refills.
    const fetchPage = vi.fn(async (query: AdRequestQuery) => {
      const list = rows[query.status!]!;
      const start = query.cursor ? Number(query.cursor) : 0;
      return { items: list.slice(start, start + 1), nextCursor: start + 1 < list.length ? String(start + 1) : null };
    });
    const pager = mergedStatusPager(['rejected', 'expired'], {}, 3, fetchPage);

    const first = await pager(null);
    expect(first.items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(first.nextCursor).not.toBeNull();
    const second = await pager(first.nextCursor);
    expect(second.items.map((item) => item.id)).toEqual(['d']);
    expect(second.nextCursor).toBeNull();
  });
});
