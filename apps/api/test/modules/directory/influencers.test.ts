import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influencerPlatforms, influencerProfiles, users } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectNoSecrets, expectProblem, expectValidation } from '../../support/fixtures/http.js';
import {
  desc,
  expectOrder,
  forgeCursor,
  matchesPrefix,
  page,
  tieGroups,
  walk,
  words,
  type Params,
} from '../../support/fixtures/search-support.js';

/**
 * The influencer directory (GET /influencers) against a reference computed in TypeScript, its
 * visibility rules, and the public profile pages GET /influencers/:id and GET /sponsors/:id
 * (API.md "Directory and search").
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
let sponsor: TestUser;
let otherSponsor: TestUser;
let pending: TestUser;
let viewerInfluencer: TestUser;
const names = new Map<string, string>();
/** The fixture influencers by display name. */
const people = new Map<string, TestUser>();

interface Spec {
  name: string;
  bio: string;
  niche: string;
  country: string | null;
  platforms: { platform: string; handle: string; followers: number }[];
  rating?: [number, number];
  standing?: 'flagged' | 'deactivated';
}

/**
 * Each row that holds a searched prefix holds it once, in one place, so relevance is known:
 * name and handles outrank the bio.
 */
const SPECS: Spec[] = [
  {
    name: 'Fitness Freak Fran',
    bio: 'Morning runs and smoothies',
    niche: 'fitness',
    country: 'US',
    platforms: [{ platform: 'instagram', handle: '@franruns', followers: 120_000 }],
    rating: [4.5, 10],
  },
  {
    name: 'Jane Doe',
    bio: 'Strength and mobility',
    niche: 'fitness',
    country: 'GB',
    platforms: [
      { platform: 'tiktok', handle: '@fitjane', followers: 80_000 },
      { platform: 'youtube', handle: 'janedoe_tv', followers: 20_000 },
    ],
    rating: [4.5, 3],
  },
  {
    name: 'Klaus Berg',
    bio: 'Fitness coach in Berlin',
    niche: 'fitness',
    country: 'DE',
    platforms: [{ platform: 'youtube', handle: 'klausberg', followers: 45_000 }],
  },
  {
    name: 'Outfit Olivia',
    bio: 'Street style every day',
    niche: 'fashion',
    country: 'FR',
    platforms: [{ platform: 'instagram', handle: '@olivia_style', followers: 300_000 }],
    rating: [3, 1],
  },
  {
    name: 'Kitchen King',
    bio: 'Recipes for busy people',
    niche: 'food',
    country: 'US',
    platforms: [
      { platform: 'youtube', handle: 'kitchenking_official', followers: 900_000 },
      { platform: 'instagram', handle: '@kk_cooks', followers: 100_000 },
    ],
    rating: [5, 40],
  },
  {
    name: 'Wander Wendy',
    bio: 'Yoga retreats and travel diaries',
    niche: 'travel',
    country: 'ES',
    platforms: [{ platform: 'blog', handle: 'wanderwendy', followers: 15_000 }],
    rating: [2.25, 4],
  },
  {
    name: 'Pixel Pete',
    bio: 'Speedruns and retro games',
    niche: 'gaming',
    country: 'US',
    platforms: [
      { platform: 'twitch', handle: 'pixelpete', followers: 250_000 },
      { platform: 'x', handle: '@pixelpete', followers: 50_000 },
    ],
  },
  {
    name: 'Byte Bella',
    bio: 'Gadget reviews',
    niche: 'tech',
    country: null,
    platforms: [{ platform: 'youtube', handle: 'bytebella', followers: 300_000 }],
    rating: [4, 7],
  },
  {
    name: 'Glow Grace',
    bio: 'Skincare for sensitive skin',
    niche: 'beauty',
    country: 'FR',
    platforms: [
      { platform: 'instagram', handle: '@glowgrace', followers: 45_000 },
      { platform: 'tiktok', handle: '@gg_tok', followers: 5_000 },
    ],
    rating: [5, 1],
  },
  { name: 'Quiet Quinn', bio: 'Slow living', niche: 'lifestyle', country: 'CA', platforms: [] },
  {
    name: 'Travel Tom',
    bio: 'Diaries from the road',
    niche: 'travel',
    country: 'CA',
    platforms: [{ platform: 'instagram', handle: '@tomtravels', followers: 15_000 }],
  },
  {
    name: 'Money Mia',
    bio: 'Budgets and index funds',
    niche: 'finance',
    country: 'US',
    platforms: [{ platform: 'linkedin', handle: 'miamoney', followers: 8_000 }],
    rating: [3.75, 2],
  },
  {
    name: 'Fit Fake',
    bio: 'Bought followers',
    niche: 'fitness',
    country: 'US',
    platforms: [{ platform: 'instagram', handle: '@fake_gains', followers: 2_000_000 }],
    rating: [5, 2],
    standing: 'flagged',
  },
  {
    name: 'Fit Gone',
    bio: 'Left the platform',
    niche: 'fitness',
    country: 'US',
    platforms: [{ platform: 'instagram', handle: '@gone_gains', followers: 700_000 }],
    standing: 'deactivated',
  },
  {
    name: 'Teacher Tara',
    bio: 'Maths explained',
    niche: 'education',
    country: 'IN',
    platforms: [{ platform: 'youtube', handle: 'tarateaches', followers: 120_000 }],
  },
  {
    name: 'Dad Dan',
    bio: 'Parenting without panic',
    niche: 'parenting',
    country: 'AU',
    platforms: [{ platform: 'instagram', handle: '@daddan', followers: 8_000 }],
    rating: [4, 7],
  },
  {
    name: 'Beat Ben',
    bio: 'Bedroom producer',
    niche: 'music',
    country: 'DE',
    platforms: [
      { platform: 'tiktok', handle: '@beatben', followers: 60_000 },
      { platform: 'other', handle: 'soundcloud_ben', followers: 0 },
    ],
  },
  {
    name: 'Goal Gabi',
    bio: 'Football highlights',
    niche: 'sports',
    country: 'BR',
    platforms: [{ platform: 'youtube', handle: 'goalgabi', followers: 60_000 }],
    rating: [1, 1],
  },
];

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [admin, sponsor, otherSponsor, pending, viewerInfluencer] = await Promise.all([
    f.admin(),
    f.sponsor({ displayName: 'Directory Sponsor' }),
    f.sponsor(),
    f.pendingSponsor(),
    f.influencer({ displayName: 'Viewer Influencer' }),
  ]);
  const base = Date.now() - 24 * 3600 * 1000;
  for (const [i, s] of SPECS.entries()) {
    // Two influencers share a creation instant, so "newest" has a tie to page through.
    const person = await f.influencer({
      displayName: `Placeholder ${i}`,
      createdAt: new Date(base + (i === 5 ? 4 : i) * 1000),
    });
    // The profile is written the way a person writes it: PATCH /me.
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: person,
      body: {
        displayName: s.name,
        profile: { bio: s.bio, niche: s.niche, country: s.country, platforms: s.platforms },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    if (s.rating) {
      // Ratings come from reviews (a later release); the aggregate is written directly.
      await ctx.db
        .update(influencerProfiles)
        .set({ ratingAvg: s.rating[0], ratingCount: s.rating[1] })
        .where(eq(influencerProfiles.userId, person.user.id));
    }
    if (s.standing === 'flagged') await adminAction(person.user.id, 'flag', { reason: 'Fake audience' });
    if (s.standing === 'deactivated') await adminAction(person.user.id, 'deactivate', { reason: 'Left' });
    names.set(person.user.id, s.name);
    people.set(s.name, person);
  }
  await ctx.app.cache.invalidate('users');
});
afterAll(async () => ctx?.close());

