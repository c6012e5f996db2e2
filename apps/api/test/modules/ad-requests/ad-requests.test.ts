import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adRequestOffers, adRequests } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { addDays, todayUtc, walk } from '../../support/fixtures/search-support.js';
import {
  act,
  ageRequest,
  applyTo,
  campaignMoney,
  createCampaign,
  endCampaign,
  eventsOf,
  expectLedgerConsistent,
  getAr,
  invite,
  ledgerRowsOf,
  listAll,
  makeCast,
  must,
  postAr,
  requestRow,
  runJob,
  viewAr,
  type Cast,
} from '../../support/fixtures/ad-requests.js';

/**
 * Ad requests besides the state machine (which ad-request-transitions.test.ts covers cell by
 * cell): creating (invite and apply) with its rules and validation, who sees what, lists and
 * their filters and pages, abilities, the immutable offer history, stale versions and budget,
 * the campaign routes that depend on ad requests, and Idempotency-Key on actions.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let cast: Cast;
let pendingSponsor: TestUser;
let deactivatedSponsor: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  cast = await makeCast(ctx);
  [pendingSponsor, deactivatedSponsor] = await Promise.all([f.pendingSponsor(), f.sponsor({ status: 'deactivated' })]);
});
afterAll(async () => ctx?.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const countRequests = async (campaignId: string) =>
  (await ctx.db.select().from(adRequests).where(eq(adRequests.campaignId, campaignId))).length;

// ---------------------------------------------------------------------------------------------
describe('POST /ad-requests', () => {
  it('requires authentication, before looking at the body', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const body = { campaignId: c.id, influencerId: cast.influencer.user.id, requirements: 'x', paymentCents: 100 };
    expectProblem(await postAr(ctx, null, body), 401, 'unauthenticated');
    expectProblem(await postAr(ctx, null, { junk: true }), 401, 'unauthenticated');
    expect(await countRequests(c.id)).toBe(0);
  });

  it('a sponsor invites: 201 with the whole resource, pending and awaiting the influencer', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { name: 'Invite shape', visibility: 'private' });
    const res = await postAr(ctx, cast.sponsor, {
      campaignId: c.id,
      influencerId: cast.influencer.user.id,
      requirements: '  One reel  ',
      paymentCents: 12_345,
      message: 'Hello',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const r = res.json();
    expect(r).toMatchObject({
      campaignId: c.id,
      campaign: { id: c.id, name: 'Invite shape' },
      sponsorId: cast.sponsor.user.id,
      influencerId: cast.influencer.user.id,
      influencer: { id: cast.influencer.user.id, displayName: 'Party Influencer' },
      requirements: 'One reel',
      paymentCents: 12_345,
      status: 'pending',
      awaitingParty: 'influencer',
      initiatedBy: 'sponsor',
      offerVersion: 1,
    });
    expect(typeof r.id).toBe('string');
    expect(r.createdAt).toMatch(ISO);
    expect(r.updatedAt).toMatch(ISO);
    expect(r.offers).toEqual([
      {
        version: 1,
        by: 'sponsor',
        paymentCents: 12_345,
        requirements: 'One reel',
        message: 'Hello',
        at: expect.stringMatching(ISO),
      },
    ]);
    expect(r.abilities).toEqual({
      edit: true,
      counter: false,
      accept: false,
      reject: false,
      withdraw: true,
      deliver: false,
      requestRevision: false,
      complete: false,
      cancel: false,
      delete: true,
    });
    const seen = await viewAr(ctx, cast.influencer, r.id);
    expect(seen.abilities).toEqual({
      edit: false,
      counter: true,
      accept: true,
      reject: true,
      withdraw: true,
      deliver: false,
      requestRevision: false,
      complete: false,
      cancel: false,
      delete: false,
    });
    expect({ ...seen, abilities: null }).toEqual({ ...r, abilities: null });
  });

  it('an influencer applies to a public active campaign: 201, pending and awaiting the sponsor', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const res = await postAr(ctx, cast.influencer, { campaignId: c.id, paymentCents: 8_000 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      campaignId: c.id,
      sponsorId: cast.sponsor.user.id,
      influencerId: cast.influencer.user.id,
      status: 'pending',
      awaitingParty: 'sponsor',
      initiatedBy: 'influencer',
      offerVersion: 1,
      paymentCents: 8_000,
      offers: [{ version: 1, by: 'influencer', paymentCents: 8_000 }],
      abilities: { edit: true, accept: false, counter: false, withdraw: true, delete: false },
    });
    const sponsorView = await viewAr(ctx, cast.sponsor, res.json().id);
    expect(sponsorView.abilities).toMatchObject({
      accept: true,
      counter: true,
      reject: true,
      edit: false,
      delete: true,
    });
  });

  it('validates the body: 400 with the field, and creates nothing', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const base = { campaignId: c.id, influencerId: cast.influencer.user.id, requirements: 'A post', paymentCents: 500 };
    const s = (body: unknown) => postAr(ctx, cast.sponsor, body);
    expectValidation(await s({ ...base, influencerId: undefined }), '/influencerId');
    expectValidation(await s({ ...base, requirements: undefined }), '/requirements');
    expectValidation(await s({ ...base, requirements: '' }), '/requirements');
    expectValidation(await s({ ...base, requirements: '   ' }), '/requirements');
    expectValidation(await s({ ...base, requirements: 'x'.repeat(2001) }), '/requirements');
    expectValidation(await s({ ...base, message: 'x'.repeat(2001) }), '/message');
    for (const paymentCents of [0, -1, 1.5, '500', null, undefined])
      expectValidation(await s({ ...base, paymentCents }), '/paymentCents');
    expectValidation(await s({ ...base, campaignId: undefined }), '/campaignId');
    for (const field of ['status', 'sponsorId', 'awaitingParty', 'offerVersion', 'reservedCents'])
      expectValidation(await s({ ...base, [field]: field === 'offerVersion' ? 3 : 'accepted' }));
    const i = (body: unknown) => postAr(ctx, cast.influencer, body);
    expectValidation(
      await i({ campaignId: c.id, paymentCents: 500, influencerId: cast.otherInfluencer.user.id }),
      '/influencerId',
    );
    expectValidation(
      await i({ campaignId: c.id, paymentCents: 500, influencerId: cast.influencer.user.id }),
      '/influencerId',
    );
    expectValidation(await i({ campaignId: c.id }), '/paymentCents');
    expectValidation(await i({ campaignId: c.id, paymentCents: 500, status: 'accepted' }));
    expect(await countRequests(c.id)).toBe(0);
  });

  it('refuses a pending sponsor (sponsor_not_approved), an admin (forbidden) and a deactivated user', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const body = { campaignId: c.id, influencerId: cast.influencer.user.id, requirements: 'A post', paymentCents: 500 };
    expectProblem(await postAr(ctx, pendingSponsor, body), 403, 'sponsor_not_approved');
    expectProblem(await postAr(ctx, cast.admin, body), 403, 'forbidden');
    expectProblem(await postAr(ctx, cast.admin, { campaignId: c.id, paymentCents: 500 }), 403, 'forbidden');
    expectProblem(await postAr(ctx, deactivatedSponsor, body), 403, 'account_deactivated');
    expect(await countRequests(c.id)).toBe(0);
  });

  it('another sponsor’s campaign: 404 when private, 403 when public', async () => {
    for (const [visibility, status, code] of [
      ['private', 404, 'not_found'],
      ['public', 403, 'forbidden'],
    ] as const) {
      const c = await createCampaign(ctx, cast.otherSponsor, { visibility });
      const res = await postAr(ctx, cast.sponsor, {
        campaignId: c.id,
        influencerId: cast.influencer.user.id,
        requirements: 'A post',
        paymentCents: 500,
      });
      expectProblem(res, status, code);
      expect(await countRequests(c.id)).toBe(0);
    }
  });

  it('an unknown campaign is a 404 for both roles', async () => {
    const body = {
      campaignId: randomUUID(),
      influencerId: cast.influencer.user.id,
      requirements: 'A',
      paymentCents: 5,
    };
    expectProblem(await postAr(ctx, cast.sponsor, body), 404, 'not_found');
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: randomUUID(), paymentCents: 5 }), 404, 'not_found');
  });

  it('an ended campaign takes no invitations and no applications (409 conflict)', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    await endCampaign(ctx, c.id);
    expectProblem(
      await postAr(ctx, cast.sponsor, {
        campaignId: c.id,
        influencerId: cast.influencer.user.id,
        requirements: 'A post',
        paymentCents: 500,
      }),
      409,
      'conflict',
    );
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: c.id, paymentCents: 500 }), 409, 'conflict');
    expect(await countRequests(c.id)).toBe(0);
  });

  it('applications only to public active campaigns: private is invisible (404), upcoming is closed (409)', async () => {
    const priv = await createCampaign(ctx, cast.sponsor, { visibility: 'private' });
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: priv.id, paymentCents: 500 }), 404, 'not_found');
    const upcoming = await createCampaign(ctx, cast.sponsor, {
      startDate: addDays(todayUtc(), 5),
      endDate: addDays(todayUtc(), 40),
    });
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: upcoming.id, paymentCents: 500 }), 409, 'conflict');
    // The sponsor may still invite to its upcoming campaign.
    await invite(ctx, cast.sponsor, upcoming.id, cast.influencer);
    expect(await countRequests(priv.id)).toBe(0);
  });

  it('the invited influencer must exist and be an active, unflagged influencer (else 404)', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const [flagged, deactivated] = await Promise.all([
      f.influencer({ flagged: true, flagReason: 'Fake audience' }),
      f.influencer({ status: 'deactivated' }),
    ]);
    for (const influencerId of [
      randomUUID(),
      flagged.user.id,
      deactivated.user.id,
      cast.otherSponsor.user.id,
      cast.admin.user.id,
    ]) {
      const res = await postAr(ctx, cast.sponsor, {
        campaignId: c.id,
        influencerId,
        requirements: 'A post',
        paymentCents: 500,
      });
      expectProblem(res, 404, 'not_found');
    }
    expect(await countRequests(c.id)).toBe(0);
  });

  it('a second open request for the same campaign and influencer is a 409 conflict; after it closes, a new one is fine', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const first = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    const again = { campaignId: c.id, influencerId: cast.influencer.user.id, requirements: 'Again', paymentCents: 900 };
    expectProblem(await postAr(ctx, cast.sponsor, again), 409, 'conflict');
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: c.id, paymentCents: 900 }), 409, 'conflict');
    await must(ctx, cast.influencer, first.id, 'counter', { paymentCents: 6_000 });
    expectProblem(await postAr(ctx, cast.sponsor, again), 409, 'conflict');
    expectProblem(await postAr(ctx, cast.influencer, { campaignId: c.id, paymentCents: 900 }), 409, 'conflict');
    expect(await countRequests(c.id)).toBe(1);
    // Another influencer on the same campaign is a different pair.
    await invite(ctx, cast.sponsor, c.id, cast.otherInfluencer);
    await must(ctx, cast.sponsor, first.id, 'reject');
    const second = await applyTo(ctx, cast.influencer, c.id);
    expect(second.id).not.toBe(first.id);
    expect(await countRequests(c.id)).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /ad-requests/:id', () => {
  it('is for the parties and admins; everyone else gets 404', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { visibility: 'public' });
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    expectProblem(await getAr(ctx, null, r.id), 401, 'unauthenticated');
    for (const viewer of [cast.sponsor, cast.influencer, cast.admin]) {
      const res = await getAr(ctx, viewer, r.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().id).toBe(r.id);
    }
    const admin = await viewAr(ctx, cast.admin, r.id);
    expect(Object.values(admin.abilities).every((v) => v === false)).toBe(true);
    for (const stranger of [cast.otherSponsor, cast.otherInfluencer, pendingSponsor])
      expectProblem(await getAr(ctx, stranger, r.id), 404, 'not_found');
    expectProblem(await getAr(ctx, deactivatedSponsor, r.id), 403, 'account_deactivated');
    expectProblem(await getAr(ctx, cast.sponsor, randomUUID()), 404, 'not_found');
    expectProblem(await getAr(ctx, cast.admin, 'not-an-id'), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /ad-requests', () => {
  let s: TestUser;
  let a: TestUser;
  let b: TestUser;
  let c1: string;
  let c2: string;
  const ids = { aC1: '', bC1: '', aC2: '' };
  beforeAll(async () => {
    [s, a, b] = await Promise.all([f.sponsor(), f.influencer(), f.influencer()]);
    c1 = (await createCampaign(ctx, s)).id;
    c2 = (await createCampaign(ctx, s, { visibility: 'private' })).id;
    ids.aC1 = (await invite(ctx, s, c1, a)).id; // pending, awaiting influencer
    ids.bC1 = (await applyTo(ctx, b, c1)).id; // pending, awaiting sponsor
    ids.aC2 = (await invite(ctx, s, c2, a)).id;
    await must(ctx, a, ids.aC2, 'counter', { paymentCents: 9_000 }); // negotiating, awaiting sponsor
    // Unrelated traffic the parties must not see.
    await invite(ctx, cast.otherSponsor, (await createCampaign(ctx, cast.otherSponsor)).id, a);
  });
  const list = (who: TestUser | null, query = '') =>
    call(ctx, 'GET', `/api/v1/ad-requests${query ? `?${query}` : ''}`, { auth: who });
  const idsOf = async (who: TestUser, query = '') =>
    (await listAll(ctx, who, '/api/v1/ad-requests', query)).map((r: { id: string }) => r.id);

  it('requires authentication', async () => {
    expectProblem(await list(null), 401, 'unauthenticated');
  });

  it('lists the requests where the caller is a party, newest first; admins see all', async () => {
    expect(await idsOf(s)).toEqual([ids.aC2, ids.bC1, ids.aC1]);
    const ofA = await idsOf(a);
    expect(ofA).toHaveLength(3);
    expect(ofA).toEqual(expect.arrayContaining([ids.aC1, ids.aC2]));
    expect(await idsOf(b)).toEqual([ids.bC1]);
    const stranger = await f.influencer();
    expect(await idsOf(stranger)).toEqual([]);
    expect(await idsOf(cast.admin)).toEqual(expect.arrayContaining([ids.aC1, ids.bC1, ids.aC2]));
    // Each item carries the caller's own abilities.
    const items = await listAll(ctx, s, '/api/v1/ad-requests');
    for (const item of items) expect(item.abilities).toEqual((await viewAr(ctx, s, item.id)).abilities);
  });

  it('filters by status, campaignId and awaiting=me, alone and together', async () => {
    expect(await idsOf(s, 'status=pending')).toEqual([ids.bC1, ids.aC1]);
    expect(await idsOf(s, 'status=negotiating')).toEqual([ids.aC2]);
    expect(await idsOf(s, 'status=accepted')).toEqual([]);
    // Several statuses at once (an addition the web app uses).
    expect(await idsOf(s, 'status=pending,negotiating')).toEqual([ids.aC2, ids.bC1, ids.aC1]);
    expect(await idsOf(s, `campaignId=${c1}`)).toEqual([ids.bC1, ids.aC1]);
    expect(await idsOf(a, `campaignId=${c2}`)).toEqual([ids.aC2]);
    expect(await idsOf(s, 'awaiting=me')).toEqual([ids.aC2, ids.bC1]);
    expect((await idsOf(a, 'awaiting=me')).filter((id) => Object.values(ids).includes(id))).toEqual([ids.aC1]);
    expect(await idsOf(b, 'awaiting=me')).toEqual([]);
    expect(await idsOf(s, `awaiting=me&campaignId=${c1}&status=pending`)).toEqual([ids.bC1]);
    expect(await idsOf(cast.admin, `campaignId=${c1}`)).toEqual([ids.bC1, ids.aC1]);
    expect(await idsOf(s, `campaignId=${randomUUID()}`)).toEqual([]);
  });

  it('validates the query', async () => {
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=x',
      'status=done',
      'status=pending,done',
      'awaiting=you',
      'cursor=garbage',
      'sort=price',
    ])
      expectValidation(await list(s, q));
  });

  it('pages by cursor without repeats or gaps, stable under inserts', async () => {
    const { items, pages } = await walk(ctx, s, '/api/v1/ad-requests', {}, 1);
    expect(items.map((r) => r.id)).toEqual([ids.aC2, ids.bC1, ids.aC1]);
    expect(pages).toBe(3);
    const first = (await list(s, 'limit=2')).json();
    expect(first.items.map((r: { id: string }) => r.id)).toEqual([ids.aC2, ids.bC1]);
    const late = await f.influencer();
    const inserted = await invite(ctx, s, c1, late);
    const rest = (await list(s, `limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(rest.items.map((r: { id: string }) => r.id)).toEqual([ids.aC1]);
    expect(rest.nextCursor).toBeNull();
    expect((await idsOf(s))[0]).toBe(inserted.id);
  });
});

// ---------------------------------------------------------------------------------------------
describe('offers history', () => {
  it('every edit and counter adds a version; earlier versions never change', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 1_000, requirements: 'v1' });
    const history = [r.offers];
    const steps: [TestUser, 'edit' | 'counter', Record<string, unknown>, Record<string, unknown>][] = [
      [cast.sponsor, 'edit', { paymentCents: 1_100 }, { by: 'sponsor', paymentCents: 1_100, requirements: 'v1' }],
      [cast.sponsor, 'edit', { requirements: 'v3' }, { by: 'sponsor', paymentCents: 1_100, requirements: 'v3' }],
      [
        cast.influencer,
        'counter',
        { paymentCents: 1_500, message: 'More' },
        { by: 'influencer', paymentCents: 1_500, requirements: 'v3', message: 'More' },
      ],
      [
        cast.sponsor,
        'counter',
        { paymentCents: 1_300, requirements: 'v5' },
        { by: 'sponsor', paymentCents: 1_300, requirements: 'v5', message: null },
      ],
      [
        cast.influencer,
        'counter',
        { paymentCents: 1_400 },
        { by: 'influencer', paymentCents: 1_400, requirements: 'v5' },
      ],
    ];
    for (const [actor, action, body, offer] of steps) {
      const after = await must(ctx, actor, r.id, action, body);
      const prev = history.at(-1)!;
      expect(after.offers).toHaveLength(prev.length + 1);
      expect(after.offers.slice(0, prev.length)).toEqual(prev);
      expect(after.offers.at(-1)).toMatchObject({ version: prev.length + 1, ...offer });
      expect(after.offerVersion).toBe(prev.length + 1);
      expect(after.paymentCents).toBe(offer.paymentCents);
      expect(after.requirements).toBe(offer.requirements);
      history.push(after.offers);
    }
    expect(history.at(-1)!.map((o: { version: number }) => o.version)).toEqual([1, 2, 3, 4, 5, 6]);
    // The other party sees the same history.
    expect((await viewAr(ctx, cast.influencer, r.id)).offers).toEqual(history.at(-1));
    // Accepting takes the latest offer's payment, and closes the history.
    const accepted = await must(ctx, cast.sponsor, r.id, 'accept', { offerVersion: 6 });
    expect(accepted).toMatchObject({ status: 'accepted', paymentCents: 1_400, offerVersion: 6 });
    expect(accepted.offers).toEqual(history.at(-1));
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(1_400);
  });

  it('the database refuses to rewrite an offer', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 1_000 });
    await expect(
      ctx.db.update(adRequestOffers).set({ paymentCents: 1 }).where(eq(adRequestOffers.adRequestId, r.id)),
    ).rejects.toThrow();
    expect((await viewAr(ctx, cast.sponsor, r.id)).offers).toEqual(r.offers);
  });

  it('the database refuses to remove an offer from the history', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 1_000 });
    await must(ctx, cast.influencer, r.id, 'counter', { paymentCents: 1_500 });
    const before = await viewAr(ctx, cast.sponsor, r.id);
    const rollback = new Error('rollback');
    let removed = -1;
    // In a transaction that is always rolled back, so a missing guard leaves no damage behind.
    const outcome = await ctx.db
      .transaction(async (tx) => {
        const rows = await tx
          .delete(adRequestOffers)
          .where(eq(adRequestOffers.adRequestId, r.id))
          .returning({ version: adRequestOffers.version });
        removed = rows.length;
        throw rollback;
      })
      .catch((e: unknown) => e);
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual(before);
    expect(removed, 'DELETE FROM ad_request_offers must be refused (offers are immutable)').toBe(-1);
    expect(outcome).not.toBe(rollback);
  });

  it('an invitation keeps non-empty requirements: an edit that blanks them is a 400', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { requirements: 'Two reels' });
    for (const requirements of ['', '   '])
      expectValidation(await act(ctx, cast.sponsor, r.id, 'edit', { requirements }), '/requirements');
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual(r);
  });

  it('validates edit and counter bodies and keeps the history', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    expectValidation(await act(ctx, cast.sponsor, r.id, 'edit', {}));
    expectValidation(await act(ctx, cast.sponsor, r.id, 'edit', { paymentCents: 0 }), '/paymentCents');
    expectValidation(await act(ctx, cast.sponsor, r.id, 'edit', { status: 'accepted' }));
    expectValidation(await act(ctx, cast.sponsor, r.id, 'edit', { paymentCents: 10, influencerId: randomUUID() }));
    expectValidation(await act(ctx, cast.influencer, r.id, 'counter', {}), '/paymentCents');
    expectValidation(await act(ctx, cast.influencer, r.id, 'counter', { paymentCents: -5 }), '/paymentCents');
    expectValidation(await act(ctx, cast.influencer, r.id, 'counter', { paymentCents: 5, offerVersion: 1 }));
    expectValidation(await act(ctx, cast.influencer, r.id, 'accept', { offerVersion: 0 }), '/offerVersion');
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual({ ...r });
  });
});

// ---------------------------------------------------------------------------------------------
describe('accept: versions and budget', () => {
  it('a stale offerVersion is a 409 conflict and changes nothing', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    await must(ctx, cast.sponsor, r.id, 'edit', { paymentCents: 6_000 });
    const before = await viewAr(ctx, cast.sponsor, r.id);
    for (const offerVersion of [1, 3]) {
      expectProblem(await act(ctx, cast.influencer, r.id, 'accept', { offerVersion }), 409, 'conflict');
    }
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual(before);
    expect(await ledgerRowsOf(ctx, r.id)).toEqual([]);
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(0);
    const ok = await must(ctx, cast.influencer, r.id, 'accept', { offerVersion: 2 });
    expect(ok).toMatchObject({ status: 'accepted', paymentCents: 6_000 });
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(6_000);
  });

  it('beyond the budget: 409 budget_exceeded and nothing changes; once money is back it works', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { budgetCents: 10_000 });
    const first = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 7_000 });
    const second = await invite(ctx, cast.sponsor, c.id, cast.otherInfluencer, { paymentCents: 4_000 });
    await must(ctx, cast.influencer, first.id, 'accept');
    const before = await viewAr(ctx, cast.sponsor, second.id);
    const events = (await eventsOf(ctx, second.id)).length;
    expectProblem(await act(ctx, cast.otherInfluencer, second.id, 'accept'), 409, 'budget_exceeded');
    expect(await viewAr(ctx, cast.sponsor, second.id)).toEqual(before);
    expect(await eventsOf(ctx, second.id)).toHaveLength(events);
    expect(await ledgerRowsOf(ctx, second.id)).toEqual([]);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 7_000, spentCents: 0 });
    const campaign = (await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: cast.sponsor })).json();
    expect(campaign).toMatchObject({ reservedCents: 7_000, remainingCents: 3_000 });
    // Exactly the remaining budget is fine.
    await must(ctx, cast.otherInfluencer, second.id, 'counter', { paymentCents: 3_000 });
    await must(ctx, cast.sponsor, second.id, 'accept');
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 10_000 });
    // A cancelled deal returns its reservation, which a new deal can then take.
    await must(ctx, cast.sponsor, first.id, 'cancel');
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 3_000 });
  });
});

// ---------------------------------------------------------------------------------------------
describe('action bodies', () => {
  it('deliver needs an http(s) URL; revision a note; cancel a reason — nothing changes on a 400', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    await must(ctx, cast.influencer, r.id, 'accept');
    const before = await viewAr(ctx, cast.sponsor, r.id);
    for (const deliverableUrl of [
      'ftp://example.com/x',
      'javascript:alert(1)',
      'example.com/post',
      '',
      'https://exa mple.com',
    ])
      expectValidation(await act(ctx, cast.influencer, r.id, 'deliver', { deliverableUrl }), '/deliverableUrl');
    expectValidation(await act(ctx, cast.influencer, r.id, 'deliver', {}), '/deliverableUrl');
    expectValidation(await act(ctx, cast.sponsor, r.id, 'cancel', {}), '/reason');
    expectValidation(await act(ctx, cast.sponsor, r.id, 'cancel', { reason: '  ' }), '/reason');
    expectValidation(await act(ctx, cast.sponsor, r.id, 'withdraw', { reason: 'x' }));
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual(before);
    const delivered = await must(ctx, cast.influencer, r.id, 'deliver', { deliverableUrl: 'http://example.com/v' });
    expect(delivered).toMatchObject({ status: 'delivered', deliverableUrl: 'http://example.com/v' });
    expectValidation(await act(ctx, cast.sponsor, r.id, 'request-revision', {}), '/note');
    expectValidation(await act(ctx, cast.sponsor, r.id, 'request-revision', { note: '' }), '/note');
    expect((await viewAr(ctx, cast.sponsor, r.id)).status).toBe('delivered');
  });

  it('actions on an unknown or malformed id are 404', async () => {
    for (const id of [randomUUID(), 'nope']) {
      expectProblem(await act(ctx, cast.sponsor, id, 'withdraw'), 404, 'not_found');
      expectProblem(await act(ctx, cast.sponsor, id, 'edit'), 404, 'not_found');
      expectProblem(await act(ctx, cast.sponsor, id, 'delete'), 404, 'not_found');
    }
  });

  it('actions require authentication', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    for (const action of ['accept', 'withdraw', 'edit', 'delete'] as const)
      expectProblem(await act(ctx, null, r.id, action), 401, 'unauthenticated');
    expect(await viewAr(ctx, cast.sponsor, r.id)).toEqual(r);
  });
});

// ---------------------------------------------------------------------------------------------
describe('DELETE /ad-requests/:id', () => {
  it('a deleted pending request becomes withdrawn, leaves every list and answers 404', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    const res = await act(ctx, cast.sponsor, r.id, 'delete');
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    for (const viewer of [cast.sponsor, cast.influencer, cast.admin]) {
      expectProblem(await getAr(ctx, viewer, r.id), 404, 'not_found');
      expect((await listAll(ctx, viewer, '/api/v1/ad-requests')).map((x) => x.id)).not.toContain(r.id);
    }
    expectProblem(await act(ctx, cast.influencer, r.id, 'accept'), 404, 'not_found');
    expectProblem(await act(ctx, cast.sponsor, r.id, 'delete'), 404, 'not_found');
    expect(await requestRow(ctx, r.id)).toMatchObject({ status: 'withdrawn', awaitingParty: null });
    // The pair is free again.
    await invite(ctx, cast.sponsor, c.id, cast.influencer);
  });
});

// ---------------------------------------------------------------------------------------------
describe('campaigns and their ad requests', () => {
  it('an influencer sees a private campaign it has an ad request on; others still do not', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { visibility: 'private', name: 'Secret launch' });
    const influencer = await f.influencer();
    const stranger = await f.influencer();
    const seen = async (who: TestUser) => ({
      get: (await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: who })).statusCode,
      listed: (await listAll(ctx, who, '/api/v1/campaigns')).some((x: { id: string }) => x.id === c.id),
    });
    expect(await seen(influencer)).toEqual({ get: 404, listed: false });
    await invite(ctx, cast.sponsor, c.id, influencer);
    expect(await seen(influencer)).toEqual({ get: 200, listed: true });
    expect(await seen(stranger)).toEqual({ get: 404, listed: false });
    expect(await seen(cast.otherSponsor)).toEqual({ get: 404, listed: false });
  });

  it('DELETE /campaigns/:id is a 409 conflict while a request is accepted or delivered, and changes nothing', async () => {
    for (const state of ['accepted', 'delivered'] as const) {
      const c = await createCampaign(ctx, cast.sponsor);
      const deal = await invite(ctx, cast.sponsor, c.id, cast.influencer);
      await must(ctx, cast.influencer, deal.id, 'accept');
      if (state === 'delivered') await must(ctx, cast.influencer, deal.id, 'deliver');
      const open = await invite(ctx, cast.sponsor, c.id, cast.otherInfluencer);
      const before = await Promise.all([viewAr(ctx, cast.sponsor, deal.id), viewAr(ctx, cast.sponsor, open.id)]);
      const money = await campaignMoney(ctx, c.id);
      expectProblem(await call(ctx, 'DELETE', `/api/v1/campaigns/${c.id}`, { auth: cast.sponsor }), 409, 'conflict');
      expect(await Promise.all([viewAr(ctx, cast.sponsor, deal.id), viewAr(ctx, cast.sponsor, open.id)])).toEqual(
        before,
      );
      expect(await campaignMoney(ctx, c.id)).toEqual(money);
      expect((await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: cast.sponsor })).statusCode).toBe(200);
    }
  });

  it('otherwise DELETE /campaigns/:id withdraws the open requests and leaves closed ones alone', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const [i1, i2, i3, i4] = await Promise.all([f.influencer(), f.influencer(), f.influencer(), f.influencer()]);
    const pending = await invite(ctx, cast.sponsor, c.id, i1);
    const negotiating = await applyTo(ctx, i2, c.id);
    await must(ctx, cast.sponsor, negotiating.id, 'counter', { paymentCents: 3_000 });
    const rejected = await invite(ctx, cast.sponsor, c.id, i3);
    await must(ctx, i3, rejected.id, 'reject');
    const completed = await invite(ctx, cast.sponsor, c.id, i4);
    await must(ctx, i4, completed.id, 'accept');
    await must(ctx, i4, completed.id, 'deliver');
    await must(ctx, cast.sponsor, completed.id, 'complete');
    const money = await expectLedgerConsistent(ctx, c.id);
    const res = await call(ctx, 'DELETE', `/api/v1/campaigns/${c.id}`, { auth: cast.sponsor });
    expect(res.statusCode, res.body).toBe(204);
    expect((await requestRow(ctx, pending.id))!.status).toBe('withdrawn');
    expect((await requestRow(ctx, negotiating.id))!.status).toBe('withdrawn');
    expect((await requestRow(ctx, rejected.id))!.status).toBe('rejected');
    expect((await requestRow(ctx, completed.id))!.status).toBe('completed');
    expect((await eventsOf(ctx, pending.id)).at(-1)).toMatchObject({ action: 'withdraw', toStatus: 'withdrawn' });
    expect(await expectLedgerConsistent(ctx, c.id)).toEqual(money);
    expectProblem(await act(ctx, i1, pending.id, 'accept'), 409, 'invalid_transition');
  });

  it('GET /campaigns/:id/stats counts the ad requests by status', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const people = await Promise.all(Array.from({ length: 6 }, () => f.influencer()));
    const [p1, p2, p3, p4, p5, p6] = people as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
    await invite(ctx, cast.sponsor, c.id, p1);
    await invite(ctx, cast.sponsor, c.id, p2);
    const n = await applyTo(ctx, p3, c.id);
    await must(ctx, cast.sponsor, n.id, 'counter', { paymentCents: 2_000 });
    const a = await invite(ctx, cast.sponsor, c.id, p4);
    await must(ctx, p4, a.id, 'accept');
    const d = await invite(ctx, cast.sponsor, c.id, p5);
    await must(ctx, p5, d.id, 'accept');
    await must(ctx, p5, d.id, 'deliver');
    await must(ctx, cast.sponsor, d.id, 'complete');
    const w = await applyTo(ctx, p6, c.id);
    await must(ctx, p6, w.id, 'withdraw');
    for (const viewer of [cast.sponsor, cast.admin]) {
      const res = await call(ctx, 'GET', `/api/v1/campaigns/${c.id}/stats`, { auth: viewer });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().adRequestsByStatus).toEqual({
        pending: 2,
        negotiating: 1,
        accepted: 1,
        delivered: 0,
        completed: 1,
        rejected: 0,
        withdrawn: 1,
        cancelled: 0,
        expired: 0,
      });
      expect(res.json()).toMatchObject({ reservedCents: 5_000, spentCents: 5_000 });
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('Idempotency-Key on ad-request POSTs', () => {
  it('a retried counter returns the first answer and adds one version only', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    const headers = { 'idempotency-key': `counter-${r.id}` };
    const first = await act(ctx, cast.influencer, r.id, 'counter', { paymentCents: 6_000 }, headers);
    expect(first.statusCode, first.body).toBe(200);
    const retry = await act(ctx, cast.influencer, r.id, 'counter', { paymentCents: 6_000 }, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const now = await viewAr(ctx, cast.influencer, r.id);
    expect(now.offerVersion).toBe(2);
    expect(now.offers).toHaveLength(2);
    expect((await eventsOf(ctx, r.id)).filter((e) => e.action === 'counter')).toHaveLength(1);
    // The same key on a different request is a conflict, and changes nothing.
    expectProblem(await act(ctx, cast.influencer, r.id, 'withdraw', {}, headers), 409, 'conflict');
    expect(await viewAr(ctx, cast.influencer, r.id)).toEqual(now);
  });

  it('a retried complete pays once', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 4_000 });
    await must(ctx, cast.influencer, r.id, 'accept');
    await must(ctx, cast.influencer, r.id, 'deliver');
    const headers = { 'idempotency-key': `complete-${r.id}` };
    const first = await act(ctx, cast.sponsor, r.id, 'complete', {}, headers);
    const retry = await act(ctx, cast.sponsor, r.id, 'complete', {}, headers);
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({
      reservedCents: 0,
      spentCents: 4_000,
      release: 4_000,
    });
  });

  it('a retried invitation creates one request', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const headers = { 'idempotency-key': `invite-${c.id}` };
    const body = { campaignId: c.id, influencerId: cast.influencer.user.id, requirements: 'A post', paymentCents: 100 };
    const first = await postAr(ctx, cast.sponsor, body, headers);
    const retry = await postAr(ctx, cast.sponsor, body, headers);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.json().id).toBe(first.json().id);
    expect(await countRequests(c.id)).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('racing actions on one request (parallel on PostgreSQL)', () => {
  const outcome = (res: Awaited<ReturnType<typeof act>>) =>
    res.statusCode === 200 ? 200 : `${res.statusCode} ${res.json().code}`;

  it('six accepts at once: one wins, the rest are invalid_transition, one reservation', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { budgetCents: 100_000 });
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 10_000 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => act(ctx, cast.influencer, r.id, 'accept')));
    expect(answers.map(outcome).sort()).toEqual([200, ...Array(5).fill('409 invalid_transition')].sort());
    expect(await ledgerRowsOf(ctx, r.id)).toHaveLength(1);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 10_000 });
  });

  it('accept against withdraw and reject: exactly one of them happens', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { budgetCents: 100_000 });
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 10_000 });
    const answers = await Promise.all([
      act(ctx, cast.influencer, r.id, 'accept'),
      act(ctx, cast.sponsor, r.id, 'withdraw'),
      act(ctx, cast.influencer, r.id, 'reject'),
      act(ctx, cast.influencer, r.id, 'withdraw'),
    ]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 200)) expect(outcome(a)).toBe('409 invalid_transition');
    const status = (await requestRow(ctx, r.id))!.status;
    const m = await expectLedgerConsistent(ctx, c.id);
    expect(m.reservedCents).toBe(status === 'accepted' ? 10_000 : 0);
  });

  it('complete, revision and cancel at once on delivered work: one wins, paid at most once', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { budgetCents: 100_000 });
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 10_000 });
    await must(ctx, cast.influencer, r.id, 'accept');
    await must(ctx, cast.influencer, r.id, 'deliver');
    const answers = await Promise.all([
      act(ctx, cast.sponsor, r.id, 'complete'),
      act(ctx, cast.sponsor, r.id, 'complete'),
      act(ctx, cast.sponsor, r.id, 'request-revision'),
      act(ctx, cast.sponsor, r.id, 'complete'),
    ]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const rows = await ledgerRowsOf(ctx, r.id);
    expect(rows.filter((x) => x.kind === 'release').length).toBeLessThanOrEqual(1);
    const m = await expectLedgerConsistent(ctx, c.id);
    expect(m.reservedCents + m.spentCents).toBe(10_000);
  });

  it('the auto-complete timer and the sponsor’s complete at once: paid once', async () => {
    const c = await createCampaign(ctx, cast.sponsor, { budgetCents: 100_000 });
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer, { paymentCents: 10_000 });
    await must(ctx, cast.influencer, r.id, 'accept');
    await must(ctx, cast.influencer, r.id, 'deliver');
    await ageRequest(ctx, r.id, 8);
    const [job, res] = await Promise.all([runJob(ctx, 'auto-complete'), act(ctx, cast.sponsor, r.id, 'complete')]);
    expect(job.changed + (res.statusCode === 200 ? 1 : 0)).toBe(1);
    if (res.statusCode !== 200) expect(outcome(res)).toBe('409 invalid_transition');
    expect((await ledgerRowsOf(ctx, r.id)).map((x) => x.kind)).toEqual(['reserve', 'release']);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 0, spentCents: 10_000 });
  });
});

// ---------------------------------------------------------------------------------------------
describe('the OpenAPI document', () => {
  it('describes every ad-request and ledger route', async () => {
    const res = await call(ctx, 'GET', '/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    const want: [string, string][] = [
      ['/api/v1/ad-requests', 'post'],
      ['/api/v1/ad-requests', 'get'],
      ['/api/v1/ad-requests/{id}', 'get'],
      ['/api/v1/ad-requests/{id}', 'patch'],
      ['/api/v1/ad-requests/{id}', 'delete'],
      ...['counter', 'accept', 'reject', 'withdraw', 'deliver', 'request-revision', 'complete', 'cancel'].map(
        (a) => [`/api/v1/ad-requests/{id}/${a}`, 'post'] as [string, string],
      ),
      ['/api/v1/transactions', 'get'],
      ['/api/v1/earnings', 'get'],
    ];
    for (const [path, method] of want) expect(paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
describe('events', () => {
  it('every transition writes one event row with the actor, from and to', async () => {
    const c = await createCampaign(ctx, cast.sponsor);
    const r = await invite(ctx, cast.sponsor, c.id, cast.influencer);
    await must(ctx, cast.sponsor, r.id, 'edit', { paymentCents: 5_500 });
    await must(ctx, cast.influencer, r.id, 'counter', { paymentCents: 6_000 });
    await must(ctx, cast.sponsor, r.id, 'accept');
    await must(ctx, cast.influencer, r.id, 'deliver');
    await must(ctx, cast.sponsor, r.id, 'request-revision');
    await must(ctx, cast.influencer, r.id, 'deliver');
    await must(ctx, cast.sponsor, r.id, 'complete');
    const events = (await eventsOf(ctx, r.id)).filter((e) => e.action !== 'create');
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ['edit', 'pending', 'pending', cast.sponsor.user.id],
      ['counter', 'pending', 'negotiating', cast.influencer.user.id],
      ['accept', 'negotiating', 'accepted', cast.sponsor.user.id],
      ['deliver', 'accepted', 'delivered', cast.influencer.user.id],
      ['request_revision', 'delivered', 'accepted', cast.sponsor.user.id],
      ['deliver', 'accepted', 'delivered', cast.influencer.user.id],
      ['complete', 'delivered', 'completed', cast.sponsor.user.id],
    ]);
  });
});
