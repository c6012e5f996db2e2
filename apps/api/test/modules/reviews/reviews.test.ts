import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, influencerProfiles, notifications, reviews, sponsorProfiles } from '../../../src/db/schema/index.js';
import type { Actor } from '../../../src/lib/actor.js';
import { expectProblem } from '../../support/fixtures/http.js';
import { makeCast, must, requestRow, type Cast } from '../../support/fixtures/ad-requests.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';

/**
 * Reviews (issue 13 items 1 and 5, API.md "Reviews, reports, moderation"): one review per party
 * of a completed deal, double-blind until both reviewed or the window closed (the
 * publish-reviews job, with a fixed clock), rating summaries on the profiles that equal the
 * published reviews, and admin moderation. Every route's authorization.
 */

const DAY = 86_400_000;
let ctx: TestContext;
let f: ReturnType<typeof factories>;
let cast: Cast;

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  cast = await makeCast(ctx);
});
afterAll(async () => ctx?.close());

const actorOf = (u: TestUser): Actor => ({ id: u.user.id, role: u.user.role, status: u.user.status, flagged: false });
const service = () => ctx.app.services.reviews;

/** A fresh pair (so summaries start empty) with a deal in `status`. */
async function deal(status: 'completed' | 'delivered' | 'accepted' | 'pending' | 'cancelled' = 'completed') {
  const sponsor = await f.sponsor({ displayName: 'Rev Sponsor' });
  const influencer = await f.influencer({ displayName: 'Rev Influencer' });
  const campaign = await f.campaign({ sponsor, budgetCents: 100_000 });
  const row = await f.adRequest({ campaign, influencer, status });
  return { id: row.id, sponsor, influencer, completedAt: (await requestRow(ctx, row.id))!.statusChangedAt };
}

const review = (who: TestUser | null, id: string, body: unknown = { rating: 5, comment: 'Great to work with' }) =>
  call(ctx, 'POST', `/api/v1/ad-requests/${id}/review`, { auth: who, body });
const dealReviews = (who: TestUser | null, id: string) =>
  call(ctx, 'GET', `/api/v1/ad-requests/${id}/reviews`, { auth: who });
const received = (who: TestUser | null, userId: string, query = '') =>
  call(ctx, 'GET', `/api/v1/users/${userId}/reviews${query}`, { auth: who });
const rowsOf = (adRequestId: string) => ctx.db.select().from(reviews).where(eq(reviews.adRequestId, adRequestId));
const notesOf = (userId: string, type: string) =>
  ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.type, type)));
