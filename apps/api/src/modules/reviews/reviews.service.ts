import { LIMITS, otherParty } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../db/client.js';
import type { AppEvents, AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { alreadyReviewed, conflict, invalidTransition, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { AdRequestTransition } from '../ad-requests/ad-requests.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { canReview, canSeeDeal, canSeeReview, partyOf, windowClosesAt } from './reviews.policy.js';
import { presentAdminReview, presentReview } from './reviews.presenter.js';
import { reviewsRepository as repo, type DealFacts, type ReviewRow } from './reviews.repository.js';
import type { AdminReviewQueryInput, DealReviewsDto, ReviewBodyInput, ReviewDto } from './reviews.schemas.js';

const KEYS = repo.newestKeys;
/** Deals the job publishes per run; the next run takes the rest. */
const BATCH = 500;

const stars = (n: number) => `${n} star${n === 1 ? '' : 's'}`;

/**
 * Two-sided, double-blind reviews of completed deals. A review stays with its author until the
 * other party has reviewed too (both publish in that transaction) or the window closes (the
 * `publish-reviews` job, hourly). Reads show `published_at is not null` only, so between a
 * window's end and the next run a review is still private: publication and the rating summaries
 * it changes always move together, in one transaction.
 */
export function createReviewsService(deps: {
  db: Db;
  events: AppEvents;
  accounts: AccountsService;
  notifications: NotificationsService;
  audit: AuditService;
  windowDays: number;
}) {
  const { db, events, accounts, notifications, audit, windowDays } = deps;

  /**
   * Publishes the deal's pending reviews (those due by `dueBy`, or all), refreshes the subjects'
   * summaries and tells each subject, in the caller's transaction. Returns how many published.
   */
  async function publish(scope: AppScope, deal: DealFacts, at: Date, dueBy?: Date): Promise<number> {
    const published = await repo.publish(scope.tx, deal.id, at, dueBy);
    if (published.length === 0) return 0;
    const subjects = [...new Set(published.map((r) => r.subjectId))];
    for (const subjectId of subjects) await repo.refreshSummary(scope.tx, subjectId);
    await scope.emit({
      kind: 'review.published',
      adRequestId: deal.id,
      reviewIds: published.map((r) => r.id),
      subjectIds: subjects,
    });
    for (const r of published.filter((p) => p.hiddenAt === null)) {
      const from = r.authorId === deal.sponsorId ? deal.sponsorName : deal.influencerName;
      await notifications.notify(scope, {
        userId: r.subjectId,
        type: 'review_received',
        title: `New review from ${from}`,
        body: `${from} gave you ${stars(r.rating)} for “${deal.campaignName}”.`,
        link: `/ad-requests/${deal.id}`,
      });
    }
    return published.length;
  }

  async function visibleDeal(actor: Actor, id: string): Promise<DealFacts> {
    const deal = isUuid(id) ? await repo.deal(db, id) : undefined;
    if (!deal || !canSeeDeal(actor, deal)) throw notFound('ad request');
    return deal;
  }

  return {
    /**
     * A party's review of the other party on a completed deal (`now` is the clock, for tests).
     * The deal row is locked, so of two reviews written at once the second sees the first.
     */
    async submit(actor: Actor, adRequestId: string, input: ReviewBodyInput, now = new Date()): Promise<ReviewDto> {
      if (!isUuid(adRequestId)) throw notFound('ad request');
      try {
        const id = await events.transaction(async (scope) => {
          const deal = await repo.deal(scope.tx, adRequestId, true);
          const party = deal ? partyOf(actor, deal) : null;
          if (!deal || !party) throw notFound('ad request');
          if (deal.status !== 'completed') {
            throw invalidTransition(`You can review an ad request once it is completed; this one is ${deal.status}.`);
          }
          const closes = windowClosesAt(deal.statusChangedAt, windowDays);
          const existing = await repo.ofDeal(scope.tx, deal.id);
          if (existing.some((r) => r.authorId === actor.id)) throw alreadyReviewed();
          if (now >= closes) {
            throw invalidTransition(
              `The review window of this ad request closed on ${closes.toISOString().slice(0, 10)}.`,
            );
          }
          const subjectId = otherParty(party) === 'sponsor' ? deal.sponsorId : deal.influencerId;
          const comment = input.comment?.trim() || null;
          const row = await repo.insert(scope.tx, {
            adRequestId: deal.id,
            authorId: actor.id,
            subjectId,
            rating: input.rating,
            comment,
            windowClosesAt: closes,
          });
          await scope.emit({ kind: 'review.submitted', reviewId: row.id, adRequestId: deal.id, authorId: actor.id });
          // The second review publishes both: neither party could have seen the other's first.
          if (existing.length > 0) await publish(scope, deal, now);
          return row.id;
        });
        return presentReview((await repo.find(db, id))!);
      } catch (error) {
        // Two submissions of the same party at once: the unique index stops the second.
        if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw alreadyReviewed();
        throw error;
      }
    },

    /** The reviews of a deal as the caller may see them (double-blind), and whether they may review. */
    async ofDeal(actor: Actor, adRequestId: string, now = new Date()): Promise<DealReviewsDto> {
      const deal = await visibleDeal(actor, adRequestId);
      const rows = await repo.ofDeal(db, deal.id);
      return {
        items: rows.filter((r) => canSeeReview(actor, r)).map(presentReview),
        windowClosesAt:
          deal.status === 'completed' ? windowClosesAt(deal.statusChangedAt, windowDays).toISOString() : null,
        canReview: canReview(
          actor,
          deal,
          rows.some((r) => r.authorId === actor.id),
          windowDays,
          now,
        ),
      };
    },

    /** Published reviews a sponsor or influencer received, newest first; 404 for a profile the caller may not see. */
    async received(actor: Actor, userId: string, query: { limit?: number; cursor?: string }) {
      const user = isUuid(userId) ? await accounts.find(userId) : undefined;
      const privileged = actor.role === 'admin' || actor.id === userId;
      if (!user || user.role === 'admin' || (!privileged && (user.status !== 'active' || user.flagged))) {
        throw notFound('user');
      }
      const limit = query.limit ?? LIMITS.pageSize.default;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', KEYS) : undefined;
      const rows = await repo.pageReceived(db, userId, KEYS, cursor, limit);
      return keysetPage(rows, limit, KEYS, 'newest', presentReview);
    },

    /** A profile's rating summary and its latest published reviews (the directory's profile pages). */
    async profileOf(userId: string, recent = 5) {
      const summary = await repo.summary(db, userId);
      const rows = await repo.pageReceived(db, userId, KEYS, undefined, recent);
      return { summary, recent: rows.slice(0, recent).map(presentReview) };
    },

    /** Every review, for admins, newest first. */
    async list(query: AdminReviewQueryInput) {
      const limit = query.limit ?? LIMITS.pageSize.default;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', KEYS) : undefined;
      const ids = (v: string | undefined) => (v === undefined ? undefined : isUuid(v) ? v : null);
      const subjectId = ids(query.subjectId);
      const authorId = ids(query.authorId);
      const adRequestId = ids(query.adRequestId);
      // An id that cannot exist matches nothing.
      if (subjectId === null || authorId === null || adRequestId === null) return { items: [], nextCursor: null };
      const rows = await repo.page(
        db,
        { published: query.published, hidden: query.hidden, subjectId, authorId, adRequestId, rating: query.rating },
        KEYS,
        cursor,
        limit,
      );
      return keysetPage(rows, limit, KEYS, 'newest', presentAdminReview);
    },

    /**
     * Hides a review from everyone but admins, with the subject's summary recomputed, the audit
     * row and the author's notification, in one transaction. A hidden review still counts as
     * written: its author cannot write another, and it does not hold back the other's.
     */
    async hide(actor: Actor, id: string, reason: string, now = new Date()) {
      if (!isUuid(id)) throw notFound('review');
      await events.transaction(async (scope) => {
        const row = await repo.hide(scope.tx, id, reason.trim(), actor.id, now);
        if (!row) {
          if (!(await repo.find(scope.tx, id))) throw notFound('review');
          throw conflict('This review is already hidden.');
        }
        if (row.publishedAt) await repo.refreshSummary(scope.tx, row.subjectId);
        await audit.record(scope.tx, {
          actorId: actor.id,
          action: 'hide_review',
          subjectType: 'review',
          subjectId: row.id,
          details: { reason: reason.trim(), adRequestId: row.adRequestId, subjectId: row.subjectId },
        });
        await scope.emit({ kind: 'review.hidden', reviewId: row.id, authorId: row.authorId, subjectId: row.subjectId });
        await notifications.notify(scope, {
          userId: row.authorId,
          type: 'review_hidden',
          title: 'Your review was hidden',
          body: `Moderation hid your review: ${reason.trim()}`,
          link: `/ad-requests/${row.adRequestId}`,
        });
      });
      return presentAdminReview((await repo.find(db, id))!);
    },

    /**
     * The `publish-reviews` job: publishes every review whose window has closed by `now`, one
     * deal per transaction (under the deal's lock, so a review written meanwhile is seen).
     * Idempotent: a published review is never published again.
     */
    async publishDue(now = new Date()): Promise<{ published: number; deals: number }> {
      let published = 0;
      let deals = 0;
      for (const adRequestId of await repo.dealsDue(db, now, BATCH)) {
        const n = await events.transaction(async (scope) => {
          const deal = await repo.deal(scope.tx, adRequestId, true);
          return deal ? publish(scope, deal, now, now) : 0;
        });
        if (n > 0) deals += 1;
        published += n;
      }
      return { published, deals };
    },

    /** Subscriber of `ad_request.changed`: a deal just completed, so both parties are asked to review. */
    async remindOnCompletion(scope: AppScope, e: AdRequestTransition): Promise<void> {
      if (e.request.status !== 'completed' || e.fromStatus === 'completed') return;
      const deal = await repo.deal(scope.tx, e.request.id);
      if (!deal) return;
      for (const [userId, other] of [
        [deal.sponsorId, deal.influencerName],
        [deal.influencerId, deal.sponsorName],
      ] as const) {
        await notifications.notify(scope, {
          userId,
          type: 'review_reminder',
          title: `Review ${other}`,
          body: `How was working with ${other} on “${deal.campaignName}”? Your review stays private until ${other} reviews too, or for ${windowDays} days.`,
          link: `/ad-requests/${deal.id}`,
        });
      }
    },
  };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
export type { ReviewRow };
