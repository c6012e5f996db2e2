import type { Party } from '@iescp/shared';
import type { Actor } from '../../lib/actor.js';
import type { DealFacts, ReviewRow } from './reviews.repository.js';

/** The caller's side of the deal, or null when the caller is not a party. */
export function partyOf(actor: Actor, deal: Pick<DealFacts, 'sponsorId' | 'influencerId'>): Party | null {
  if (actor.role === 'sponsor' && actor.id === deal.sponsorId) return 'sponsor';
  if (actor.role === 'influencer' && actor.id === deal.influencerId) return 'influencer';
  return null;
}

/** Parties and admins see a deal's reviews page; everyone else gets a 404, as for the deal itself. */
export function canSeeDeal(actor: Actor, deal: Pick<DealFacts, 'sponsorId' | 'influencerId'>): boolean {
  return actor.role === 'admin' || partyOf(actor, deal) !== null;
}

/**
 * Double-blind: a review shows to admins always; to its author until moderation hides it; to
 * anyone else once it is published and not hidden.
 */
export function canSeeReview(actor: Actor, review: Pick<ReviewRow, 'authorId' | 'publishedAt' | 'hiddenAt'>): boolean {
  if (actor.role === 'admin') return true;
  if (review.hiddenAt) return false;
  return review.authorId === actor.id || review.publishedAt !== null;
}

/** When a completed deal's reviews publish at the latest. */
export function windowClosesAt(completedAt: Date, windowDays: number): Date {
  return new Date(completedAt.getTime() + windowDays * 86_400_000);
}

/** A party may review a completed deal once, before its window closes. */
export function canReview(actor: Actor, deal: DealFacts, reviewed: boolean, windowDays: number, now: Date): boolean {
  return (
    partyOf(actor, deal) !== null &&
    deal.status === 'completed' &&
    !reviewed &&
    now < windowClosesAt(deal.statusChangedAt, windowDays)
  );
}