async function adminAction(id: string, verb: string, body?: unknown) {
  const res = await call(ctx, 'POST', `/api/v1/admin/users/${id}/${verb}`, {
    auth: admin,
    ...(body !== undefined ? { body } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Reference: all influencers read back from the database, filtered and sorted in TypeScript.

interface Row {
  id: string;
  displayName: string;
  status: string;
  flagged: boolean;
  createdAt: number;
  bio: string;
  niche: string;
  country: string | null;
  reach: number;
  ratingAvg: number | null;
  ratingCount: number;
  platforms: { platform: string; handle: string; followers: number }[];
}

async function snapshot(): Promise<Row[]> {
  const [people_, profiles, platforms] = await Promise.all([
    ctx.db.select().from(users).where(eq(users.role, 'influencer')),
    ctx.db.select().from(influencerProfiles),
    ctx.db.select().from(influencerPlatforms),
  ]);
  return people_.map((u) => {
    const p = profiles.find((x) => x.userId === u.id)!;
    const own = platforms
      .filter((x) => x.userId === u.id)
      .sort((a, b) => a.position - b.position)
      .map(({ platform, handle, followers }) => ({ platform, handle, followers }));
    return {
      id: u.id,
      displayName: u.displayName,
      status: u.status,
      flagged: u.flagged,
      createdAt: u.createdAt.getTime(),
      bio: p.bio,
      niche: p.niche,
      country: p.country,
      // API.md: reach is the sum of followers; computed here independently of the stored column.
      reach: own.reduce((sum, x) => sum + x.followers, 0),
      ratingAvg: p.ratingAvg === null ? null : Number(p.ratingAvg),
      ratingCount: p.ratingCount,
      platforms: own,
    };
  });
}

let rows: Row[] = [];

/** Deactivated influencers are hidden from everyone; flagged ones from all but admins. */
const listed = (viewer: TestUser, r: Row) => r.status === 'active' && (viewer.user.role === 'admin' || !r.flagged);
const nameWords = (r: Row) => [...words(r.displayName), ...r.platforms.flatMap((p) => words(p.handle))];

function tier(r: Row, q: string): number {
  const typed = words(q);
  const hits = (ws: string[]) => ws.filter((w) => typed.some((t) => w.startsWith(t))).length;
  const [a, b] = [hits(nameWords(r)), hits(words(r.bio))];
  expect(a + b, `fixture "${r.displayName}" must hold "${q}" once`).toBeLessThanOrEqual(1);
  return a ? 2 : b ? 1 : 0;
}

function reference(viewer: TestUser, p: Params): string[][] {
  const q = typeof p.q === 'string' && words(p.q).length > 0 ? p.q : undefined;
  let out = rows.filter((r) => listed(viewer, r));
  if (q) out = out.filter((r) => matchesPrefix([...nameWords(r), ...words(r.bio)], q));
  if (p.niche !== undefined) out = out.filter((r) => r.niche === p.niche);
  if (p.platform !== undefined) out = out.filter((r) => r.platforms.some((x) => x.platform === p.platform));
  if (p.minReach !== undefined) out = out.filter((r) => r.reach >= Number(p.minReach));
  if (p.maxReach !== undefined) out = out.filter((r) => r.reach <= Number(p.maxReach));
  if (p.minRating !== undefined) out = out.filter((r) => r.ratingAvg !== null && r.ratingAvg >= Number(p.minRating));
  if (p.country !== undefined) out = out.filter((r) => r.country === p.country);
  const sort = (p.sort as string | undefined) ?? 'relevance';
  let key: (r: Row) => unknown;
  let cmp: (a: Row, b: Row) => number;
  if (sort === 'relevance' && q && words(q).length === 1) {
    key = (r) => tier(r, q);
    cmp = desc((r: Row) => tier(r, q));
  } else if (sort === 'relevance' && q) {
    key = () => 0;
    cmp = () => 0;
  } else if (sort === 'relevance' || sort === 'reach_desc') {
    key = (r) => r.reach;
    cmp = desc((r: Row) => r.reach);
  } else if (sort === 'rating_desc') {
    // Unrated influencers come after every rated one.
    key = (r) => r.ratingAvg ?? -1;
    cmp = desc((r: Row) => r.ratingAvg ?? -1);
  } else if (sort === 'newest') {
    key = (r) => r.createdAt;
    cmp = desc((r: Row) => r.createdAt);
  } else throw new Error(`no reference for ${sort}`);
  out.sort(cmp);
  return tieGroups(out, key, (r) => r.id);
}

async function expectMatchesReference(viewer: TestUser, p: Params, limit: number) {
  const { items } = await walk(ctx, viewer, '/api/v1/influencers', p, limit);
  expectOrder(
    items.map((i: { id: string }) => i.id),
    reference(viewer, p),
    `${viewer.user.role} ${JSON.stringify(p)} limit ${limit}`,
    names,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const item of items) {
    const r = byId.get(item.id)!;
    expect(item).toMatchObject({
      id: r.id,
      displayName: r.displayName,
      niche: r.niche,
      country: r.country,
      bio: r.bio,
      reach: r.reach,
      platforms: r.platforms,
      ratingAvg: r.ratingAvg,
      ratingCount: r.ratingCount,
    });
    expect(item).not.toHaveProperty('email');
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
describe('GET /influencers against the reference', () => {
  beforeAll(async () => {
    rows = await snapshot();
  });

  const QUERIES: Params[] = [
    {},
    { sort: 'relevance' },
    { sort: 'reach_desc' },
    { sort: 'rating_desc' },
    { sort: 'newest' },
    { niche: 'fitness' },
    { niche: 'travel', sort: 'newest' },
    { niche: 'music' },
    { platform: 'instagram' },
    { platform: 'youtube', sort: 'rating_desc' },
    { platform: 'twitch' },
    { platform: 'other' },
    { minReach: 50_000 },
    { maxReach: 45_000, sort: 'newest' },
    { minReach: 15_000, maxReach: 120_000 },
    { minReach: 45_000, maxReach: 45_000 },
    { minRating: 4 },
    { minRating: 4.5, sort: 'rating_desc' },
    { minRating: 2.3, sort: 'reach_desc' },
    { country: 'US' },
    { country: 'FR', sort: 'rating_desc' },
    { country: 'CA', sort: 'reach_desc' },
    { q: 'fit' },
    { q: 'FIT', sort: 'reach_desc' },
    { q: 'fitness' },
    { q: 'fit', sort: 'newest' },
    { q: 'kitchenk' },
    { q: 'glowgrace' },
    { q: 'diaries' },
    { q: 'travel diaries' },
    { q: 'yoga travel', sort: 'rating_desc' },
    { q: 'outfit' },
    { q: 'nobodyhere' },
    { niche: 'fitness', platform: 'instagram', sort: 'rating_desc' },
    { q: 'fit', country: 'GB' },
    { niche: 'travel', minReach: 10_000, maxReach: 20_000, country: 'CA' },
    { platform: 'youtube', minRating: 4, minReach: 100_000, sort: 'newest' },
  ];

  describe.each([
    ['a sponsor', () => sponsor],
    ['an admin', () => admin],
  ] as const)('as %s', (_label, getViewer) => {
    it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('%s, every page', async (_name, p) => {
      await expectMatchesReference(getViewer(), p, 6);
      await expectMatchesReference(getViewer(), p, 100);
    });
  });

  it('"fit" finds a name ("Fitness"), a handle ("@fitjane") and a bio, ranked in that order of weight', async () => {
    const found = (await walk(ctx, sponsor, '/api/v1/influencers', { q: 'fit' }, 100)).items.map(
      (i: { displayName: string }) => i.displayName,
    );
    expect(found).toEqual(expect.arrayContaining(['Fitness Freak Fran', 'Jane Doe', 'Klaus Berg']));
    expect(found).not.toContain('Outfit Olivia');
    expect(found.indexOf('Klaus Berg')).toBe(found.length - 1);
  });

  it('flagged influencers are listed for admins only; deactivated ones for nobody', async () => {
    const bySponsor = (await walk(ctx, sponsor, '/api/v1/influencers', { q: 'fit' }, 100)).items.map(
      (i: { displayName: string }) => i.displayName,
    );
    const byAdmin = (await walk(ctx, admin, '/api/v1/influencers', { q: 'fit' }, 100)).items as {
      displayName: string;
      flagged: boolean;
    }[];
    expect(bySponsor).not.toContain('Fit Fake');
    expect(byAdmin.find((i) => i.displayName === 'Fit Fake')).toMatchObject({ flagged: true });
    expect(bySponsor).not.toContain('Fit Gone');
    expect(byAdmin.map((i) => i.displayName)).not.toContain('Fit Gone');
  });

  it('a query made of search syntax is plain text, never a server error', async () => {
    for (const q of ["fit & | ! ( ) :* '", '   ', '\\', '@', "o'neil", '%_%']) {
      const res = await page(ctx, sponsor, '/api/v1/influencers', { q });
      expect(res.statusCode, `q=${q}: ${res.body}`).toBe(200);
    }
  });

  it('lists only influencers: sponsors and admins never appear', async () => {
    const { items } = await walk(ctx, admin, '/api/v1/influencers', {}, 100);
    const ids = items.map((i: { id: string }) => i.id);
    for (const u of [admin, sponsor, otherSponsor, pending]) expect(ids).not.toContain(u.user.id);
    expect(ids).toContain(viewerInfluencer.user.id);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /influencers access and parameters', () => {
  it('requires authentication', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/influencers'), 401, 'unauthenticated');
  });

  it('is for sponsors and admins: influencers get 403', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/influencers', { auth: viewerInfluencer }), 403, 'forbidden');
    expectProblem(
      await call(ctx, 'GET', '/api/v1/influencers?q=fit', { auth: people.get('Jane Doe')! }),
      403,
      'forbidden',
    );
    expect((await call(ctx, 'GET', '/api/v1/influencers', { auth: otherSponsor })).statusCode).toBe(200);
    expect((await call(ctx, 'GET', '/api/v1/influencers', { auth: admin })).statusCode).toBe(200);
  });

  it('answers 403 account_deactivated to a deactivated sponsor', async () => {
    const gone = await f.sponsor({ status: 'deactivated' });
    expectProblem(await call(ctx, 'GET', '/api/v1/influencers', { auth: gone }), 403, 'account_deactivated');
  });

  it.each([
    ['an unknown parameter', 'foo=1', '/foo'],
    ['limit=0', 'limit=0', '/limit'],
    ['limit=101', 'limit=101', '/limit'],
    ['an unknown sort', 'sort=popular', '/sort'],
    ['a campaign sort', 'sort=budget_desc', '/sort'],
    ['an unknown niche', 'niche=knitting', '/niche'],
    ['an unknown platform', 'platform=myspace', '/platform'],
    ['a negative minReach', 'minReach=-1', '/minReach'],
    ['a non-numeric maxReach', 'maxReach=lots', '/maxReach'],
    ['minReach above maxReach', 'minReach=10&maxReach=9', null],
    ['a non-numeric minRating', 'minRating=good', '/minRating'],
  ])('answers 400 for %s', async (_what, query, path) => {
    const res = await call(ctx, 'GET', `/api/v1/influencers?${query}`, { auth: sponsor });
    if (path) expectValidation(res, path);
    else expectValidation(res);
  });

  it('answers 400 for a garbled cursor and for one made for another sort', async () => {
    for (const cursor of ['garbage!!', forgeCursor({ s: 'nope', v: [] })]) {
      expectValidation(await page(ctx, sponsor, '/api/v1/influencers', { cursor }));
    }
    const first = (await page(ctx, sponsor, '/api/v1/influencers', { sort: 'newest', limit: 2 })).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    expectValidation(
      await page(ctx, sponsor, '/api/v1/influencers', { sort: 'rating_desc', cursor: first.nextCursor }),
    );
    expectValidation(await page(ctx, sponsor, '/api/v1/influencers', { sort: 'reach_desc', cursor: first.nextCursor }));
    const relevance = (await page(ctx, sponsor, '/api/v1/influencers', { q: 'fit', limit: 1 })).json();
    expectValidation(await page(ctx, sponsor, '/api/v1/influencers', { sort: 'newest', cursor: relevance.nextCursor }));
  });

  it.each([
    ['reach_desc', 'a reach that is no number', ['lots', randomUUID()]],
    ['newest', 'a creation time that is no timestamp', ['not-a-timestamp', randomUUID()]],
    ['newest', 'an id that is no id', [new Date().toISOString(), 'x']],
    ['rating_desc', 'a rating that is no number', ['great', 1, randomUUID()]],
  ] as const)('answers 400, never 500, for a forged %s cursor with %s', async (sort, _what, v) => {
    const res = await page(ctx, sponsor, '/api/v1/influencers', { sort, cursor: forgeCursor({ s: sort, v }) });
    expect(res.statusCode, res.body).toBe(400);
    expectValidation(res);
  });

  it('pages of 3 under sort=newest stay stable while an influencer signs up between pages', async () => {
    rows = await snapshot();
    const original = (await walk(ctx, admin, '/api/v1/influencers', { sort: 'newest' }, 100)).items.map(
      (i: { id: string }) => i.id,
    );
    const first = (await page(ctx, admin, '/api/v1/influencers', { sort: 'newest', limit: 3 })).json();
    const signup = await call(ctx, 'POST', '/api/v1/auth/signup', {
      body: {
        email: `late-${randomUUID()}@example.test`,
        password: 'a-long-enough-password',
        role: 'influencer',
        displayName: 'Late Larry',
      },
    });
    expect(signup.statusCode, signup.body).toBe(201);
    const seen: string[] = first.items.map((i: { id: string }) => i.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = (await page(ctx, admin, '/api/v1/influencers', { sort: 'newest', limit: 3, cursor })).json();
      seen.push(...next.items.map((i: { id: string }) => i.id));
      cursor = next.nextCursor;
    }
    expect(seen).toEqual(original);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /influencers/:id and GET /sponsors/:id', () => {
  const profile = (who: TestUser | null, kind: 'influencers' | 'sponsors', id: string) =>
    call(ctx, 'GET', `/api/v1/${kind}/${id}`, { auth: who });

  function expectProfile(res: Awaited<ReturnType<typeof call>>, target: TestUser, withEmail: boolean) {
    expect(res.statusCode, res.body).toBe(200);
    expectNoSecrets(res);
    const body = res.json();
    expect(body).toMatchObject({
      user: { id: target.user.id, role: target.user.role },
      ratingCount: expect.any(Number),
    });
    expect(body).toHaveProperty('ratingAvg');
    expect(Array.isArray(body.recentReviews)).toBe(true);
    if (withEmail) expect(body.user.email).toBe(target.user.email);
    else {
      expect(body.user).not.toHaveProperty('email');
      expect(body.user).not.toHaveProperty('flagReason');
    }
    return body;
  }

  it('require authentication', async () => {
    const jane = people.get('Jane Doe')!;
    expectProblem(await profile(null, 'influencers', jane.user.id), 401, 'unauthenticated');
    expectProblem(await profile(null, 'sponsors', sponsor.user.id), 401, 'unauthenticated');
  });

  it('an influencer profile is open to every signed-in user, with its rating summary; email only for self and admins', async () => {
    const jane = people.get('Jane Doe')!;
    for (const viewer of [sponsor, otherSponsor, viewerInfluencer, pending]) {
      const body = expectProfile(await profile(viewer, 'influencers', jane.user.id), jane, false);
      expect(body).toMatchObject({
        ratingAvg: 4.5,
        ratingCount: 3,
        user: {
          displayName: 'Jane Doe',
          profile: {
            niche: 'fitness',
            country: 'GB',
            reach: 100_000,
            bio: 'Strength and mobility',
            platforms: SPECS[1]!.platforms,
          },
        },
      });
    }
    expectProfile(await profile(jane, 'influencers', jane.user.id), jane, true);
    expectProfile(await profile(admin, 'influencers', jane.user.id), jane, true);
  });

  it('an unrated influencer has no average and a zero count', async () => {
    const klaus = people.get('Klaus Berg')!;
    const body = expectProfile(await profile(sponsor, 'influencers', klaus.user.id), klaus, false);
    expect(body).toMatchObject({ ratingAvg: null, ratingCount: 0 });
  });

  it('a sponsor profile is open to every signed-in user; email only for self and admins', async () => {
    for (const viewer of [otherSponsor, viewerInfluencer, pending]) {
      const body = expectProfile(await profile(viewer, 'sponsors', sponsor.user.id), sponsor, false);
      expect(body.user).toMatchObject({
        displayName: 'Directory Sponsor',
        profile: { companyName: expect.any(String) },
      });
    }
    expectProfile(await profile(sponsor, 'sponsors', sponsor.user.id), sponsor, true);
    expectProfile(await profile(admin, 'sponsors', sponsor.user.id), sponsor, true);
  });

  it('answers 404 for an id of the wrong role, an unknown id and a malformed one', async () => {
    const jane = people.get('Jane Doe')!;
    for (const viewer of [sponsor, viewerInfluencer, admin]) {
      expectProblem(await profile(viewer, 'influencers', sponsor.user.id), 404, 'not_found');
      expectProblem(await profile(viewer, 'influencers', admin.user.id), 404, 'not_found');
      expectProblem(await profile(viewer, 'sponsors', jane.user.id), 404, 'not_found');
      expectProblem(await profile(viewer, 'sponsors', admin.user.id), 404, 'not_found');
      expectProblem(await profile(viewer, 'influencers', randomUUID()), 404, 'not_found');
      expectProblem(await profile(viewer, 'sponsors', randomUUID()), 404, 'not_found');
      expectProblem(await profile(viewer, 'influencers', 'not-an-id'), 404, 'not_found');
    }
  });

  it('a flagged influencer’s profile is 404 for others, open to admins and to itself', async () => {
    const fake = people.get('Fit Fake')!;
    for (const viewer of [sponsor, viewerInfluencer, pending]) {
      expectProblem(await profile(viewer, 'influencers', fake.user.id), 404, 'not_found');
    }
    expect(expectProfile(await profile(admin, 'influencers', fake.user.id), fake, true).user.flagged).toBe(true);
    expectProfile(await profile(fake, 'influencers', fake.user.id), fake, true);
  });

  it('a deactivated influencer’s profile is 404 for others and open to admins', async () => {
    const gone = people.get('Fit Gone')!;
    for (const viewer of [sponsor, viewerInfluencer]) {
      expectProblem(await profile(viewer, 'influencers', gone.user.id), 404, 'not_found');
    }
    expect(expectProfile(await profile(admin, 'influencers', gone.user.id), gone, true).user.status).toBe(
      'deactivated',
    );
  });

  it('a flagged or deactivated sponsor’s profile is 404 for others, open to admins (and a flagged one to itself)', async () => {
    const flagged = await f.sponsor({ flagged: true, flagReason: 'Scam offers' });
    const gone = await f.sponsor({ status: 'deactivated' });
    for (const target of [flagged, gone]) {
      for (const viewer of [otherSponsor, viewerInfluencer]) {
        expectProblem(await profile(viewer, 'sponsors', target.user.id), 404, 'not_found');
      }
      expectProfile(await profile(admin, 'sponsors', target.user.id), target, true);
    }
    expectProfile(await profile(flagged, 'sponsors', flagged.user.id), flagged, true);
  });
});
