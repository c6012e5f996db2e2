import { eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adRequests, influencerProfiles, reviews, sponsorProfiles } from '../../../src/db/schema/index.js';
import type { Actor } from '../../../src/lib/actor.js';
import { AppError } from '../../../src/lib/errors.js';
import { must } from '../../support/fixtures/ad-requests.js';
import { createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';

/**
 * STYLE.md rule 21 for reviews (issue 13 "Done when"): random deals taken to completion through
 * the API, random reviews by either side at random times, hiding, and the clock passing review
 * windows with the publish-reviews job in between. After every step each user's stored rating
 * summary (average and count on the profile tables) equals the aggregate of the published,
 * unhidden reviews they received; a review is published exactly when both sides reviewed or its
 * window closed before the last job run; and each submission answers what the rules say.
 */

const DAY = 86_400_000;
let ctx: TestContext;
let f: ReturnType<typeof factories>;
let sponsors: TestUser[];
let influencers: TestUser[];
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [admin, ...sponsors] = await Promise.all([f.admin(), f.sponsor(), f.sponsor()]);
  influencers = await Promise.all([f.influencer(), f.influencer(), f.influencer()]);
});
afterAll(async () => ctx?.close());

const actorOf = (u: TestUser): Actor => ({ id: u.user.id, role: u.user.role, status: u.user.status, flagged: false });

type Step =
  | { kind: 'deal'; sponsor: number; influencer: number }
  | { kind: 'review'; deal: number; side: 'sponsor' | 'influencer'; rating: number }
  | { kind: 'hide'; review: number }
  | { kind: 'time'; days: number }
  | { kind: 'job' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('deal' as const), sponsor: fc.nat(1), influencer: fc.nat(2) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      deal: fc.nat(20),
      side: fc.constantFrom('sponsor' as const, 'influencer' as const),
      rating: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hide' as const), review: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('time' as const), days: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'job' as const }) },
);

interface Deal {
  id: string;
  sponsor: TestUser;
  influencer: TestUser;
  completedAt: number;
}

const seen = new Map<string, number>();
const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

async function runSequence(steps: Step[]) {
  const service = ctx.app.services.reviews;
  const window = ctx.config.REVIEW_WINDOW_DAYS * DAY;
  // The virtual clock: deals complete "now" on it (their status_changed_at is set to it).
  let clock = Date.now();
  let lastJob = -Infinity;
  const deals: Deal[] = [];
  const reviewIds: string[] = [];
  const users = [...sponsors, ...influencers].map((u) => u.user.id);

  async function check(label: string) {
    const rows = await ctx.db.select().from(reviews).where(inArray(reviews.subjectId, users));
    const stored = [
      ...(await ctx.db
        .select({
          id: influencerProfiles.userId,
          avg: influencerProfiles.ratingAvg,
          count: influencerProfiles.ratingCount,
        })
        .from(influencerProfiles)
        .where(inArray(influencerProfiles.userId, users))),
      ...(await ctx.db
        .select({ id: sponsorProfiles.userId, avg: sponsorProfiles.ratingAvg, count: sponsorProfiles.ratingCount })
        .from(sponsorProfiles)
        .where(inArray(sponsorProfiles.userId, users))),
    ];
    for (const s of stored) {
      const counted = rows.filter((r) => r.subjectId === s.id && r.publishedAt && !r.hiddenAt);
      const avg = counted.length
        ? Math.round((counted.reduce((a, r) => a + r.rating, 0) / counted.length) * 100) / 100
        : null;
      expect({ avg: s.avg, count: s.count }, `${label}: summary of ${s.id}`).toEqual({ avg, count: counted.length });
    }
    const ours = rows.filter((r) => deals.some((d) => d.id === r.adRequestId));
    for (const r of ours) {
      const both = ours.filter((o) => o.adRequestId === r.adRequestId).length === 2;
      const due = r.windowClosesAt.getTime() <= lastJob;
      expect(r.publishedAt !== null, `${label}: review ${r.id} published iff both or window closed by a run`).toBe(
        both || due,
      );
    }
  }

  for (const step of steps) {
    let label: string = step.kind;
    if (step.kind === 'deal') {
      const sponsor = sponsors[step.sponsor]!;
      const influencer = influencers[step.influencer]!;
      const campaign = await f.campaign({ sponsor, budgetCents: 1_000_000 });
      const row = await f.adRequest({ campaign, influencer, status: 'delivered', announce: false });
      await must(ctx, sponsor, row.id, 'complete');
      // Completed at the virtual clock's time.
      await ctx.db
        .update(adRequests)
        .set({ statusChangedAt: new Date(clock) })
        .where(eq(adRequests.id, row.id));
      deals.push({ id: row.id, sponsor, influencer, completedAt: clock });
    } else if (step.kind === 'review' && deals.length > 0) {
      const d = deals[step.deal % deals.length]!;
      const author = step.side === 'sponsor' ? d.sponsor : d.influencer;
      const existing = await ctx.db
        .select()
        .from(reviews)
        .where(inArray(reviews.adRequestId, [d.id]));
      const already = existing.some((r) => r.authorId === author.user.id);
      const open = clock < d.completedAt + window;
      try {
        const r = await service.submit(actorOf(author), d.id, { rating: step.rating }, new Date(clock));
        reviewIds.push(r.id);
        expect(already || !open, `${label}: accepted`).toBe(false);
        note('review 201');
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const expected = already ? 'already_reviewed' : 'invalid_transition';
        expect(!already && open, `${label}: refused ${error.code}`).toBe(false);
        expect(error.code).toBe(expected);
        note(`review ${error.code}`);
      }
      label = `review ${step.side} ${step.rating} on ${d.id}`;
    } else if (step.kind === 'hide' && reviewIds.length > 0) {
      const id = reviewIds[step.review % reviewIds.length]!;
      try {
        await service.hide(actorOf(admin), id, 'Random moderation', new Date(clock));
        note('hide');
      } catch (error) {
        expect((error as AppError).code, `${label}: only a hidden review is refused`).toBe('conflict');
        note('hide conflict');
      }
    } else if (step.kind === 'time') {
      clock += step.days * DAY;
    } else if (step.kind === 'job') {
      const { published } = await service.publishDue(new Date(clock));
      lastJob = clock;
      if (published > 0) note('job published');
    }
    await check(label);
  }
}

describe('reviews property', () => {
  it('keeps every rating summary equal to the published, unhidden reviews, through random deals, reviews, hiding and time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 25 }), async (steps) => {
        await runSequence([{ kind: 'deal', sponsor: 0, influencer: 0 }, ...steps]);
      }),
      { numRuns: 12 },
    );
    // The runs were not idle: reviews were written and refused, and windows closed.
    for (const key of ['review 201', 'review already_reviewed', 'job published', 'hide']) {
      expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
    }
  }, 240_000);
});
