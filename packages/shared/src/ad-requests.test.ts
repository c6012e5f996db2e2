import { describe, expect, it } from 'vitest';
import {
  AD_REQUEST_ACTIONS,
  AD_REQUEST_STATUSES,
  AD_REQUEST_TRANSITIONS,
  TERMINAL_STATUSES,
  abilitiesOf,
  canAct,
  partyToAct,
  type AdRequestFacts,
  type Party,
} from './ad-requests.js';

const facts = (over: Partial<AdRequestFacts>): AdRequestFacts => ({
  status: 'pending',
  awaitingParty: 'influencer',
  initiatedBy: 'sponsor',
  ...over,
});

describe('ad-request transition table', () => {
  it('never leaves a terminal state except to hide it', () => {
    for (const action of AD_REQUEST_ACTIONS) {
      const t = AD_REQUEST_TRANSITIONS[action];
      for (const from of t.from) {
        if (TERMINAL_STATUSES.includes(from)) expect(action).toBe('delete');
      }
    }
  });

  it('moves money only on accept (reserve), complete (release) and cancel (refund)', () => {
    const moving = AD_REQUEST_ACTIONS.filter((a) => AD_REQUEST_TRANSITIONS[a].money);
    expect(moving.sort()).toEqual(['accept', 'auto_complete', 'cancel', 'complete']);
  });

  it('lets only the awaiting party accept, reject or counter', () => {
    for (const action of ['accept', 'reject', 'counter'] as const) {
      for (const status of ['pending', 'negotiating'] as const) {
        for (const awaiting of ['sponsor', 'influencer'] as const) {
          const f = facts({ status, awaitingParty: awaiting });
          expect(canAct(action, awaiting, f)).toBe(true);
          expect(canAct(action, awaiting === 'sponsor' ? 'influencer' : 'sponsor', f)).toBe(false);
          expect(canAct(action, 'system', f)).toBe(false);
        }
      }
    }
  });

  it('lets only the initiator edit, and only before any counter-offer', () => {
    for (const initiatedBy of ['sponsor', 'influencer'] as const) {
      const other: Party = initiatedBy === 'sponsor' ? 'influencer' : 'sponsor';
      expect(canAct('edit', initiatedBy, facts({ initiatedBy, awaitingParty: other }))).toBe(true);
      expect(canAct('edit', other, facts({ initiatedBy, awaitingParty: other }))).toBe(false);
      expect(canAct('edit', initiatedBy, facts({ initiatedBy, status: 'negotiating' }))).toBe(false);
    }
  });

  it('reserves the system actions for the system', () => {
    for (const status of AD_REQUEST_STATUSES) {
      for (const party of ['sponsor', 'influencer'] as const) {
        expect(canAct('expire', party, facts({ status }))).toBe(false);
        expect(canAct('auto_complete', party, facts({ status }))).toBe(false);
      }
    }
    expect(canAct('expire', 'system', facts({ status: 'negotiating' }))).toBe(true);
    expect(canAct('auto_complete', 'system', facts({ status: 'delivered', awaitingParty: null }))).toBe(true);
  });

  it('gives each party exactly the abilities the table allows', () => {
    const delivered = facts({ status: 'delivered', awaitingParty: null });
    const sponsor = abilitiesOf('sponsor', delivered);
    const influencer = abilitiesOf('influencer', delivered);
    expect(
      Object.entries(sponsor)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['complete', 'request_revision']);
    expect(Object.values(influencer).some(Boolean)).toBe(false);
    const accepted = facts({ status: 'accepted', awaitingParty: null });
    expect(abilitiesOf('influencer', accepted)).toMatchObject({ deliver: true, cancel: true, complete: false });
    expect(abilitiesOf('sponsor', accepted)).toMatchObject({ deliver: false, cancel: true });
  });
});

describe('partyToAct', () => {
  it('is the awaited party on an open offer, the influencer to deliver, the sponsor to approve, nobody after', () => {
    for (const status of ['pending', 'negotiating'] as const)
      for (const awaitingParty of ['sponsor', 'influencer'] as const)
        for (const initiatedBy of ['sponsor', 'influencer'] as const)
          expect(partyToAct(facts({ status, awaitingParty, initiatedBy }))).toBe(awaitingParty);
    expect(partyToAct(facts({ status: 'accepted', awaitingParty: null }))).toBe('influencer');
    expect(partyToAct(facts({ status: 'delivered', awaitingParty: null }))).toBe('sponsor');
    for (const status of TERMINAL_STATUSES) expect(partyToAct(facts({ status, awaitingParty: null }))).toBeNull();
  });
});
