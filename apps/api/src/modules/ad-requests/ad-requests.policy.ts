import { abilitiesOf, type AdRequestAction, type AdRequestFacts, type Party } from '@iescp/shared';
import type { Actor } from '../../lib/actor.js';
import { takesPart } from '../accounts/accounts.policy.js';
import type { AdRequestRow } from './ad-requests.repository.js';

/**
 * Accepting reserves money, so it needs a campaign that runs: one that has ended (or was
 * deleted: `undefined`) takes no acceptance; its open offers are about to expire.
 */
export function campaignTakesAcceptance(campaignStatus: 'upcoming' | 'active' | 'ended' | undefined): boolean {
  return campaignStatus !== undefined && campaignStatus !== 'ended';
}

/**
 * The actions that make or change an offer, so a commitment of money: a flagged party may not
 * take them (accounts.policy), and nobody may accept an offer of a flagged one. Everything
 * else (reject, withdraw, deliver, request a revision, complete, cancel, delete) winds a deal
 * down or finishes what was agreed, and stays open to flagged users.
 */
export const COMMITTING_ACTIONS: readonly AdRequestAction[] = ['edit', 'counter', 'accept'];

export function commits(action: AdRequestAction): boolean {
  return COMMITTING_ACTIONS.includes(action);
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
  const part = takesPart(actor);
  return {
    edit: (a?.edit ?? false) && part,
    counter: (a?.counter ?? false) && part,
    accept: (a?.accept ?? false) && part && campaignTakesAcceptance(campaignStatus),
    reject: a?.reject ?? false,
    withdraw: a?.withdraw ?? false,
    deliver: a?.deliver ?? false,
    requestRevision: a?.request_revision ?? false,
    complete: a?.complete ?? false,
    cancel: a?.cancel ?? false,
    delete: a?.delete ?? false,
  };
}
