import type { Actor } from '../../lib/actor.js';
import { takesPart } from '../accounts/accounts.policy.js';

export interface CampaignFacts {
  sponsorId: string;
  visibility: 'public' | 'private';
  status: 'upcoming' | 'active' | 'ended';
  flagged: boolean;
}

export function isOwner(actor: Actor, c: { sponsorId: string }): boolean {
  return actor.role === 'sponsor' && actor.id === c.sponsorId;
}

/** Influencers apply only to public campaigns that run now and are not flagged. */
export function takesApplications(c: Omit<CampaignFacts, 'sponsorId'>): boolean {
  return c.visibility === 'public' && c.status === 'active' && !c.flagged;
}

/** What `actor` may do with a campaign it can see; sent to clients as `abilities`. */
export function campaignAbilities(actor: Actor, c: CampaignFacts) {
  const owner = isOwner(actor, c);
  return {
    edit: owner && takesPart(actor),
    delete: owner,
    flag: actor.role === 'admin',
    apply: actor.role === 'influencer' && takesPart(actor) && takesApplications(c),
  };
}

/** Owners and admins see a campaign's money and deal statistics and its flag reason. */
export function seesInternals(actor: Actor, c: { sponsorId: string }): boolean {
  return actor.role === 'admin' || isOwner(actor, c);
}