async function storedSummary(userId: string) {
  const [i] = await ctx.db
    .select({ avg: influencerProfiles.ratingAvg, count: influencerProfiles.ratingCount })
    .from(influencerProfiles)
    .where(eq(influencerProfiles.userId, userId));
  const [s] = await ctx.db
    .select({ avg: sponsorProfiles.ratingAvg, count: sponsorProfiles.ratingCount })
    .from(sponsorProfiles)
    .where(eq(sponsorProfiles.userId, userId));
  return (i ?? s)!;
}
async function profile(who: TestUser, subject: TestUser) {
  const res = await call(ctx, 'GET', `/api/v1/${subject.user.role}s/${subject.user.id}`, { auth: who });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('POST /ad-requests/:id/review', () => {
  it('requires authentication', async () => {
    const d = await deal();
    expectProblem(await review(null, d.id), 401, 'unauthenticated');
  });

  it('is for the parties: admins 403; the other sponsor and influencer, and an unknown id, 404', async () => {
    const d = await deal();
    expectProblem(await review(cast.admin, d.id), 403, 'forbidden');
    expectProblem(await review(cast.otherSponsor, d.id), 404, 'not_found');
    expectProblem(await review(cast.otherInfluencer, d.id), 404, 'not_found');
    expectProblem(await review(d.sponsor, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await review(d.sponsor, 'not-a-uuid'), 404, 'not_found');
    expect(await rowsOf(d.id)).toHaveLength(0);
  });

  it('lets each party review the other once (201, then 409 already_reviewed)', async () => {
    const d = await deal();
    const bySponsor = await review(d.sponsor, d.id, { rating: 4, comment: '  Punctual  ' });
    expect(bySponsor.statusCode, bySponsor.body).toBe(201);
    expect(bySponsor.json()).toMatchObject({
      adRequestId: d.id,
      authorId: d.sponsor.user.id,
      subjectId: d.influencer.user.id,
      rating: 4,
      comment: 'Punctual',
      published: false,
      publishedAt: null,
    });
    expectProblem(await review(d.sponsor, d.id, { rating: 1 }), 409, 'already_reviewed');
    const byInfluencer = await review(d.influencer, d.id, { rating: 3 });
    expect(byInfluencer.statusCode, byInfluencer.body).toBe(201);
    expect(byInfluencer.json()).toMatchObject({
      authorId: d.influencer.user.id,
      subjectId: d.sponsor.user.id,
      comment: null,
      published: true,
    });
    expectProblem(await review(d.influencer, d.id), 409, 'already_reviewed');
    expect(await rowsOf(d.id)).toHaveLength(2);
  });

  it('at once: both parties’ reviews publish both; one party twice writes one (meaningful on PostgreSQL)', async () => {
    const d = await deal();
    const [a, b] = await Promise.all([
      review(d.sponsor, d.id, { rating: 4 }),
      review(d.influencer, d.id, { rating: 2 }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const rows = await rowsOf(d.id);
    expect(rows.map((r) => r.publishedAt !== null)).toEqual([true, true]);
    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: 4, count: 1 });
    expect(await storedSummary(d.sponsor.user.id)).toEqual({ avg: 2, count: 1 });

    const e = await deal();
    const twice = await Promise.all([review(e.sponsor, e.id, { rating: 5 }), review(e.sponsor, e.id, { rating: 1 })]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(twice.find((r) => r.statusCode === 409)!.json().code).toBe('already_reviewed');
    expect(await rowsOf(e.id)).toHaveLength(1);
  });

  it('answers 409 invalid_transition before the deal is completed', async () => {
    for (const status of ['pending', 'accepted', 'delivered', 'cancelled'] as const) {
      const d = await deal(status);
      expectProblem(await review(d.sponsor, d.id), 409, 'invalid_transition');
      expectProblem(await review(d.influencer, d.id), 409, 'invalid_transition');
      expect(await rowsOf(d.id)).toHaveLength(0);
    }
  });

  it('validates the rating and the comment (400) and writes nothing', async () => {
    const d = await deal();
    for (const body of [
      { rating: 0 },
      { rating: 6 },
      { rating: 2.5 },
      { rating: '5' },
      {},
      { rating: 5, comment: 'x'.repeat(2001) },
      { rating: 5, extra: true },
    ]) {
      expectProblem(await review(d.sponsor, d.id, body), 400, 'validation_failed');
    }
    expect(await rowsOf(d.id)).toHaveLength(0);
    expect((await review(d.sponsor, d.id, { rating: 5, comment: 'x'.repeat(2000) })).statusCode).toBe(201);
  });
});

describe('double-blind visibility', () => {
  it('keeps the first review with its author until the second, then shows both everywhere', async () => {
    const d = await deal();
    expect((await review(d.sponsor, d.id, { rating: 2, comment: 'Late' })).statusCode).toBe(201);

    // The author sees it (unpublished); the other party, profiles and the public list do not.
    const mine = (await dealReviews(d.sponsor, d.id)).json();
    expect(mine.items).toMatchObject([{ authorId: d.sponsor.user.id, published: false }]);
    expect(mine.canReview).toBe(false);
    const theirs = (await dealReviews(d.influencer, d.id)).json();
    expect(theirs).toMatchObject({ items: [], canReview: true });
    expect((await received(d.influencer, d.influencer.user.id)).json().items).toEqual([]);
    expect((await received(d.sponsor, d.influencer.user.id)).json().items).toEqual([]);
    expect(await profile(d.sponsor, d.influencer)).toMatchObject({
      ratingAvg: null,
      ratingCount: 0,
      recentReviews: [],
    });
    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: null, count: 0 });
    expect(await notesOf(d.influencer.user.id, 'review_received')).toHaveLength(0);

    expect((await review(d.influencer, d.id, { rating: 5, comment: 'Clear brief' })).statusCode).toBe(201);
    for (const who of [d.sponsor, d.influencer]) {
      const both = (await dealReviews(who, d.id)).json();
      expect(both.items.map((r: any) => [r.rating, r.published])).toEqual([
        [2, true],
        [5, true],
      ]);
      expect(both.canReview).toBe(false);
    }
    expect((await received(d.sponsor, d.influencer.user.id)).json().items).toMatchObject([
      { rating: 2, comment: 'Late', author: { id: d.sponsor.user.id } },
    ]);
    expect(await profile(d.sponsor, d.influencer)).toMatchObject({
      ratingAvg: 2,
      ratingCount: 1,
      ratingDistribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 },
      recentReviews: [{ rating: 2, comment: 'Late', adRequestId: d.id }],
    });
    expect(await profile(d.influencer, d.sponsor)).toMatchObject({
      ratingAvg: 5,
      ratingCount: 1,
      ratingDistribution: { '5': 1 },
    });
    expect(await notesOf(d.influencer.user.id, 'review_received')).toHaveLength(1);
    expect(await notesOf(d.sponsor.user.id, 'review_received')).toHaveLength(1);
  });

  it('publishes a one-sided review when the window closes (fixed clock), from both sides, once', async () => {
    const d = await deal();
    const window = ctx.config.REVIEW_WINDOW_DAYS * DAY;
    const t0 = d.completedAt.getTime();
    await service().submit(actorOf(d.influencer), d.id, { rating: 4, comment: 'Fair' }, new Date(t0 + DAY));

    // Just before the window closes: still private.
    expect(await service().publishDue(new Date(t0 + window - 60_000))).toMatchObject({ published: 0 });
    expect((await dealReviews(d.sponsor, d.id)).json().items).toEqual([]);
    expect((await dealReviews(d.influencer, d.id)).json().items).toMatchObject([{ published: false }]);
    expect(await storedSummary(d.sponsor.user.id)).toEqual({ avg: null, count: 0 });
    expect((await service().ofDeal(actorOf(d.sponsor), d.id, new Date(t0 + window - 60_000))).canReview).toBe(true);

    // Once it closed: published by the job, the summary with it; a second run changes nothing.
    const after = new Date(t0 + window + 60_000);
    // (Other tests' one-sided reviews are due too: the count is at least this one.)
    expect((await service().publishDue(after)).published).toBeGreaterThanOrEqual(1);
    expect(await service().publishDue(after)).toEqual({ published: 0, deals: 0 });
    for (const who of [d.sponsor, d.influencer]) {
      expect((await dealReviews(who, d.id)).json().items).toMatchObject([
        { rating: 4, published: true, publishedAt: after.toISOString() },
      ]);
    }
    expect(await storedSummary(d.sponsor.user.id)).toEqual({ avg: 4, count: 1 });
    expect(await notesOf(d.sponsor.user.id, 'review_received')).toHaveLength(1);

    // The window is over for the party who did not review.
    expect((await service().ofDeal(actorOf(d.sponsor), d.id, after)).canReview).toBe(false);
    await expect(service().submit(actorOf(d.sponsor), d.id, { rating: 1 }, after)).rejects.toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
  });

  it('runs as the publish-reviews job', async () => {
    const d = await deal();
    await service().submit(actorOf(d.sponsor), d.id, { rating: 3 }, new Date(d.completedAt.getTime() + DAY));
    // Make the window close in the past, so the job (real clock) publishes it.
    await ctx.db
      .update(reviews)
      .set({ windowClosesAt: new Date(Date.now() - 1000) })
      .where(eq(reviews.adRequestId, d.id));
    const result = await ctx.app.jobs.runHere('publish-reviews');
    expect(result.published).toBeGreaterThanOrEqual(1);
    expect((await rowsOf(d.id))[0]!.publishedAt).not.toBeNull();
    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: 3, count: 1 });
  });
});

