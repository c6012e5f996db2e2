import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../support/helpers.js';
import { expectProblem } from '../support/fixtures/http.js';
import { campaignUrl, createCampaign } from '../support/fixtures/search-campaigns.js';
import { page, tag, type Params, type Res } from '../support/fixtures/search-support.js';

/**
 * Cached reads (GET /campaigns, GET /influencers, profile pages) must never be stale or leak:
 * `X-Cache` says miss then hit for a repeated query, and every write, by the owner or an admin,
 * shows on the very next request even when the answer was cached before it; one viewer's cached
 * answer is never served to a viewer who may not see its rows.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
let sA: TestUser;
let sB: TestUser;
let influencer: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [admin, sA, sB, influencer] = await Promise.all([f.admin(), f.sponsor(), f.sponsor(), f.influencer()]);
});
afterAll(async () => ctx?.close());

const campaignsPage = (who: TestUser, params: Params) => page(ctx, who, '/api/v1/campaigns', params);
const influencersPage = (who: TestUser, params: Params) => page(ctx, who, '/api/v1/influencers', params);
const xcache = (res: Res) => res.headers['x-cache'];
const ids = (res: Res) => res.json().items.map((i: { id: string }) => i.id) as string[];

/** Asks twice and checks the second answer came from the cache and equals the first. */
async function warm(ask: () => Promise<Res>): Promise<Res> {
  const first = await ask();
  expect(first.statusCode, first.body).toBe(200);
  const second = await ask();
  expect(second.statusCode).toBe(200);
  expect(xcache(second), 'the repeated query is served from the cache').toBe('hit');
  expect(second.json()).toEqual(first.json());
  return second;
}

