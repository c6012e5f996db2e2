import { abilitiesOf, type AdRequestFacts, type Party } from '@iescp/shared';
import type { Actor } from '../../lib/actor.js';
import type { AdRequestRow } from './ad-requests.repository.js';

/**
 * Accepting reserves money, so it needs a campaign that runs: one that has ended (or was
 * deleted: `undefined`) takes no acceptance; its open offers are about to expire.
 */
export function campaignTakesAcceptance(campaignStatus: 'upcoming' | 'active' | 'ended' | undefined): boolean {
  return campaignStatus !== undefined && campaignStatus !== 'ended';
}

/** The caller's side of the deal, or null when the caller is not a party. */
export function partyOf(actor: Actor, row: Pick<AdRequestRow, 'sponsorId' | 'influencerId'>): Party | null {
  if (actor.role === 'sponsor' && actor.id === row.sponsorId) return 'sponsor';
  if (actor.role === 'influencer' && actor.id === row.influencerId) return 'influencer';
  return null;
}

/** Parties and admins see an ad request; everyone else gets a 404. */
export function canSee(actor: Actor, row: Pick<AdRequestRow, 'sponsorId' | 'influencerId'>): boolean {
  return actor.role === 'admin' || partyOf(actor, row) !== null;
}

export function factsOf(row: Pick<AdRequestRow, 'status' | 'awaitingParty' | 'initiatedBy'>): AdRequestFacts {
  return { status: row.status, awaitingParty: row.awaitingParty, initiatedBy: row.initiatedBy };
}

/** `abilities` as sent to clients: what this caller may do now (admins watch, they do not act). */
export function abilities(
  actor: Actor,
  row: AdRequestRow,
  campaignStatus: 'upcoming' | 'active' | 'ended' | undefined,
) {
  const party = partyOf(actor, row);
  const a = party ? abilitiesOf(party, factsOf(row)) : null;
  return {
    edit: a?.edit ?? false,
    counter: a?.counter ?? false,
    accept: (a?.accept ?? false) && campaignTakesAcceptance(campaignStatus),
    reject: a?.reject ?? false,
    withdraw: a?.withdraw ?? false,
    deliver: a?.deliver ?? false,
    requestRevision: a?.request_revision ?? false,
    complete: a?.complete ?? false,
    cancel: a?.cancel ?? false,
    delete: a?.delete ?? false,
  };
}
