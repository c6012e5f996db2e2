import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import {
  campaignBody,
  campaignUrl,
  createCampaign,
  getCampaign,
  insertCampaignRows,
  listCampaigns,
  listIds,
  setCampaignRow,
} from '../../support/fixtures/search-campaigns.js';
import { addDays, tag, todayUtc } from '../../support/fixtures/search-support.js';

/**
 * Campaign CRUD, validation and the authorization matrix of every campaign route (API.md
 * "Campaigns"), the admin's campaign flag, and how a sponsor's standing hides its campaigns.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
let owner: TestUser;
let otherSponsor: TestUser;
let influencer: TestUser;
let pending: TestUser;
let deactivated: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [admin, owner, otherSponsor, influencer, pending, deactivated] = await Promise.all([
    f.admin(),
    f.sponsor({ displayName: 'Owner Sponsor' }),
    f.sponsor(),
    f.influencer(),
    f.pendingSponsor(),
    f.sponsor({ status: 'deactivated' }),
  ]);
});
afterAll(async () => ctx?.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const post = (who: TestUser | null, body: unknown, headers?: Record<string, string>) =>
  call(ctx, 'POST', '/api/v1/campaigns', { auth: who, body, ...(headers ? { headers } : {}) });
const patch = (who: TestUser | null, id: string, body: unknown) =>
  call(ctx, 'PATCH', campaignUrl(id), { auth: who, body });
const del = (who: TestUser | null, id: string) => call(ctx, 'DELETE', campaignUrl(id), { auth: who });
const stats = (who: TestUser | null, id: string) => call(ctx, 'GET', `${campaignUrl(id)}/stats`, { auth: who });
const flag = (who: TestUser | null, id: string, body?: unknown) =>
  call(ctx, 'POST', `/api/v1/admin/campaigns/${id}/flag`, { auth: who, ...(body !== undefined ? { body } : {}) });
const unflag = (who: TestUser | null, id: string) =>
  call(ctx, 'POST', `/api/v1/admin/campaigns/${id}/unflag`, { auth: who });

/** Live (not deleted) campaign rows of a sponsor, counted in the database. */
async function liveCount(sponsor: TestUser): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(campaigns)
    .where(and(eq(campaigns.sponsorId, sponsor.user.id), isNull(campaigns.deletedAt)));
  return Number(row!.n);
}

