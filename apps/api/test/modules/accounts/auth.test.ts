import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, TEST_PASSWORD, uniqueEmail, type TestContext } from '../../support/helpers.js';
import { expectNoSecrets, expectProblem, expectValidation, refreshCookie } from '../../support/fixtures/http.js';

/**
 * POST /auth/signup and POST /auth/login, checked against API.md "Accounts and auth". Tokens,
 * refresh and logout are in auth-sessions.test.ts; rate limits in auth-rate-limits.test.ts.
 */

const PASSWORD = 'a-fine-password';

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

const signup = (body: Record<string, unknown>) => call(ctx, 'POST', '/api/v1/auth/signup', { body });
const login = (email: string, password: string) =>
  call(ctx, 'POST', '/api/v1/auth/login', { body: { email, password } });
const me = (accessToken: string) =>
  call(ctx, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } });

function signupBody(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail('signup'),
    password: PASSWORD,
    role: 'influencer',
    displayName: 'New Person',
    ...overrides,
  };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

describe('POST /auth/signup', () => {
  it('creates an active influencer with its profile and returns the user with a token pair', async () => {
    const body = signupBody({
      displayName: 'Ivy Influencer',
      profile: {
        bio: 'I lift things',
        niche: 'fitness',
        platforms: [
          { platform: 'instagram', handle: '@ivy', followers: 1200 },
          { platform: 'youtube', handle: 'IvyLifts', followers: 800 },
        ],
        country: 'US',
        rateCents: 50_000,
        engagementRate: 3.5,
      },
    });
    const res = await signup(body);
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const out = res.json();
    expect(typeof out.accessToken).toBe('string');
    expect(typeof out.refreshToken).toBe('string');
    expect(out.user).toMatchObject({
      email: body.email,
      role: 'influencer',
      status: 'active',
      flagged: false,
      displayName: 'Ivy Influencer',
      avatarUrl: null,
      profile: {
        bio: 'I lift things',
        niche: 'fitness',
        platforms: [
          { platform: 'instagram', handle: '@ivy', followers: 1200 },
          { platform: 'youtube', handle: 'IvyLifts', followers: 800 },
        ],
        reach: 2000,
        country: 'US',
        rateCents: 50_000,
        engagementRate: 3.5,
      },
    });
    expect(typeof out.user.id).toBe('string');
    expect(out.user.createdAt).toMatch(ISO_UTC);
    expectNoSecrets(res);

    // The profile was stored, not just echoed, and the access token works at once.
    const again = await me(out.accessToken);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(out.user);
  });

  it('creates a sponsor pending approval with its company profile', async () => {
    const body = signupBody({
      role: 'sponsor',
      displayName: 'Sam Sponsor',
      profile: {
        companyName: 'Acme Ltd',
        industry: 'Retail',
        website: 'https://acme.example',
        bio: 'We sell',
        budgetCents: 1_000_000,
      },
    });
    const res = await signup(body);
    expect(res.statusCode).toBe(201);
    const out = res.json();
    expect(out.user).toMatchObject({
      email: body.email,
      role: 'sponsor',
      status: 'pending_approval',
      flagged: false,
      displayName: 'Sam Sponsor',
      profile: {
        companyName: 'Acme Ltd',
        industry: 'Retail',
        website: 'https://acme.example',
        bio: 'We sell',
        budgetCents: 1_000_000,
      },
    });
    expectNoSecrets(res);
    const again = await me(out.accessToken);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(out.user);
  });

  it('accepts a sign-up without a profile and gives each role a profile object', async () => {
    const inf = await signup(signupBody());
    expect(inf.statusCode).toBe(201);
    expect(inf.json().user.profile).toMatchObject({ platforms: [], reach: 0 });
    const spo = await signup(signupBody({ role: 'sponsor' }));
    expect(spo.statusCode).toBe(201);
    expect(spo.json().user.status).toBe('pending_approval');
    expect(spo.json().user.profile).not.toBeNull();
  });

  it('refuses the admin role and creates nothing', async () => {
    const body = signupBody({ role: 'admin' });
    const res = await signup(body);
    expectValidation(res, '/role');
    expectProblem(await login(body.email as string, PASSWORD), 401, 'invalid_credentials');
  });

  it('refuses fields a client may not set (status, flagged, unknown ones)', async () => {
    const body = signupBody({ status: 'active', flagged: false, isAdmin: true });
    const res = await signup(body);
    expectValidation(res, '/status', '/flagged', '/isAdmin');
    expectProblem(await login(body.email as string, PASSWORD), 401, 'invalid_credentials');
    // A sponsor cannot skip the approval by sending a status.
    expectValidation(await signup(signupBody({ role: 'sponsor', status: 'active' })), '/status');
  });

  it('refuses profile fields of the other role', async () => {
    expectValidation(
      await signup(signupBody({ role: 'sponsor', profile: { companyName: 'Co', industry: 'X', niche: 'tech' } })),
      '/profile/niche',
    );
    const influencer = await signup(signupBody({ role: 'influencer', profile: { niche: 'tech', companyName: 'Co' } }));
    expectValidation(influencer, '/profile/companyName');
    expect(influencer.json().errors[0].message).toBe('is not a field of an influencer profile');
    expectValidation(await signup(signupBody({ profile: { reach: 5_000_000 } })), '/profile/reach');
  });

  it.each([
    [9, 400],
    [10, 201],
    [128, 201],
    [129, 400],
  ])('password of %i characters → %i', async (length, status) => {
    // Random characters, so only the length decides (a run like "pppp…" is refused as guessable).
    const password = randomBytes(100).toString('base64url').slice(0, length);
    const body = signupBody({ password });
    const res = await signup(body);
    if (status === 400) {
      expectValidation(res, '/password');
    } else {
      expect(res.statusCode).toBe(201);
      // The same password logs in: it was stored whole, not truncated.
      const ok = await login(body.email as string, password);
      expect(ok.statusCode).toBe(200);
      expectProblem(await login(body.email as string, password.slice(0, -1)), 401, 'invalid_credentials');
    }
  });

  it('lists every invalid field with a JSON pointer', async () => {
    const res = await signup({});
    expectValidation(res, '/email', '/password', '/role', '/displayName');
    const res2 = await signup(signupBody({ email: 'not-an-email', role: 'astronaut', displayName: '' }));
    expectValidation(res2, '/email', '/role', '/displayName');
    expectValidation(await signup(signupBody({ displayName: '   ' })), '/displayName');
    expectValidation(await signup(signupBody({ password: 12345678901 })), '/password');
    const res3 = await signup(
      signupBody({
        profile: { niche: 'knitting', platforms: [{ platform: 'instagram', handle: '@x', followers: -5 }] },
      }),
    );
    expectValidation(res3, '/profile/niche', '/profile/platforms/0/followers');
  });

  describe('password rule', () => {
    /** A refused password: 400 validation_failed naming /password with a reason, and no account. */
    async function expectRefused(body: Record<string, unknown>, reason: RegExp) {
      const problem = expectValidation(await signup(body), '/password');
      const issue = problem.errors.find((e: { path: string }) => e.path === '/password');
      expect(issue.message).toMatch(reason);
      const rows = await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(eq(users.email, String(body.email)));
      expect(rows).toHaveLength(0);
    }

    it('refuses a blank (whitespace-only) password', async () => {
      await expectRefused(signupBody({ password: ' '.repeat(12) }), /blank/i);
      await expectRefused(signupBody({ password: '\t \n'.repeat(4) }), /blank/i);
    });

    it('refuses a password containing the email, its local part or the display name', async () => {
      const local = `maria.lopez${randomUUID().slice(0, 4)}`;
      const email = `${local}@example.test`;
      await expectRefused(signupBody({ email, password: `${email}!` }), /email or name/);
      await expectRefused(signupBody({ email, password: `${local.toUpperCase()}-2024` }), /email or name/);
      await expectRefused(
        signupBody({ displayName: 'Quentin Blakeley', password: 'quentin blakeley rocks' }),
        /email or name/,
      );
    });

    it('refuses commonly used passwords', async () => {
      for (const password of ['password123', 'qwertyuiop', '1234567890', 'iloveyou12', 'passwordpassword'])
        await expectRefused(signupBody({ password }), /common|easy to guess/i);
    });

    it('accepts the demo and test passwords and a few words', async () => {
      for (const password of ['demo-password', TEST_PASSWORD, PASSWORD, 'purple monkey dishwasher'])
        expect((await signup(signupBody({ password }))).statusCode).toBe(201);
    });
  });

  it('treats email case-insensitively and keeps it unique', async () => {
    const local = `Mixed.Case-${randomUUID().slice(0, 8)}`;
    const res = await signup(signupBody({ email: `${local}@Example.TEST` }));
    expect(res.statusCode).toBe(201);
    const stored = res.json().user.email as string;
    expect(stored.toLowerCase()).toBe(`${local}@example.test`.toLowerCase());

    const dup = await signup(signupBody({ email: `${local.toLowerCase()}@example.test`, role: 'sponsor' }));
    const problem = expectProblem(dup, 409, 'email_taken');
    expect(problem).toBeTruthy();
    expectProblem(await signup(signupBody({ email: `${local.toUpperCase()}@EXAMPLE.TEST` })), 409, 'email_taken');

    const ok = await login(`${local.toUpperCase()}@example.test`, PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(res.json().user.id);
  });

  it('answers 409 email_taken for an email a factory user already has', async () => {
    const existing = await f.sponsor();
    expectProblem(await signup(signupBody({ email: existing.user.email })), 409, 'email_taken');
  });

  it('lets exactly one of 8 concurrent sign-ups with one email through', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signup(
          signupBody({
            email: i % 2 === 0 ? email : email.toUpperCase(),
            displayName: `Racer ${i}`,
            role: i % 3 === 0 ? 'sponsor' : 'influencer',
          }),
        ),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) expectProblem(r, 409, 'email_taken');
    const rows = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase()));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(results.find((r) => r.statusCode === 201)!.json().user.id);
  });

  it('sets the refresh token as an httpOnly cookie scoped to the auth routes', async () => {
    const res = await signup(signupBody());
    const cookie = refreshCookie(res);
    expect(cookie).toBeDefined();
    expect(cookie!.value).toBe(res.json().refreshToken);
    expect(cookie!.attributes.httponly).toBe(true);
    expect(cookie!.attributes.path).toBe('/api/v1/auth');
  });
});