describe('GET /ad-requests/:id/reviews', () => {
  it('requires authentication; the other sponsor and influencer get 404; admins see every review', async () => {
    const d = await deal();
    await review(d.sponsor, d.id, { rating: 5 });
    expectProblem(await dealReviews(null, d.id), 401, 'unauthenticated');
    expectProblem(await dealReviews(cast.otherSponsor, d.id), 404, 'not_found');
    expectProblem(await dealReviews(cast.otherInfluencer, d.id), 404, 'not_found');
    expectProblem(await dealReviews(cast.admin, 'nope'), 404, 'not_found');
    const asAdmin = await dealReviews(cast.admin, d.id);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({ items: [{ published: false }], canReview: false });
    expect(asAdmin.json().windowClosesAt).toBe(
      new Date(d.completedAt.getTime() + ctx.config.REVIEW_WINDOW_DAYS * DAY).toISOString(),
    );
  });

  it('says a deal not yet completed cannot be reviewed', async () => {
    const d = await deal('delivered');
    expect((await dealReviews(d.sponsor, d.id)).json()).toEqual({ items: [], windowClosesAt: null, canReview: false });
  });
});

describe('GET /users/:id/reviews', () => {
  it('requires authentication; 404 for an admin, an unknown id or a deactivated user', async () => {
    const d = await deal();
    expectProblem(await received(null, d.influencer.user.id), 401, 'unauthenticated');
    expectProblem(await received(d.sponsor, cast.admin.user.id), 404, 'not_found');
    expectProblem(await received(d.sponsor, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await received(d.sponsor, gone.user.id), 404, 'not_found');
    // Any user reads an active user's reviews, whatever their role.
    for (const who of [cast.otherSponsor, cast.otherInfluencer, cast.admin]) {
      expect((await received(who, d.influencer.user.id)).statusCode).toBe(200);
    }
  });

  it('pages newest first with a cursor', async () => {
    const influencer = await f.influencer();
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const sponsor = await f.sponsor();
      const campaign = await f.campaign({ sponsor, budgetCents: 100_000 });
      const row = await f.adRequest({ campaign, influencer, status: 'completed' });
      await review(sponsor, row.id, { rating: i });
      await review(influencer, row.id, { rating: 5 });
      ids.push(row.id);
    }
    const first = (await received(cast.otherSponsor, influencer.user.id, '?limit=2')).json();
    expect(first.items.map((r: any) => r.rating)).toEqual([3, 2]);
    const second = (
      await received(cast.otherSponsor, influencer.user.id, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(second).toMatchObject({ items: [{ rating: 1 }], nextCursor: null });
    expectProblem(await received(cast.otherSponsor, influencer.user.id, '?cursor=forged'), 400, 'validation_failed');
    expect((await profile(cast.otherSponsor, influencer)).ratingAvg).toBe(2);
  });
});

describe('admin moderation', () => {
  const list = (who: TestUser | null, query = '') => call(ctx, 'GET', `/api/v1/admin/reviews${query}`, { auth: who });
  const hide = (who: TestUser | null, id: string, body: unknown = { reason: 'Insults the other party' }) =>
    call(ctx, 'POST', `/api/v1/admin/reviews/${id}/hide`, { auth: who, body });

  it('GET /admin/reviews: 401 anonymous, 403 sponsors and influencers; every review with filters for admins', async () => {
    const d = await deal();
    const pending = (await review(d.sponsor, d.id, { rating: 1, comment: 'Bad' })).json();
    expectProblem(await list(null), 401, 'unauthenticated');
    expectProblem(await list(d.sponsor), 403, 'forbidden');
    expectProblem(await list(d.influencer), 403, 'forbidden');
    const all = (await list(cast.admin, `?subjectId=${d.influencer.user.id}`)).json();
    expect(all.items).toMatchObject([{ id: pending.id, published: false, hidden: false, hiddenReason: null }]);
    expect((await list(cast.admin, `?subjectId=${d.influencer.user.id}&published=true`)).json().items).toEqual([]);
    expect((await list(cast.admin, `?subjectId=${d.influencer.user.id}&rating=2`)).json().items).toEqual([]);
    expect((await list(cast.admin, `?adRequestId=${d.id}&hidden=false&rating=1`)).json().items).toHaveLength(1);
    expect((await list(cast.admin, `?subjectId=junk`)).json().items).toEqual([]);
    expectProblem(await list(cast.admin, '?rating=9'), 400, 'validation_failed');
  });

  it('POST /admin/reviews/:id/hide: hides from everyone but admins, recomputes the summary, audits and tells the author', async () => {
    const d = await deal();
    const bad = (await review(d.sponsor, d.id, { rating: 1, comment: 'Rude words' })).json();
    await review(d.influencer, d.id, { rating: 4 });
    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: 1, count: 1 });

    expectProblem(await hide(null, bad.id), 401, 'unauthenticated');
    expectProblem(await hide(d.sponsor, bad.id), 403, 'forbidden');
    expectProblem(await hide(d.influencer, bad.id), 403, 'forbidden');
    expectProblem(await hide(cast.admin, bad.id, { reason: '' }), 400, 'validation_failed');
    expectProblem(await hide(cast.admin, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expect((await rowsOf(d.id)).every((r) => r.hiddenAt === null)).toBe(true);

    const res = await hide(cast.admin, bad.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: bad.id, hidden: true, hiddenReason: 'Insults the other party' });
    expectProblem(await hide(cast.admin, bad.id), 409, 'conflict');

    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: null, count: 0 });
    for (const who of [d.sponsor, d.influencer]) {
      expect((await dealReviews(who, d.id)).json().items.map((r: any) => r.id)).not.toContain(bad.id);
    }
    expect((await received(d.influencer, d.influencer.user.id)).json().items).toEqual([]);
    expect(await profile(d.sponsor, d.influencer)).toMatchObject({ ratingCount: 0, recentReviews: [] });
    expect((await dealReviews(cast.admin, d.id)).json().items.map((r: any) => r.id)).toContain(bad.id);
    expect((await list(cast.admin, `?hidden=true&adRequestId=${d.id}`)).json().items).toMatchObject([{ id: bad.id }]);

    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, bad.id));
    expect(audit).toMatchObject([{ actorId: cast.admin.user.id, action: 'hide_review', subjectType: 'review' }]);
    expect(await notesOf(d.sponsor.user.id, 'review_hidden')).toMatchObject([
      { body: expect.stringContaining('Insults the other party') },
    ]);
    // The subject was told of the review when it published, not when it was hidden.
    expect(await notesOf(d.influencer.user.id, 'review_hidden')).toHaveLength(0);
  });

  it('a review hidden before publication never counts, and never notifies its subject', async () => {
    const d = await deal();
    const early = (await review(d.sponsor, d.id, { rating: 2 })).json();
    expect((await hide(cast.admin, early.id)).statusCode).toBe(200);
    await review(d.influencer, d.id, { rating: 5 });
    expect(await storedSummary(d.influencer.user.id)).toEqual({ avg: null, count: 0 });
    expect(await storedSummary(d.sponsor.user.id)).toEqual({ avg: 5, count: 1 });
    expect(await notesOf(d.influencer.user.id, 'review_received')).toHaveLength(0);
  });
});