/** The campaign as its owner sees it now (or as an admin, once the owner cannot call). */
async function current(id: string, who: TestUser = owner) {
  const res = await getCampaign(ctx, who, id);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Asserts a refused call changed nothing the owner can see. */
async function expectUnchanged(before: { id: string }) {
  const now = await current(before.id, admin);
  expect(now).toMatchObject({ ...before, abilities: now.abilities, flagReason: now.flagReason });
}

interface AuditRow {
  id: string;
  actorId: string | null;
  action: string;
  subjectId: string | null;
  createdAt: string;
}
async function auditFor(subjectId: string): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res = await call(ctx, 'GET', `/api/v1/admin/audit-log?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      auth: admin,
    });
    expect(res.statusCode).toBe(200);
    rows.push(...res.json().items);
    cursor = res.json().nextCursor;
    if (!cursor) return rows.filter((r) => r.subjectId === subjectId);
  }
  throw new Error('audit log paging did not end');
}

// ---------------------------------------------------------------------------------------------
describe('POST /campaigns', () => {
  it('requires authentication, before looking at the body', async () => {
    const before = await liveCount(owner);
    expectProblem(await post(null, campaignBody()), 401, 'unauthenticated');
    expectProblem(await post(null, { nonsense: true }), 401, 'unauthenticated');
    expectProblem(await post(null, campaignBody(), { authorization: 'Bearer not-a-token' }), 401, 'unauthenticated');
    expect(await liveCount(owner)).toBe(before);
  });

  it('creates a campaign for an approved sponsor: 201 with the whole resource', async () => {
    const today = todayUtc();
    const body = campaignBody({
      name: 'Spring Fitness Push',
      description: 'Short videos of a morning routine',
      niche: 'fitness',
      goals: 'Sign-ups for the app',
      startDate: today,
      endDate: addDays(today, 10),
      budgetCents: 250_000,
      visibility: 'public',
    });
    const res = await post(owner, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const c = res.json();
    expect(typeof c.id).toBe('string');
    expect(c).toMatchObject({
      sponsorId: owner.user.id,
      sponsor: { id: owner.user.id, displayName: 'Owner Sponsor' },
      name: 'Spring Fitness Push',
      description: 'Short videos of a morning routine',
      niche: 'fitness',
      goals: 'Sign-ups for the app',
      startDate: today,
      endDate: addDays(today, 10),
      budgetCents: 250_000,
      reservedCents: 0,
      spentCents: 0,
      remainingCents: 250_000,
      visibility: 'public',
      status: 'active',
      flagged: false,
    });
    expect(typeof c.sponsor.companyName).toBe('string');
    expect(c.sponsor.companyName.length).toBeGreaterThan(0);
    expect(c.createdAt).toMatch(ISO);
    expect(c.updatedAt).toMatch(ISO);
    expect(Math.abs(Date.now() - Date.parse(c.createdAt))).toBeLessThan(60_000);
    // The created resource is the one that is stored.
    const stored = await current(c.id);
    expect(stored).toEqual(c);
  });

  it('derives the status from the UTC calendar dates', async () => {
    const today = todayUtc();
    const upcoming = await createCampaign(ctx, owner, { startDate: addDays(today, 1), endDate: addDays(today, 5) });
    expect(upcoming.status).toBe('upcoming');
    const late = await createCampaign(ctx, owner, { startDate: addDays(today, -20), endDate: addDays(today, 5) });
    expect(late.status).toBe('active');
    const oneDay = await createCampaign(ctx, owner, { startDate: today, endDate: today });
    expect(oneDay.status).toBe('active');
    // An ended campaign cannot be created, so the clock is moved by writing the row.
    await setCampaignRow(ctx, late.id, { startDate: addDays(today, -20), endDate: addDays(today, -1) });
    expect((await current(late.id)).status).toBe('ended');
  });

  it('accepts a start date in the past and an end date of today', async () => {
    const today = todayUtc();
    const c = await createCampaign(ctx, owner, { startDate: addDays(today, -400), endDate: today });
    expect(c).toMatchObject({ startDate: addDays(today, -400), endDate: today, status: 'active' });
  });

  it('accepts any positive budget, down to one cent (budgetCents > 0)', async () => {
    const c = await createCampaign(ctx, owner, { budgetCents: 1 });
    expect(c).toMatchObject({ budgetCents: 1, reservedCents: 0, spentCents: 0, remainingCents: 1 });
  });

  it('accepts every niche GET /meta lists, and a private campaign', async () => {
    const meta = (await call(ctx, 'GET', '/api/v1/meta')).json();
    expect(meta.niches.length).toBeGreaterThanOrEqual(14);
    for (const niche of meta.niches) {
      const c = await createCampaign(ctx, owner, { niche, visibility: 'private' });
      expect(c).toMatchObject({ niche, visibility: 'private' });
    }
  });

  it.each([
    ['endDate before startDate', { startDate: addDays(todayUtc(), 5), endDate: addDays(todayUtc(), 4) }, '/endDate'],
    ['endDate in the past', { startDate: addDays(todayUtc(), -10), endDate: addDays(todayUtc(), -1) }, '/endDate'],
    ['a zero budget', { budgetCents: 0 }, '/budgetCents'],
    ['a negative budget', { budgetCents: -100 }, '/budgetCents'],
    ['a fractional budget', { budgetCents: 10.5 }, '/budgetCents'],
    ['a budget given as text', { budgetCents: '1000' }, '/budgetCents'],
    ['a null budget', { budgetCents: null }, '/budgetCents'],
    ['an unknown niche', { niche: 'knitting' }, '/niche'],
    ['an unknown visibility', { visibility: 'secret' }, '/visibility'],
    ['an impossible date', { startDate: '2030-02-30', endDate: '2030-03-30' }, '/startDate'],
    ['a month 13', { endDate: '2030-13-01' }, '/endDate'],
    ['a non-ISO date', { endDate: '01/02/2030' }, '/endDate'],
    ['a date-time instead of a date', { endDate: '2030-01-02T00:00:00Z' }, '/endDate'],
    ['an empty name', { name: '' }, '/name'],
    ['a blank name', { name: '    ' }, '/name'],
  ])('rejects %s with 400 validation_failed and creates nothing', async (_what, overrides, path) => {
    const before = await liveCount(owner);
    expectValidation(await post(owner, campaignBody(overrides)), path);
    expect(await liveCount(owner)).toBe(before);
  });

  it.each(['name', 'niche', 'startDate', 'endDate', 'budgetCents'])('rejects a body without %s', async (field) => {
    const body: Record<string, unknown> = campaignBody();
    delete body[field];
    const before = await liveCount(owner);
    expectValidation(await post(owner, body));
    expect(await liveCount(owner)).toBe(before);
  });

  it.each([
    ['reservedCents', 0],
    ['spentCents', 0],
    ['remainingCents', 5],
    ['sponsorId', randomUUID()],
    ['ownerId', randomUUID()],
    ['flagged', false],
    ['flagReason', 'x'],
    ['status', 'active'],
    ['id', randomUUID()],
    ['createdAt', '2020-01-01T00:00:00.000Z'],
    ['color', 'blue'],
  ])('rejects the unknown or server-owned field %s (no mass assignment)', async (field, value) => {
    const before = await liveCount(owner);
    expectValidation(await post(owner, { ...campaignBody(), [field]: value }));
    expect(await liveCount(owner)).toBe(before);
  });

  it.each([
    ['an admin', () => admin, 'forbidden'],
    ['an influencer', () => influencer, 'forbidden'],
    ['a pending sponsor', () => pending, 'sponsor_not_approved'],
    ['a deactivated sponsor', () => deactivated, 'account_deactivated'],
  ])('answers 403 to %s and creates nothing', async (_who, who, code) => {
    const name = `Refused ${tag()}`;
    expectProblem(await post(who(), campaignBody({ name })), 403, code);
    const found = await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.name, name));
    expect(found).toHaveLength(0);
  });

  it('replays a retry with the same Idempotency-Key instead of creating twice', async () => {
    const key = `create-${tag()}`;
    const body = campaignBody();
    const before = await liveCount(owner);
    const first = await post(owner, body, { 'idempotency-key': key });
    const second = await post(owner, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(await liveCount(owner)).toBe(before + 1);
  });
});

// ---------------------------------------------------------------------------------------------
type Caller = 'anonymous' | 'owner' | 'other sponsor' | 'influencer' | 'admin' | 'pending sponsor' | 'deactivated user';
const CALLERS: Caller[] = [
  'anonymous',
  'owner',
  'other sponsor',
  'influencer',
  'admin',
  'pending sponsor',
  'deactivated user',
];
const who = (c: Caller): TestUser | null =>
  ({
    anonymous: null,
    owner,
    'other sponsor': otherSponsor,
    influencer,
    admin,
    'pending sponsor': pending,
    'deactivated user': deactivated,
  })[c];
/** [status, code] per caller, for a public and a private campaign. */
type Expect = [number, string | null];
const E401: Expect = [401, 'unauthenticated'];
const E403: Expect = [403, 'forbidden'];
const E404: Expect = [404, 'not_found'];
const DEACT: Expect = [403, 'account_deactivated'];

describe('GET /campaigns/:id', () => {
  const matrix: Record<'public' | 'private', Record<Caller, Expect>> = {
    public: {
      anonymous: E401,
      owner: [200, null],
      'other sponsor': [200, null],
      influencer: [200, null],
      admin: [200, null],
      'pending sponsor': [200, null],
      'deactivated user': DEACT,
    },
    private: {
      anonymous: E401,
      owner: [200, null],
      'other sponsor': E404,
      influencer: E404,
      admin: [200, null],
      'pending sponsor': E404,
      'deactivated user': DEACT,
    },
  };
  describe.each(['public', 'private'] as const)('a %s campaign', (visibility) => {
    it.each(CALLERS)('answers %s as the visibility rules say', async (caller) => {
      const c = await createCampaign(ctx, owner, { visibility });
      const [status, code] = matrix[visibility][caller];
      const res = await getCampaign(ctx, who(caller), c.id);
      if (code) {
        expectProblem(res, status, code);
        expect(res.body).not.toContain(c.name);
      } else {
        expect(res.statusCode, res.body).toBe(200);
        const seen = res.json();
        expect(seen).toMatchObject({ id: c.id, name: c.name, visibility, sponsorId: owner.user.id });
        if (caller !== 'owner' && caller !== 'admin') expect(seen).not.toHaveProperty('flagReason');
      }
    });
  });

  it('answers 404 for an unknown id and for a malformed one', async () => {
    expectProblem(await getCampaign(ctx, admin, randomUUID()), 404, 'not_found');
    expectProblem(await getCampaign(ctx, owner, 'not-a-campaign'), 404, 'not_found');
    expectProblem(await getCampaign(ctx, owner, '12345'), 404, 'not_found');
  });

  it('computes remainingCents as budget minus reserved minus spent', async () => {
    const c = await createCampaign(ctx, owner, { budgetCents: 10_000 });
    await setCampaignRow(ctx, c.id, { reservedCents: 2_500, spentCents: 1_000 });
    expect(await current(c.id)).toMatchObject({
      budgetCents: 10_000,
      reservedCents: 2_500,
      spentCents: 1_000,
      remainingCents: 6_500,
    });
    await setCampaignRow(ctx, c.id, { reservedCents: 4_000, spentCents: 6_000 });
    expect((await current(c.id)).remainingCents).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('PATCH /campaigns/:id', () => {
  const matrix: Record<'public' | 'private', Record<Exclude<Caller, 'owner'>, Expect>> = {
    public: {
      anonymous: E401,
      'other sponsor': E403,
      influencer: E403,
      admin: E403,
      'pending sponsor': E403,
      'deactivated user': DEACT,
    },
    private: {
      anonymous: E401,
      'other sponsor': E404,
      influencer: E403,
      admin: E403,
      'pending sponsor': E404,
      'deactivated user': DEACT,
    },
  };
  describe.each(['public', 'private'] as const)('on a %s campaign', (visibility) => {
    it.each(CALLERS.filter((c): c is Exclude<Caller, 'owner'> => c !== 'owner'))(
      'refuses %s and changes nothing',
      async (caller) => {
        const c = await createCampaign(ctx, owner, { visibility });
        const [status, code] = matrix[visibility][caller];
        const res = await patch(who(caller), c.id, { name: 'Hijacked name', budgetCents: 100 });
        expectProblem(res, status, code!);
        await expectUnchanged(c);
      },
    );
  });

  it('lets the owner change every editable field: 200 with the updated campaign', async () => {
    const c = await createCampaign(ctx, owner, { visibility: 'public' });
    const today = todayUtc();
    const changes = {
      name: 'Renamed campaign',
      description: 'New description',
      goals: 'New goals',
      niche: 'travel',
      startDate: addDays(today, 2),
      endDate: addDays(today, 40),
      budgetCents: 777_000,
      visibility: 'private',
    };
    const res = await patch(owner, c.id, changes);
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      ...changes,
      id: c.id,
      status: 'upcoming',
      remainingCents: 777_000,
      createdAt: c.createdAt,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    expect(await current(c.id)).toEqual(updated);
    // Now private: the other sponsor no longer sees it.
    expectProblem(await getCampaign(ctx, otherSponsor, c.id), 404, 'not_found');
  });

  it('a partial change keeps the other fields', async () => {
    const c = await createCampaign(ctx, owner);
    const res = await patch(owner, c.id, { goals: 'Only the goals change' });
    expect(res.statusCode, res.body).toBe(200);
    const { goals, updatedAt, ...rest } = res.json();
    expect(goals).toBe('Only the goals change');
    expect(Date.parse(updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    const { goals: _g, updatedAt: _u, ...before } = c;
    expect(rest).toEqual(before);
  });

  it.each([
    ['an endDate before the current startDate', (s: string) => ({ endDate: addDays(s, -1) }), '/endDate'],
    ['a startDate after the current endDate', (s: string) => ({ startDate: addDays(s, 31) }), null],
    ['an endDate in the past', (s: string) => ({ startDate: addDays(s, -9), endDate: addDays(s, -1) }), '/endDate'],
    ['a zero budget', () => ({ budgetCents: 0 }), '/budgetCents'],
    ['a fractional budget', () => ({ budgetCents: 99.5 }), '/budgetCents'],
    ['an unknown niche', () => ({ niche: 'knitting' }), '/niche'],
    ['an unknown visibility', () => ({ visibility: 'hidden' }), '/visibility'],
    ['an impossible date', () => ({ endDate: '2031-04-31' }), '/endDate'],
    ['a blank name', () => ({ name: '   ' }), '/name'],
  ])('rejects %s with 400 and changes nothing', async (_what, make, path) => {
    const c = await createCampaign(ctx, owner);
    const res = await patch(owner, c.id, make(c.startDate));
    if (path) expectValidation(res, path);
    else expectValidation(res);
    await expectUnchanged(c);
  });

  it('accepts moving the start into the past while the end stays ahead', async () => {
    const c = await createCampaign(ctx, owner, { startDate: addDays(todayUtc(), 3) });
    const res = await patch(owner, c.id, { startDate: addDays(todayUtc(), -3) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ startDate: addDays(todayUtc(), -3), status: 'active' });
  });

  it.each([
    ['reservedCents', 0],
    ['spentCents', 0],
    ['remainingCents', 1],
    ['sponsorId', randomUUID()],
    ['flagged', false],
    ['flagReason', null],
    ['status', 'ended'],
    ['id', randomUUID()],
    ['createdAt', '2020-01-01T00:00:00.000Z'],
    ['deletedAt', '2020-01-01T00:00:00.000Z'],
  ])('rejects the server-owned field %s', async (field, value) => {
    const c = await createCampaign(ctx, owner);
    expectValidation(await patch(owner, c.id, { name: 'With extra field', [field]: value }));
    await expectUnchanged(c);
  });

  it('refuses to lower the budget below reserved + spent (409 conflict), allows down to it', async () => {
    const c = await createCampaign(ctx, owner, { budgetCents: 1_000 });
    await setCampaignRow(ctx, c.id, { reservedCents: 300, spentCents: 200 });
    const before = await current(c.id);
    expectProblem(await patch(owner, c.id, { budgetCents: 499 }), 409, 'conflict');
    // The refused request changes nothing, not even the other fields sent with it.
    expectProblem(await patch(owner, c.id, { budgetCents: 100, name: 'Should not stick' }), 409, 'conflict');
    expect(await current(c.id)).toEqual(before);
    const exact = await patch(owner, c.id, { budgetCents: 500 });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json()).toMatchObject({ budgetCents: 500, reservedCents: 300, spentCents: 200, remainingCents: 0 });
    const raised = await patch(owner, c.id, { budgetCents: 2_000 });
    expect(raised.json()).toMatchObject({ budgetCents: 2_000, remainingCents: 1_500 });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await patch(owner, randomUUID(), { name: 'Nobody' }), 404, 'not_found');
    expectProblem(await patch(owner, 'nope', { name: 'Nobody' }), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe('DELETE /campaigns/:id', () => {
  const matrix: Record<'public' | 'private', Record<Exclude<Caller, 'owner'>, Expect>> = {
    public: {
      anonymous: E401,
      'other sponsor': E403,
      influencer: E403,
      admin: E403,
      'pending sponsor': E403,
      'deactivated user': DEACT,
    },
    private: {
      anonymous: E401,
      'other sponsor': E404,
      influencer: E403,
      admin: E403,
      'pending sponsor': E404,
      'deactivated user': DEACT,
    },
  };
  describe.each(['public', 'private'] as const)('on a %s campaign', (visibility) => {
    it.each(CALLERS.filter((c): c is Exclude<Caller, 'owner'> => c !== 'owner'))(
      'refuses %s and keeps the campaign',
      async (caller) => {
        const c = await createCampaign(ctx, owner, { visibility });
        const [status, code] = matrix[visibility][caller];
        expectProblem(await del(who(caller), c.id), status, code!);
        await expectUnchanged(c);
      },
    );
  });

  it('lets the owner delete: 204 with no body, then 404 for everyone on every route', async () => {
    const c = await createCampaign(ctx, owner, { visibility: 'public' });
    expect(await listIds(ctx, otherSponsor, { sponsorId: owner.user.id })).toContain(c.id);
    const res = await del(owner, c.id);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    for (const caller of [owner, admin, otherSponsor, influencer]) {
      expectProblem(await getCampaign(ctx, caller, c.id), 404, 'not_found');
    }
    expectProblem(await patch(owner, c.id, { name: 'Back from the dead' }), 404, 'not_found');
    expectProblem(await del(owner, c.id), 404, 'not_found');
    expectProblem(await stats(owner, c.id), 404, 'not_found');
    expectProblem(await stats(admin, c.id), 404, 'not_found');
    expectProblem(await flag(admin, c.id, { reason: 'Spam' }), 404, 'not_found');
    for (const caller of [owner, otherSponsor, influencer, admin]) {
      expect(await listIds(ctx, caller, { sponsorId: owner.user.id })).not.toContain(c.id);
    }
    expect(await listIds(ctx, owner, { mine: true })).not.toContain(c.id);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await del(owner, randomUUID()), 404, 'not_found');
    expectProblem(await del(owner, 'nope'), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /campaigns/:id/stats', () => {
  const matrix: Record<'public' | 'private', Record<Caller, Expect>> = {
    public: {
      anonymous: E401,
      owner: [200, null],
      'other sponsor': E403,
      influencer: E403,
      admin: [200, null],
      'pending sponsor': E403,
      'deactivated user': DEACT,
    },
    private: {
      anonymous: E401,
      owner: [200, null],
      'other sponsor': E404,
      influencer: E403,
      admin: [200, null],
      'pending sponsor': E404,
      'deactivated user': DEACT,
    },
  };
  describe.each(['public', 'private'] as const)('of a %s campaign', (visibility) => {
    it.each(CALLERS)('answers %s as owner-and-admin-only says', async (caller) => {
      const c = await createCampaign(ctx, owner, { visibility, budgetCents: 9_000 });
      await setCampaignRow(ctx, c.id, { reservedCents: 1_000, spentCents: 500 });
      const [status, code] = matrix[visibility][caller];
      const res = await stats(who(caller), c.id);
      if (code) {
        expectProblem(res, status, code);
      } else {
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ budgetCents: 9_000, reservedCents: 1_000, spentCents: 500 });
      }
    });
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await stats(owner, randomUUID()), 404, 'not_found');
    expectProblem(await stats(admin, randomUUID()), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /campaigns visibility', () => {
  it('requires authentication', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/campaigns'), 401, 'unauthenticated');
  });

  it('a sponsor sees its own campaigns and others’ public ones; influencers public; admins all', async () => {
    const s = await f.sponsor();
    const pub = await createCampaign(ctx, s, { visibility: 'public' });
    const priv = await createCampaign(ctx, s, { visibility: 'private' });
    const sorted = (ids: string[]) => [...ids].sort();
    expect(sorted(await listIds(ctx, s, { sponsorId: s.user.id }))).toEqual(sorted([pub.id, priv.id]));
    expect(sorted(await listIds(ctx, s, { mine: true }))).toEqual(sorted([pub.id, priv.id]));
    expect(sorted(await listIds(ctx, admin, { sponsorId: s.user.id }))).toEqual(sorted([pub.id, priv.id]));
    expect(await listIds(ctx, otherSponsor, { sponsorId: s.user.id })).toEqual([pub.id]);
    expect(await listIds(ctx, influencer, { sponsorId: s.user.id })).toEqual([pub.id]);
    expect(await listIds(ctx, pending, { sponsorId: s.user.id })).toEqual([pub.id]);
    expect(await listIds(ctx, otherSponsor, { mine: true })).not.toContain(pub.id);
    // flagReason is for the owner and admins only, in lists too.
    for (const item of await listCampaigns(ctx, influencer, { sponsorId: s.user.id }))
      expect(item).not.toHaveProperty('flagReason');
    for (const item of await listCampaigns(ctx, otherSponsor, { sponsorId: s.user.id }))
      expect(item).not.toHaveProperty('flagReason');
  });

  it('mine=true is for sponsors only', async () => {
    expectValidation(await call(ctx, 'GET', '/api/v1/campaigns?mine=true', { auth: influencer }));
    expectValidation(await call(ctx, 'GET', '/api/v1/campaigns?mine=true', { auth: admin }));
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /admin/campaigns/:id/flag and /unflag', () => {
  it.each([
    ['anonymous', null, 401, 'unauthenticated'],
    ['the owner', 'owner', 403, 'forbidden'],
    ['another sponsor', 'other', 403, 'forbidden'],
    ['an influencer', 'influencer', 403, 'forbidden'],
    ['a pending sponsor', 'pending', 403, 'forbidden'],
    ['a deactivated user', 'deactivated', 403, 'account_deactivated'],
  ] as const)('refuses %s and changes nothing', async (_name, key, status, code) => {
    const caller = key === null ? null : { owner, other: otherSponsor, influencer, pending, deactivated }[key];
    const c = await createCampaign(ctx, owner);
    expectProblem(await flag(caller, c.id, { reason: 'Looks like spam' }), status, code);
    await expectUnchanged(c);
    await setCampaignRow(ctx, c.id, { flagged: true, flagReason: 'Set by test' });
    expectProblem(await unflag(caller, c.id), status, code);
    expect(await current(c.id, admin)).toMatchObject({ flagged: true, flagReason: 'Set by test' });
  });

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['an empty reason', { reason: '' }],
    ['a blank reason', { reason: '   ' }],
    ['a reason that is not text', { reason: 42 }],
    ['an unknown field', { reason: 'Spam', flagged: false }],
  ])('requires a reason: refuses %s with 400', async (_what, body) => {
    const c = await createCampaign(ctx, owner);
    expectValidation(await flag(admin, c.id, body));
    expect((await current(c.id)).flagged).toBe(false);
  });

  it('answers 404 for an unknown campaign', async () => {
    expectProblem(await flag(admin, randomUUID(), { reason: 'Spam' }), 404, 'not_found');
    expectProblem(await unflag(admin, randomUUID()), 404, 'not_found');
  });

  it('flagging hides the campaign from everyone but its owner (with the reason) and admins; audited', async () => {
    const c = await createCampaign(ctx, owner, { visibility: 'public' });
    const before = await auditFor(c.id);
    const res = await flag(admin, c.id, { reason: 'Misleading claims' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: c.id, flagged: true, flagReason: 'Misleading claims' });

    const rows = (await auditFor(c.id)).filter((r) => !before.some((b) => b.id === r.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.user.id, subjectId: c.id });
    expect(rows[0]!.action.toLowerCase()).toContain('flag');
    expect(rows[0]!.action.toLowerCase()).not.toContain('unflag');
    expect(rows[0]!.createdAt).toMatch(ISO);

    expect(await current(c.id, owner)).toMatchObject({ flagged: true, flagReason: 'Misleading claims' });
    expect(await current(c.id, admin)).toMatchObject({ flagged: true, flagReason: 'Misleading claims' });
    for (const caller of [otherSponsor, influencer, pending]) {
      expectProblem(await getCampaign(ctx, caller, c.id), 404, 'not_found');
      expect(await listIds(ctx, caller, { sponsorId: owner.user.id })).not.toContain(c.id);
      expect(await listIds(ctx, caller, { q: c.name })).not.toContain(c.id);
    }
    const mine = (await listCampaigns(ctx, owner, { mine: true })).find((x: { id: string }) => x.id === c.id);
    expect(mine).toMatchObject({ flagged: true, flagReason: 'Misleading claims' });
    const adminItem = (await listCampaigns(ctx, admin, { sponsorId: owner.user.id })).find(
      (x: { id: string }) => x.id === c.id,
    );
    expect(adminItem).toMatchObject({ flagged: true, flagReason: 'Misleading claims' });

    // Unflag: visible again, audited, and the reason is gone.
    const un = await unflag(admin, c.id);
    expect(un.statusCode, un.body).toBe(200);
    expect(un.json()).toMatchObject({ id: c.id, flagged: false });
    expect(un.json().flagReason ?? null).toBeNull();
    const after = (await auditFor(c.id)).filter((r) => !before.some((b) => b.id === r.id));
    expect(after).toHaveLength(2);
    const unRow = after.find((r) => r.id !== rows[0]!.id)!;
    expect(unRow).toMatchObject({ actorId: admin.user.id, subjectId: c.id });
    expect(unRow.action.toLowerCase()).toContain('unflag');
    for (const caller of [otherSponsor, influencer]) {
      const seen = await getCampaign(ctx, caller, c.id);
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toMatchObject({ flagged: false });
      expect(seen.json()).not.toHaveProperty('flagReason');
      expect(await listIds(ctx, caller, { sponsorId: owner.user.id })).toContain(c.id);
    }
  });

  it('once flagged, the campaign is invisible to other sponsors on every route: 404, no longer 403', async () => {
    const c = await createCampaign(ctx, owner, { visibility: 'public' });
    expectProblem(await patch(otherSponsor, c.id, { name: 'Not mine' }), 403, 'forbidden');
    expect((await flag(admin, c.id, { reason: 'Spam' })).statusCode).toBe(200);
    expectProblem(await patch(otherSponsor, c.id, { name: 'Not mine' }), 404, 'not_found');
    expectProblem(await del(otherSponsor, c.id), 404, 'not_found');
    expectProblem(await stats(otherSponsor, c.id), 404, 'not_found');
    // Its owner and admins still reach it.
    expect((await stats(owner, c.id)).statusCode).toBe(200);
    expect((await stats(admin, c.id)).statusCode).toBe(200);
    expect((await patch(owner, c.id, { goals: 'Fixed the claims' })).statusCode).toBe(200);
  });

  it('an admin can flag a private campaign, and the owner still edits it', async () => {
    const c = await createCampaign(ctx, owner, { visibility: 'private' });
    expect((await flag(admin, c.id, { reason: 'Check budget' })).statusCode).toBe(200);
    const res = await patch(owner, c.id, { visibility: 'public' });
    expect(res.statusCode, res.body).toBe(200);
    // Public now, but still flagged: still hidden from others.
    expectProblem(await getCampaign(ctx, otherSponsor, c.id), 404, 'not_found');
    expectProblem(await getCampaign(ctx, influencer, c.id), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe('a sponsor’s standing', () => {
  const adminAction = (id: string, verb: string, body?: unknown) =>
    call(ctx, 'POST', `/api/v1/admin/users/${id}/${verb}`, { auth: admin, ...(body !== undefined ? { body } : {}) });

  async function expectHiddenFromOthers(sponsor: TestUser, id: string) {
    for (const caller of [otherSponsor, influencer]) {
      expectProblem(await getCampaign(ctx, caller, id), 404, 'not_found');
      expect(await listIds(ctx, caller, { sponsorId: sponsor.user.id })).toEqual([]);
      expect(await listIds(ctx, caller)).not.toContain(id);
    }
    expect((await current(id, admin)).id).toBe(id);
    expect(await listIds(ctx, admin, { sponsorId: sponsor.user.id })).toContain(id);
  }
  async function expectVisibleToOthers(sponsor: TestUser, id: string) {
    for (const caller of [otherSponsor, influencer]) {
      expect((await getCampaign(ctx, caller, id)).statusCode).toBe(200);
      expect(await listIds(ctx, caller, { sponsorId: sponsor.user.id })).toEqual([id]);
    }
  }

  it('a flagged sponsor’s campaigns disappear for others, stay for the owner and admins, and return on unflag', async () => {
    const s = await f.sponsor();
    const c = await createCampaign(ctx, s, { visibility: 'public' });
    await expectVisibleToOthers(s, c.id);
    expect((await adminAction(s.user.id, 'flag', { reason: 'Fraud suspected' })).statusCode).toBe(200);
    await expectHiddenFromOthers(s, c.id);
    expectProblem(await patch(otherSponsor, c.id, { name: 'Not mine' }), 404, 'not_found');
    expectProblem(await stats(otherSponsor, c.id), 404, 'not_found');
    expect((await current(c.id, s)).id).toBe(c.id);
    expect(await listIds(ctx, s, { mine: true })).toEqual([c.id]);
    expect((await adminAction(s.user.id, 'unflag')).statusCode).toBe(200);
    await expectVisibleToOthers(s, c.id);
  });

  it('a deactivated sponsor’s campaigns disappear for others and return on reactivation', async () => {
    const s = await f.sponsor();
    const c = await createCampaign(ctx, s, { visibility: 'public' });
    await expectVisibleToOthers(s, c.id);
    expect((await adminAction(s.user.id, 'deactivate', { reason: 'Left the platform' })).statusCode).toBe(200);
    await expectHiddenFromOthers(s, c.id);
    expectProblem(await getCampaign(ctx, s, c.id), 403, 'account_deactivated');
    expect((await adminAction(s.user.id, 'reactivate')).statusCode).toBe(200);
    await expectVisibleToOthers(s, c.id);
  });

  it('campaigns inserted for a sponsor flagged in the database are hidden too', async () => {
    const s = await f.sponsor({ flagged: true, flagReason: 'Seeded flag' });
    const today = todayUtc();
    const [id] = await insertCampaignRows(ctx, [
      {
        sponsorId: s.user.id,
        name: 'Seeded',
        niche: 'food',
        startDate: today,
        endDate: addDays(today, 3),
        budgetCents: 10,
        visibility: 'public',
      },
    ]);
    await expectHiddenFromOthers(s, id!);
  });
});