describe('POST /auth/login', () => {
  it('logs in with the right pair and returns user, token pair and expiresIn', async () => {
    const inf = await f.influencer();
    const res = await login(inf.user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out.user).toMatchObject({ id: inf.user.id, email: inf.user.email, role: 'influencer', status: 'active' });
    expect(typeof out.accessToken).toBe('string');
    expect(typeof out.refreshToken).toBe('string');
    expect(Number.isInteger(out.expiresIn)).toBe(true);
    expect(out.expiresIn).toBeGreaterThan(0);
    expectNoSecrets(res);
    const cookie = refreshCookie(res);
    expect(cookie?.value).toBe(out.refreshToken);
    expect(cookie?.attributes.httponly).toBe(true);
    expect(cookie?.attributes.path).toBe('/api/v1/auth');
    const who = await me(out.accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json().id).toBe(inf.user.id);
  });

  it('matches the email case-insensitively', async () => {
    const spo = await f.sponsor();
    const res = await login(spo.user.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(spo.user.id);
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown email alike', async () => {
    const inf = await f.influencer();
    const wrong = expectProblem(await login(inf.user.email, 'not-the-password'), 401, 'invalid_credentials');
    const unknown = expectProblem(await login(uniqueEmail('nobody'), TEST_PASSWORD), 401, 'invalid_credentials');
    // Nothing tells the two apart: the account's existence is not leaked.
    expect(unknown.detail).toBe(wrong.detail);
    expect(unknown.title).toBe(wrong.title);
  });

  it('answers 403 account_deactivated for a deactivated user only with the right password', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await login(gone.user.email, TEST_PASSWORD), 403, 'account_deactivated');
    expectProblem(await login(gone.user.email, 'not-the-password'), 401, 'invalid_credentials');
  });

  it('lets a pending sponsor log in', async () => {
    const pending = await f.pendingSponsor();
    const res = await login(pending.user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.status).toBe('pending_approval');
  });

  it('lets an admin log in', async () => {
    const admin = await f.admin();
    const res = await login(admin.user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'admin', profile: null });
  });

  it('validates the body', async () => {
    expectValidation(await call(ctx, 'POST', '/api/v1/auth/login', { body: {} }), '/email', '/password');
    expectValidation(
      await call(ctx, 'POST', '/api/v1/auth/login', { body: { email: 'a@b.test', password: 'x', role: 'admin' } }),
      '/role',
    );
  });
});
