import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createTestApp,
  factories,
  TEST_PASSWORD,
  type TestContext,
  type TestUser,
} from '../../support/helpers.js';
import { expectNoSecrets, expectProblem, expectValidation, uploadAvatar } from '../../support/fixtures/http.js';
import { pngImage } from '../../support/fixtures/images.js';

/**
 * GET /me and PATCH /me per API.md "Accounts and auth", and what other users see of an account.
 * The avatar upload is in me-avatar.test.ts.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

const getMe = (who: TestUser) => call(ctx, 'GET', '/api/v1/me', { auth: who });
const patchMe = (who: TestUser | null, body: unknown) => call(ctx, 'PATCH', '/api/v1/me', { auth: who, body });

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const USER_KEYS = ['id', 'email', 'role', 'status', 'flagged', 'displayName', 'avatarUrl', 'createdAt', 'profile'];
const INFLUENCER_PROFILE_KEYS = ['bio', 'niche', 'platforms', 'reach'];
const SPONSOR_PROFILE_KEYS = ['companyName', 'industry'];

describe('GET /me', () => {
  it('requires authentication', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  });

  it('returns an influencer with its full profile', async () => {
    const inf = await f.influencer();
    const res = await getMe(inf);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    const body = res.json();
    for (const key of USER_KEYS) expect(body, `user.${key}`).toHaveProperty(key);
    for (const key of INFLUENCER_PROFILE_KEYS) expect(body.profile, `profile.${key}`).toHaveProperty(key);
    expect(body).toMatchObject({
      id: inf.user.id,
      email: inf.user.email,
      role: 'influencer',
      status: 'active',
      flagged: false,
      displayName: inf.user.displayName,
      avatarUrl: null,
      profile: {
        niche: 'fitness',
        bio: 'Test bio',
        reach: 1000,
        platforms: [{ platform: 'instagram', followers: 1000 }],
      },
    });
    expect(body.createdAt).toMatch(ISO_UTC);
    expectNoSecrets(res);
  });

  it('returns a sponsor with its company profile', async () => {
    const spo = await f.sponsor();
    const res = await getMe(spo);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    for (const key of SPONSOR_PROFILE_KEYS) expect(body.profile, `profile.${key}`).toHaveProperty(key);
    expect(body).toMatchObject({ id: spo.user.id, email: spo.user.email, role: 'sponsor', status: 'active' });
    expect(body.profile).not.toHaveProperty('niche');
    expect(body.profile).not.toHaveProperty('platforms');
    expectNoSecrets(res);
  });

  it('returns an admin with a null profile', async () => {
    const admin = await f.admin();
    const res = await getMe(admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: admin.user.id,
      email: admin.user.email,
      role: 'admin',
      status: 'active',
      profile: null,
    });
  });

  it('returns a pending sponsor', async () => {
    const pending = await f.pendingSponsor();
    const res = await getMe(pending);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: pending.user.id, status: 'pending_approval' });
  });

  it('returns each caller itself, never another user', async () => {
    const a = await f.influencer();
    const b = await f.influencer();
    expect((await getMe(a)).json().id).toBe(a.user.id);
    expect((await getMe(b)).json().id).toBe(b.user.id);
  });

  it('shows a flagged user its own flag and reason', async () => {
    const flagged = await f.influencer({ flagged: true, flagReason: 'Suspicious follower growth' });
    const body = (await getMe(flagged)).json();
    expect(body.flagged).toBe(true);
    expect(body.flagReason).toBe('Suspicious follower growth');
  });

  it('answers 403 account_deactivated to a deactivated user', async () => {
    const gone = await f.sponsor({ status: 'deactivated' });
    expectProblem(await getMe(gone), 403, 'account_deactivated');
  });
});

describe('PATCH /me', () => {
  it('requires authentication', async () => {
    expectProblem(await patchMe(null, { displayName: 'Nobody' }), 401, 'unauthenticated');
  });

  it('updates only the display name when only it is given', async () => {
    const inf = await f.influencer();
    const before = (await getMe(inf)).json();
    const res = await patchMe(inf, { displayName: 'Renamed Person' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...before, displayName: 'Renamed Person' });
    expect((await getMe(inf)).json()).toEqual({ ...before, displayName: 'Renamed Person' });
    expectNoSecrets(res);
  });

  it('answers 200 with nothing changed for an empty body', async () => {
    const inf = await f.influencer();
    const before = (await getMe(inf)).json();
    const res = await patchMe(inf, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(before);
  });

  it('updates an influencer profile partially', async () => {
    const inf = await f.influencer();
    const before = (await getMe(inf)).json();
    const res = await patchMe(inf, {
      profile: { niche: 'tech', country: 'DE', rateCents: 25_000, engagementRate: 4.25 },
    });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    expect(after.profile).toMatchObject({ niche: 'tech', country: 'DE', rateCents: 25_000, engagementRate: 4.25 });
    expect(after.profile.bio).toBe(before.profile.bio);
    expect(after.profile.platforms).toEqual(before.profile.platforms);
    expect(after.profile.reach).toBe(before.profile.reach);
    expect(after.displayName).toBe(before.displayName);
    expect((await getMe(inf)).json()).toEqual(after);
  });

  it('replaces the platform list when given and recomputes reach as the sum of followers', async () => {
    const inf = await f.influencer();
    const platforms = [
      { platform: 'youtube', handle: 'ChannelOne', followers: 5000 },
      { platform: 'tiktok', handle: '@tt', followers: 2500 },
      { platform: 'blog', handle: 'blog.example', followers: 0 },
    ];
    const res = await patchMe(inf, { profile: { platforms } });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile.platforms).toEqual(platforms);
    expect(res.json().profile.reach).toBe(7500);
    expect((await getMe(inf)).json().profile).toMatchObject({ platforms, reach: 7500 });

    // A profile update without `platforms` keeps the list and the reach.
    const bio = await patchMe(inf, { profile: { bio: 'New bio' } });
    expect(bio.json().profile).toMatchObject({ bio: 'New bio', platforms, reach: 7500 });

    // An empty list empties it.
    const empty = await patchMe(inf, { profile: { platforms: [] } });
    expect(empty.statusCode).toBe(200);
    expect(empty.json().profile).toMatchObject({ platforms: [], reach: 0 });
  });

  it('computes reach beyond 32-bit integers exactly', async () => {
    const inf = await f.influencer();
    const res = await patchMe(inf, {
      profile: {
        platforms: [
          { platform: 'youtube', handle: 'huge', followers: 3_000_000_000 },
          { platform: 'instagram', handle: '@huge', followers: 2_500_000_001 },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile.reach).toBe(5_500_000_001);
  });

  it('updates a sponsor profile partially', async () => {
    const spo = await f.sponsor();
    const before = (await getMe(spo)).json();
    const res = await patchMe(spo, {
      profile: { companyName: 'Renamed Co', website: 'https://renamed.example', budgetCents: 500_000 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile).toMatchObject({
      companyName: 'Renamed Co',
      industry: before.profile.industry,
      website: 'https://renamed.example',
      budgetCents: 500_000,
    });
    expect((await getMe(spo)).json().profile).toEqual(res.json().profile);
  });

  it('reports every invalid field with a JSON pointer and changes nothing', async () => {
    const inf = await f.influencer();
    const before = (await getMe(inf)).json();
    const res = await patchMe(inf, {
      displayName: '',
      profile: {
        niche: 'knitting',
        country: 'germany',
        platforms: [
          { platform: 'instagram', handle: '@ok', followers: 10 },
          { platform: 'myspace', handle: '@x', followers: -1 },
          { platform: 'youtube', followers: 5 },
        ],
      },
    });
    expectValidation(
      res,
      '/displayName',
      '/profile/niche',
      '/profile/country',
      '/profile/platforms/1/platform',
      '/profile/platforms/1/followers',
      '/profile/platforms/2/handle',
    );
    expect((await getMe(inf)).json()).toEqual(before);
  });

  it('points at the exact follower count that is wrong', async () => {
    const inf = await f.influencer();
    const res = await patchMe(inf, {
      profile: { platforms: [{ platform: 'instagram', handle: '@a', followers: -5 }] },
    });
    const body = expectValidation(res, '/profile/platforms/0/followers');
    expect(body.errors).toHaveLength(1);
  });

  it('does not coerce types', async () => {
    const inf = await f.influencer();
    expectValidation(
      await patchMe(inf, { profile: { platforms: [{ platform: 'instagram', handle: '@a', followers: '1000' }] } }),
      '/profile/platforms/0/followers',
    );
    expectValidation(await patchMe(inf, { profile: { rateCents: 10.5 } }), '/profile/rateCents');
    expectValidation(await patchMe(inf, { displayName: 42 }), '/displayName');
  });

  it('validates sponsor fields', async () => {
    const spo = await f.sponsor();
    expectValidation(await patchMe(spo, { profile: { website: 'javascript:alert(1)' } }), '/profile/website');
    expectValidation(await patchMe(spo, { profile: { budgetCents: -1 } }), '/profile/budgetCents');
    expectValidation(await patchMe(spo, { profile: { companyName: '' } }), '/profile/companyName');
  });

  it('refuses profile fields of another role (wrong role)', async () => {
    const spo = await f.sponsor();
    const inf = await f.influencer();
    const admin = await f.admin();
    expectValidation(await patchMe(spo, { profile: { niche: 'tech' } }), '/profile/niche');
    expectValidation(await patchMe(spo, { profile: { platforms: [] } }), '/profile/platforms');
    expectValidation(await patchMe(inf, { profile: { companyName: 'Not Mine' } }), '/profile/companyName');
    expectValidation(await patchMe(inf, { profile: { budgetCents: 100 } }), '/profile/budgetCents');
    expectValidation(await patchMe(admin, { profile: { bio: 'I am root' } }), '/profile/bio');
    // Nothing of it was stored.
    expect((await getMe(spo)).json().profile).not.toHaveProperty('niche');
    expect((await getMe(inf)).json().profile).not.toHaveProperty('companyName');
    expect((await getMe(admin)).json().profile).toBeNull();
  });

  it('lets an admin change its display name (its profile stays null)', async () => {
    const admin = await f.admin();
    const res = await patchMe(admin, { displayName: 'Head Admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Head Admin', profile: null, role: 'admin' });
  });

  it.each([
    ['role', { role: 'admin' }, '/role'],
    ['status', { status: 'active' }, '/status'],
    ['flagged', { flagged: false }, '/flagged'],
    ['flagReason', { flagReason: null }, '/flagReason'],
    ['email', { email: 'new@example.test' }, '/email'],
    ['id', { id: '00000000-0000-4000-8000-000000000000' }, '/id'],
    ['avatarUrl', { avatarUrl: 'https://evil.example/a.png' }, '/avatarUrl'],
    ['profile.reach', { profile: { reach: 99_999_999 } }, '/profile/reach'],
    ['profile.userId', { profile: { userId: '00000000-0000-4000-8000-000000000000' } }, '/profile/userId'],
    [
      'platform extras',
      { profile: { platforms: [{ platform: 'x', handle: '@a', followers: 1, verified: true }] } },
      '/profile/platforms/0/verified',
    ],
  ])('refuses the mass-assignment field %s', async (_name, body, path) => {
    const pending = await f.pendingSponsor({ flagged: true, flagReason: 'Looks fake' });
    const inf = await f.influencer();
    const target = path.startsWith('/profile/platforms') || path === '/profile/reach' ? inf : pending;
    const before = (await getMe(target)).json();
    expectValidation(await patchMe(target, body), path);
    expect((await getMe(target)).json()).toEqual(before);
  });

  it('refuses mass assignment even alongside a valid change', async () => {
    const pending = await f.pendingSponsor();
    expectValidation(
      await patchMe(pending, { displayName: 'Legit', status: 'active', role: 'admin' }),
      '/status',
      '/role',
    );
    const after = (await getMe(pending)).json();
    expect(after).toMatchObject({ status: 'pending_approval', role: 'sponsor', displayName: pending.user.displayName });
  });

  it('changes only the caller (other user untouched)', async () => {
    const a = await f.influencer();
    const b = await f.influencer();
    const bBefore = (await getMe(b)).json();
    expect((await patchMe(a, { displayName: 'Only A', profile: { platforms: [] } })).statusCode).toBe(200);
    expect((await getMe(b)).json()).toEqual(bBefore);
  });

  it('lets a pending sponsor log in and edit its profile, staying pending', async () => {
    const pending = await f.pendingSponsor();
    const login = await call(ctx, 'POST', '/api/v1/auth/login', {
      body: { email: pending.user.email, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      headers,
      body: { displayName: 'Pending Co', profile: { companyName: 'Pending Co Ltd', industry: 'Food' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'pending_approval',
      displayName: 'Pending Co',
      profile: { companyName: 'Pending Co Ltd', industry: 'Food' },
    });
  });

  it('answers 403 account_deactivated to a deactivated user and changes nothing', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await patchMe(gone, { displayName: 'Back from the dead' }), 403, 'account_deactivated');
  });
});

describe('what other users see of an account (email and flag reason only for the user and admins)', () => {
  const word = () => `zq${Math.random().toString(36).slice(2, 10)}`;

  it('public profiles never show another user the email or the flag reason', async () => {
    const inf = await f.influencer();
    const spo = await f.sponsor();
    for (const viewer of [await f.influencer(), await f.sponsor(), await f.pendingSponsor()]) {
      for (const [url, target] of [
        [`/api/v1/influencers/${inf.user.id}`, inf],
        [`/api/v1/sponsors/${spo.user.id}`, spo],
      ] as const) {
        const res = await call(ctx, 'GET', url, { auth: viewer });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).not.toContain(target.user.email);
        expect(res.body).not.toContain('"email"');
        expect(res.body).not.toContain('flagReason');
        expectNoSecrets(res);
      }
    }
    // The user itself sees its own email there.
    const own = await call(ctx, 'GET', `/api/v1/influencers/${inf.user.id}`, { auth: inf });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(inf.user.email);
  });

  it('the influencer directory shows sponsors no emails', async () => {
    const name = word();
    const inf = await f.influencer({ displayName: `Visible ${name}` });
    const res = await call(ctx, 'GET', `/api/v1/influencers?q=${name}`, { auth: await f.sponsor() });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { id: string }) => i.id)).toContain(inf.user.id);
    expect(res.body).not.toContain(inf.user.email);
    expect(res.body).not.toContain('"email"');
    expectNoSecrets(res);
  });

  it('a PATCH /me is what others see next, also after they looked before (no stale copy)', async () => {
    const inf = await f.influencer();
    const viewer = await f.sponsor();
    const url = `/api/v1/influencers/${inf.user.id}`;
    expect((await call(ctx, 'GET', url, { auth: viewer })).json().user.displayName).toBe(inf.user.displayName);
    const name = word();
    expect(
      (await patchMe(inf, { displayName: `Renamed ${name}`, profile: { bio: `Now about ${name}bio` } })).statusCode,
    ).toBe(200);
    const after = await call(ctx, 'GET', url, { auth: viewer });
    expect(after.json().user.displayName).toBe(`Renamed ${name}`);
    expect(after.json().user.profile.bio).toBe(`Now about ${name}bio`);
    // And the directory search finds it by its new name.
    const found = await call(ctx, 'GET', `/api/v1/influencers?q=${name}`, { auth: viewer });
    expect(found.json().items.map((i: { id: string }) => i.id)).toContain(inf.user.id);
  });

  it('a new avatar is what others see next', async () => {
    const inf = await f.influencer();
    const viewer = await f.sponsor();
    const url = `/api/v1/influencers/${inf.user.id}`;
    expect((await call(ctx, 'GET', url, { auth: viewer })).json().user.avatarUrl).toBeNull();
    const avatarUrl = (await uploadAvatar(ctx, inf, await pngImage())).json().avatarUrl;
    expect((await call(ctx, 'GET', url, { auth: viewer })).json().user.avatarUrl).toBe(avatarUrl);
  });
});
