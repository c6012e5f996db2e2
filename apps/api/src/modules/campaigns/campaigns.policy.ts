import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../plugins/auth.js';
import { adRequests, campaigns, users } from '../../db/schema/index.js';

/** A sponsor whose campaigns others may see: active and not flagged. (`role` lets the role/status index serve it.) */
export const sponsorInGoodStanding: SQL = sql`exists (select 1 from ${users} s where s.id = ${campaigns.sponsorId} and s.role = 'sponsor' and s.status = 'active' and s.flagged = false)`;

/**
 * Who sees which campaign (API.md "Visibility"), as one SQL condition used by every read, so
 * lists, detail and cache keys can never disagree. Admins see all; owners see their own; others
 * see public, unflagged campaigns of sponsors in good standing.
 */
export function visibleTo(actor: Actor): SQL | undefined {
  const open = and(eq(campaigns.visibility, 'public'), eq(campaigns.flagged, false), sponsorInGoodStanding)!;
  if (actor.role === 'admin') return undefined;
  if (actor.role === 'sponsor') return or(eq(campaigns.sponsorId, actor.id), open);
  // Influencers also see the private campaigns they have an ad request on.
  const invited = sql`exists (select 1 from ${adRequests} ar where ar.campaign_id = ${campaigns.id} and ar.influencer_id = ${actor.id} and ar.deleted_at is null)`;
  return and(eq(campaigns.flagged, false), sponsorInGoodStanding, or(eq(campaigns.visibility, 'public'), invited));
}

export interface CampaignFacts {
  sponsorId: string;
  visibility: 'public' | 'private';
  status: 'upcoming' | 'active' | 'ended';
  flagged: boolean;
}

/** What `actor` may do with a campaign it can see; sent to clients as `abilities`. */
export function campaignAbilities(actor: Actor, c: CampaignFacts) {
  const owner = actor.role === 'sponsor' && actor.id === c.sponsorId;
  return {
    edit: owner,
    delete: owner,
    flag: actor.role === 'admin',
    apply: actor.role === 'influencer' && c.visibility === 'public' && c.status === 'active' && !c.flagged,
  };
}

export function isOwner(actor: Actor, c: { sponsorId: string }): boolean {
  return actor.role === 'sponsor' && actor.id === c.sponsorId;
}