describe('reminders and the directory', () => {
  it('a deal completed through the API reminds both parties to review', async () => {
    const campaign = await f.campaign({ sponsor: cast.sponsor, budgetCents: 100_000 });
    const row = await f.adRequest({ campaign, influencer: cast.influencer, status: 'delivered' });
    await must(ctx, cast.sponsor, row.id, 'complete');
    const sponsorNotes = await notesOf(cast.sponsor.user.id, 'review_reminder');
    const influencerNotes = await notesOf(cast.influencer.user.id, 'review_reminder');
    expect(sponsorNotes.filter((n) => n.link === `/ad-requests/${row.id}`)).toHaveLength(1);
    expect(influencerNotes.filter((n) => n.link === `/ad-requests/${row.id}`)).toHaveLength(1);
  });

  it('filters the directory by minRating and sorts it by rating', async () => {
    const tag = `Rated${Date.now()}`;
    const rated: TestUser[] = [];
    for (const rating of [2, 5, 4]) {
      const influencer = await f.influencer({ displayName: `${tag} ${rating}` });
      const sponsor = await f.sponsor();
      const campaign = await f.campaign({ sponsor, budgetCents: 100_000 });
      const row = await f.adRequest({ campaign, influencer, status: 'completed' });
      await review(sponsor, row.id, { rating });
      await review(influencer, row.id, { rating: 3 });
      rated.push(influencer);
    }
    const search = async (query: string) => {
      const res = await call(ctx, 'GET', `/api/v1/influencers?q=${tag}&${query}`, { auth: cast.sponsor });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((i: any) => [i.ratingAvg, i.ratingCount]);
    };
    expect(await search('sort=rating_desc')).toEqual([
      [5, 1],
      [4, 1],
      [2, 1],
    ]);
    expect(await search('minRating=4&sort=rating_desc')).toEqual([
      [5, 1],
      [4, 1],
    ]);
  });
});
