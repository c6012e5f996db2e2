import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditFilterCodec, auditFiltersToApi, detailLines, subjectLink } from './auditLog';

const ID = '0b6f1c1e-8c1a-4c55-9a57-6a0c5b1f2d3e';

describe('audit log filters', () => {
  it('read well-formed filters from the URL and drop malformed ones (never a 400 from a hand-edited link)', () => {
    const filters = auditFilterCodec.fromQuery({
      q: 'ada@',
      action: 'user.flag',
      subjectType: 'ad_request',
      subjectId: ID,
      actorId: 'not-an-id',
      from: '2026-03-01',
      to: 'tomorrow',
    });
    expect(filters).toEqual({
      q: 'ada@',
      sort: 'newest',
      action: 'user.flag',
      subjectType: 'ad_request',
      subjectId: ID,
      actorId: '',
      from: '2026-03-01',
      to: '',
    });
    expect(auditFilterCodec.fromQuery({ action: 'user.flag;drop' }).action).toBe('');
  });

  it('write only the set filters to the URL, and send the search as `actor`', () => {
    const filters = auditFilterCodec.fromQuery({ q: ' ada ', action: 'money.reserve', from: '2026-03-01' });
    expect(auditFilterCodec.toQuery(filters)).toEqual({ q: 'ada', action: 'money.reserve', from: '2026-03-01' });
    expect(auditFiltersToApi(filters)).toEqual({ actor: 'ada', action: 'money.reserve', from: '2026-03-01' });
    expect(auditFilterCodec.toQuery(auditFilterCodec.cleared(filters))).toEqual({});
  });
});

describe('audit rows', () => {
  it('name actions in words, and unknown ones by their name', () => {
    expect(auditActionLabel('user.flag')).toBe('Flagged a user');
    expect(auditActionLabel('money.release')).toBe('Money paid to the influencer');
    expect(auditActionLabel('review.hide')).toBe('review.hide');
  });

  it('link money movements to their deal, and other subjects to their page', () => {
    expect(subjectLink({ subjectType: 'ad_request', subjectId: ID, subjectLabel: 'Spring' })).toEqual({
      name: 'deal-detail',
      params: { id: ID },
    });
    expect(subjectLink({ subjectType: 'campaign', subjectId: ID, subjectLabel: null })).toEqual({
      name: 'campaign-detail',
      params: { id: ID },
    });
    expect(subjectLink({ subjectType: 'user', subjectId: ID, subjectLabel: 'Ada' })).toEqual({
      name: 'admin-users',
      query: { q: 'Ada' },
    });
    expect(subjectLink({ subjectType: 'user', subjectId: ID, subjectLabel: null })).toBeNull();
    expect(subjectLink({ subjectType: 'something_new', subjectId: ID, subjectLabel: null })).toBeNull();
  });

  it('show details in words, money as money, and leave ids to the link', () => {
    expect(detailLines({ amountCents: 250_000, campaignId: ID, via: 'accept' })).toEqual([
      { label: 'Amount', value: '$2,500' },
      { label: 'Through', value: 'accept' },
    ]);
    expect(detailLines({ reason: 'Bought followers' })).toEqual([{ label: 'Reason', value: 'Bought followers' }]);
    expect(detailLines({})).toEqual([]);
  });
});