/** A word only this test's rows hold, so a query sees just them. */
const word = () => `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;

// ---------------------------------------------------------------------------------------------
describe('X-Cache', () => {
  it('GET /campaigns: miss, then hit for the same query by the same viewer', async () => {
    const w = word();
    await createCampaign(ctx, sA, { name: `Cache probe ${w}` });
    const params = { q: w, sort: 'newest' };
    const first = await campaignsPage(sB, params);
    expect(first.statusCode).toBe(200);
    expect(xcache(first)).toBe('miss');
    const second = await campaignsPage(sB, params);
    expect(xcache(second)).toBe('hit');
    expect(second.json()).toEqual(first.json());
    // Another query is another entry.
    expect(xcache(await campaignsPage(sB, { q: w, sort: 'budget_desc' }))).toBe('miss');
  });

  it('GET /influencers: miss, then hit for the same query by the same viewer', async () => {
    const params = { q: tag(), niche: 'food' };
    const first = await influencersPage(sA, params);
    expect(first.statusCode).toBe(200);
    expect(xcache(first)).toBe('miss');
    const second = await influencersPage(sA, params);
    expect(xcache(second)).toBe('hit');
    expect(second.json()).toEqual(first.json());
  });
});

// ---------------------------------------------------------------------------------------------
describe('campaign edits show on the very next request', () => {
  it('a renamed campaign is found by its new name and no longer by the old one', async () => {
    const [oldWord, newWord] = [word(), word()];
    const c = await createCampaign(ctx, sA, { name: `Before ${oldWord}` });
    for (const viewer of [sA, sB, influencer]) {
      expect(ids(await warm(() => campaignsPage(viewer, { q: oldWord })))).toEqual([c.id]);
      await warm(() => campaignsPage(viewer, { q: newWord }));
      await warm(() => campaignsPage(viewer, { sponsorId: sA.user.id, limit: 100 }));
    }
    expect(
      (await call(ctx, 'PATCH', campaignUrl(c.id), { auth: sA, body: { name: `After ${newWord}` } })).statusCode,
    ).toBe(200);
    for (const viewer of [sA, sB, influencer]) {
      expect(ids(await campaignsPage(viewer, { q: oldWord }))).toEqual([]);
      const found = (await campaignsPage(viewer, { q: newWord })).json().items;
      expect(found.map((i: { name: string }) => i.name)).toEqual([`After ${newWord}`]);
      const listed = (await campaignsPage(viewer, { sponsorId: sA.user.id, limit: 100 })).json().items;
      expect(listed.find((i: { id: string }) => i.id === c.id).name).toBe(`After ${newWord}`);
    }
  });

  it('a changed budget shows in filters and budget sorts', async () => {
    const s = await f.sponsor();
    const low = await createCampaign(ctx, s, { budgetCents: 1_000 });
    const high = await createCampaign(ctx, s, { budgetCents: 5_000 });
    const params = { sponsorId: s.user.id, sort: 'budget_desc' };
    const filtered = { sponsorId: s.user.id, minBudgetCents: 9_000 };
    for (const viewer of [s, sB]) {
      expect(ids(await warm(() => campaignsPage(viewer, params)))).toEqual([high.id, low.id]);
      expect(ids(await warm(() => campaignsPage(viewer, filtered)))).toEqual([]);
    }
    const res = await call(ctx, 'PATCH', campaignUrl(low.id), { auth: s, body: { budgetCents: 10_000 } });
    expect(res.statusCode, res.body).toBe(200);
    for (const viewer of [s, sB]) {
      const next = await campaignsPage(viewer, params);
      expect(ids(next)).toEqual([low.id, high.id]);
      expect(next.json().items[0]).toMatchObject({ budgetCents: 10_000, remainingCents: 10_000 });
      expect(ids(await campaignsPage(viewer, filtered))).toEqual([low.id]);
    }
  });

  it('a new campaign appears in a result cached before it existed', async () => {
    const s = await f.sponsor();
    const first = await createCampaign(ctx, s);
    expect(ids(await warm(() => campaignsPage(sB, { sponsorId: s.user.id })))).toEqual([first.id]);
    const second = await createCampaign(ctx, s);
    expect(ids(await campaignsPage(sB, { sponsorId: s.user.id })).sort()).toEqual([first.id, second.id].sort());
  });

  it('the sponsor’s new display and company name show in cached campaign results', async () => {
    const s = await f.sponsor();
    const c = await createCampaign(ctx, s);
    await warm(() => campaignsPage(influencer, { sponsorId: s.user.id }));
    const name = `Renamed ${tag()}`;
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: s,
      body: { displayName: name, profile: { companyName: `${name} Ltd` } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const item = (await campaignsPage(influencer, { sponsorId: s.user.id })).json().items[0];
    expect(item).toMatchObject({ id: c.id, sponsor: { id: s.user.id, displayName: name, companyName: `${name} Ltd` } });
  });
});

// ---------------------------------------------------------------------------------------------
describe('hidden campaigns disappear on the very next request', () => {
  /** A sponsor with one public campaign that B and the influencer have in their cached answers. */
  async function cachedPublicCampaign() {
    const s = await f.sponsor();
    const w = word();
    const c = await createCampaign(ctx, s, { name: `Soon hidden ${w}`, visibility: 'public' });
    const queries: Params[] = [{ q: w }, { sponsorId: s.user.id }, { sponsorId: s.user.id, sort: 'budget_asc' }];
    for (const viewer of [sB, influencer]) {
      for (const q of queries) expect(ids(await warm(() => campaignsPage(viewer, q)))).toEqual([c.id]);
    }
    return { s, c, queries };
  }
  async function expectGoneForOthers(c: { id: string }, queries: Params[]) {
    for (const viewer of [sB, influencer]) {
      for (const q of queries) expect(ids(await campaignsPage(viewer, q)), JSON.stringify(q)).toEqual([]);
      expectProblem(await call(ctx, 'GET', campaignUrl(c.id), { auth: viewer }), 404, 'not_found');
    }
  }
  async function expectBackForOthers(c: { id: string }, queries: Params[]) {
    for (const viewer of [sB, influencer]) {
      for (const q of queries) expect(ids(await campaignsPage(viewer, q)), JSON.stringify(q)).toEqual([c.id]);
    }
  }

  it('made private by its owner', async () => {
    const { s, c, queries } = await cachedPublicCampaign();
    expect((await call(ctx, 'PATCH', campaignUrl(c.id), { auth: s, body: { visibility: 'private' } })).statusCode).toBe(
      200,
    );
    await expectGoneForOthers(c, queries);
    expect(ids(await campaignsPage(s, queries[1]!))).toEqual([c.id]);
    expect((await call(ctx, 'PATCH', campaignUrl(c.id), { auth: s, body: { visibility: 'public' } })).statusCode).toBe(
      200,
    );
    await expectBackForOthers(c, queries);
  });

  it('flagged by an admin (and back on unflag)', async () => {
    const { s, c, queries } = await cachedPublicCampaign();
    await warm(() => campaignsPage(s, queries[1]!));
    const res = await call(ctx, 'POST', `/api/v1/admin/campaigns/${c.id}/flag`, {
      auth: admin,
      body: { reason: 'Misleading' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await expectGoneForOthers(c, queries);
    // The owner's cached answer now shows the flag and its reason.
    expect((await campaignsPage(s, queries[1]!)).json().items[0]).toMatchObject({
      id: c.id,
      flagged: true,
      flagReason: 'Misleading',
    });
    expect((await call(ctx, 'POST', `/api/v1/admin/campaigns/${c.id}/unflag`, { auth: admin })).statusCode).toBe(200);
    await expectBackForOthers(c, queries);
  });

  it('deleted by its owner', async () => {
    const { s, c, queries } = await cachedPublicCampaign();
    await warm(() => campaignsPage(s, queries[1]!));
    await warm(() => campaignsPage(admin, queries[1]!));
    expect((await call(ctx, 'DELETE', campaignUrl(c.id), { auth: s })).statusCode).toBe(204);
    await expectGoneForOthers(c, queries);
    expect(ids(await campaignsPage(s, queries[1]!))).toEqual([]);
    expect(ids(await campaignsPage(admin, queries[1]!))).toEqual([]);
  });

  it('its sponsor flagged by an admin (and back on unflag)', async () => {
    const { s, c, queries } = await cachedPublicCampaign();
    expect(
      (await call(ctx, 'POST', `/api/v1/admin/users/${s.user.id}/flag`, { auth: admin, body: { reason: 'Fraud' } }))
        .statusCode,
    ).toBe(200);
    await expectGoneForOthers(c, queries);
    expect(ids(await campaignsPage(admin, queries[1]!))).toEqual([c.id]);
    expect((await call(ctx, 'POST', `/api/v1/admin/users/${s.user.id}/unflag`, { auth: admin })).statusCode).toBe(200);
    await expectBackForOthers(c, queries);
  });

  it('its sponsor deactivated by an admin (and back on reactivation)', async () => {
    const { s, c, queries } = await cachedPublicCampaign();
    expect(
      (
        await call(ctx, 'POST', `/api/v1/admin/users/${s.user.id}/deactivate`, {
          auth: admin,
          body: { reason: 'Gone' },
        })
      ).statusCode,
    ).toBe(200);
    await expectGoneForOthers(c, queries);
    expect((await call(ctx, 'POST', `/api/v1/admin/users/${s.user.id}/reactivate`, { auth: admin })).statusCode).toBe(
      200,
    );
    await expectBackForOthers(c, queries);
  });
});

// ---------------------------------------------------------------------------------------------
describe('one viewer’s cached answer never reaches another', () => {
  it('sponsor A’s private campaign, cached in A’s answer, is not in B’s or an influencer’s', async () => {
    const w = word();
    const priv = await createCampaign(ctx, sA, { name: `Secret ${w}`, visibility: 'private' });
    const pub = await createCampaign(ctx, sA, { name: `Open ${w}`, visibility: 'public' });
    for (const params of [
      { q: w },
      { q: w, sort: 'newest' },
      { sponsorId: sA.user.id, q: w },
      { q: w, visibility: 'private' },
    ] as Params[]) {
      const own = await warm(() => campaignsPage(sA, params));
      expect(ids(own)).toContain(priv.id);
      for (const viewer of [sB, influencer]) {
        const res = await campaignsPage(viewer, params);
        expect(res.statusCode).toBe(200);
        expect(ids(res), `${JSON.stringify(params)}`).not.toContain(priv.id);
        expect(res.body).not.toContain(`Secret ${w}`);
        if (params.visibility !== 'private') expect(ids(res)).toEqual([pub.id]);
      }
    }
  });

  it('the owner’s flagReason field, cached in its answer, is not in another sponsor’s', async () => {
    const w = word();
    const c = await createCampaign(ctx, sA, { name: `Reasoned ${w}` });
    const own = await warm(() => campaignsPage(sA, { q: w }));
    expect(own.json().items[0]).toHaveProperty('flagReason');
    const other = await campaignsPage(sB, { q: w });
    expect(ids(other)).toEqual([c.id]);
    expect(other.json().items[0]).not.toHaveProperty('flagReason');
  });

  it('an admin’s cached answer (flagged and private rows) is not served to a sponsor', async () => {
    const w = word();
    const flagged = await createCampaign(ctx, sA, { name: `Flagged ${w}` });
    const priv = await createCampaign(ctx, sA, { name: `Private ${w}`, visibility: 'private' });
    const pub = await createCampaign(ctx, sA, { name: `Public ${w}` });
    expect(
      (await call(ctx, 'POST', `/api/v1/admin/campaigns/${flagged.id}/flag`, { auth: admin, body: { reason: 'Spam' } }))
        .statusCode,
    ).toBe(200);
    const all = await warm(() => campaignsPage(admin, { q: w }));
    expect(ids(all).sort()).toEqual([flagged.id, priv.id, pub.id].sort());
    expect(ids(await campaignsPage(sB, { q: w }))).toEqual([pub.id]);
    expect(ids(await campaignsPage(influencer, { q: w }))).toEqual([pub.id]);
  });

  it('an admin’s cached directory answer (with a flagged influencer) is not served to a sponsor', async () => {
    const w = word();
    const shown = await f.influencer({ displayName: `Shown ${w}` });
    const hidden = await f.influencer({ displayName: `Hidden ${w}`, flagged: true, flagReason: 'Fake audience' });
    await ctx.app.cache.invalidate('users');
    const all = await warm(() => influencersPage(admin, { q: w }));
    expect(ids(all).sort()).toEqual([shown.user.id, hidden.user.id].sort());
    for (const viewer of [sA, sB]) expect(ids(await influencersPage(viewer, { q: w }))).toEqual([shown.user.id]);
  });

  it('an influencer’s own profile page (with email) is not served to others', async () => {
    const me = await f.influencer();
    const own = await warm(() => call(ctx, 'GET', `/api/v1/influencers/${me.user.id}`, { auth: me }));
    expect(own.json().user.email).toBe(me.user.email);
    for (const viewer of [sA, influencer]) {
      const res = await call(ctx, 'GET', `/api/v1/influencers/${me.user.id}`, { auth: viewer });
      expect(res.statusCode).toBe(200);
      expect(res.json().user).not.toHaveProperty('email');
      expect(res.body).not.toContain(me.user.email);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('directory edits show on the very next request', () => {
  it('PATCH /me of an influencer’s displayName and niche shows in /influencers', async () => {
    const [oldWord, newWord] = [word(), word()];
    const person = await f.influencer();
    const setup = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: person,
      body: { displayName: `Old ${oldWord}`, profile: { niche: 'food' } },
    });
    expect(setup.statusCode, setup.body).toBe(200);
    for (const viewer of [sA, admin]) {
      expect(ids(await warm(() => influencersPage(viewer, { q: oldWord })))).toEqual([person.user.id]);
      expect(ids(await warm(() => influencersPage(viewer, { q: oldWord, niche: 'food' })))).toEqual([person.user.id]);
      expect(ids(await warm(() => influencersPage(viewer, { q: newWord })))).toEqual([]);
    }
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: person,
      body: { displayName: `New ${newWord}`, profile: { niche: 'music' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const viewer of [sA, admin]) {
      expect(ids(await influencersPage(viewer, { q: oldWord }))).toEqual([]);
      expect(ids(await influencersPage(viewer, { q: oldWord, niche: 'food' }))).toEqual([]);
      const found = (await influencersPage(viewer, { q: newWord })).json().items;
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ id: person.user.id, displayName: `New ${newWord}`, niche: 'music' });
      expect(ids(await influencersPage(viewer, { q: newWord, niche: 'music' }))).toEqual([person.user.id]);
    }
  });

  it('new platform handles and followers show in /influencers (search by handle, reach)', async () => {
    const handle = word();
    const person = await f.influencer();
    await warm(() => influencersPage(sA, { q: handle }));
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: person,
      body: { profile: { platforms: [{ platform: 'twitch', handle: `@${handle}`, followers: 4_321 }] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const found = (await influencersPage(sA, { q: handle })).json().items;
    expect(found.map((i: { id: string }) => i.id)).toEqual([person.user.id]);
    expect(found[0]).toMatchObject({
      reach: 4_321,
      platforms: [{ platform: 'twitch', handle: `@${handle}`, followers: 4_321 }],
    });
  });

  it('a new influencer appears in a cached directory answer on the next request', async () => {
    const w = word();
    await warm(() => influencersPage(sA, { q: w }));
    const res = await call(ctx, 'POST', '/api/v1/auth/signup', {
      body: {
        email: `${w}@example.test`,
        password: 'a-long-enough-password',
        role: 'influencer',
        displayName: `Newcomer ${w}`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(ids(await influencersPage(sA, { q: w }))).toEqual([res.json().user.id]);
  });

  it.each([
    ['flagged', 'flag', { reason: 'Fake audience' }],
    ['deactivated', 'deactivate', { reason: 'Left' }],
  ] as const)(
    'an influencer %s by an admin leaves cached search answers and its cached profile page',
    async (_what, verb, body) => {
      const w = word();
      const person = await f.influencer({ displayName: `Standing ${w}` });
      await ctx.app.cache.invalidate('users');
      expect(ids(await warm(() => influencersPage(sA, { q: w })))).toEqual([person.user.id]);
      await warm(() => call(ctx, 'GET', `/api/v1/influencers/${person.user.id}`, { auth: sA }));
      await warm(() => call(ctx, 'GET', `/api/v1/influencers/${person.user.id}`, { auth: influencer }));
      expect(
        (await call(ctx, 'POST', `/api/v1/admin/users/${person.user.id}/${verb}`, { auth: admin, body })).statusCode,
      ).toBe(200);
      expect(ids(await influencersPage(sA, { q: w }))).toEqual([]);
      expectProblem(await call(ctx, 'GET', `/api/v1/influencers/${person.user.id}`, { auth: sA }), 404, 'not_found');
      expectProblem(
        await call(ctx, 'GET', `/api/v1/influencers/${person.user.id}`, { auth: influencer }),
        404,
        'not_found',
      );
    },
  );

  it('a sponsor flagged by an admin: its cached profile page answers 404 to others next', async () => {
    const s = await f.sponsor();
    await warm(() => call(ctx, 'GET', `/api/v1/sponsors/${s.user.id}`, { auth: influencer }));
    expect(
      (await call(ctx, 'POST', `/api/v1/admin/users/${s.user.id}/flag`, { auth: admin, body: { reason: 'Scam' } }))
        .statusCode,
    ).toBe(200);
    expectProblem(await call(ctx, 'GET', `/api/v1/sponsors/${s.user.id}`, { auth: influencer }), 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------
describe.runIf(Boolean(process.env.REDIS_URL))('with the Redis connection broken', () => {
  async function withRedisDown(body: () => Promise<void>) {
    const redis = ctx.app.redis!;
    expect(redis).toBeTruthy();
    redis.disconnect();
    try {
      await body();
    } finally {
      await redis.connect().catch(() => undefined);
      // Wait until it is usable again, so the rest of the file (and cleanup) has its Redis.
      for (let i = 0; i < 50 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(redis.status).toBe('ready');
    }
  }

  it('search still answers 200 from the database (X-Cache miss), and edits show at once', async () => {
    expect(ctx.usingRedis).toBe(true);
    const w = word();
    const c = await createCampaign(ctx, sA, { name: `Outage ${w}` });
    await warm(() => campaignsPage(sB, { q: w }));
    await withRedisDown(async () => {
      for (let i = 0; i < 2; i++) {
        const res = await campaignsPage(sB, { q: w });
        expect(res.statusCode, res.body).toBe(200);
        expect(xcache(res)).toBe('miss');
        expect(ids(res)).toEqual([c.id]);
        const directory = await influencersPage(sA, { q: w });
        expect(directory.statusCode, directory.body).toBe(200);
        expect(xcache(directory)).toBe('miss');
      }
      const edit = await call(ctx, 'PATCH', campaignUrl(c.id), { auth: sA, body: { name: `Edited ${w}` } });
      expect(edit.statusCode, edit.body).toBe(200);
      const after = await campaignsPage(sB, { q: w });
      expect(after.statusCode).toBe(200);
      expect(after.json().items[0].name).toBe(`Edited ${w}`);
    });
  });

  it('an edit made while Redis was down is not hidden by an answer cached before the outage', async () => {
    const w = word();
    const c = await createCampaign(ctx, sA, { name: `Before outage ${w}` });
    expect(ids(await warm(() => campaignsPage(sB, { q: w })))).toEqual([c.id]);
    await withRedisDown(async () => {
      const edit = await call(ctx, 'PATCH', campaignUrl(c.id), {
        auth: sA,
        body: { visibility: 'private', name: `During outage ${w}` },
      });
      expect(edit.statusCode, edit.body).toBe(200);
    });
    // Redis is back: the answer cached before the outage must not resurface.
    const res = await campaignsPage(sB, { q: w });
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual([]);
  });
});
