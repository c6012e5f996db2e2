import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTestApp, factories, TEST_PASSWORD, uniqueEmail, type TestContext } from '../support/helpers.js';
import { expectProblem } from '../support/fixtures/http.js';

/**
 * The login and sign-up limits of API.md "Accounts and auth". They need apps with small
 * limits, hence their own file; requests come from chosen client addresses so one test's
 * traffic never counts against another's.
 */

let ipSeq = 0;
/** A fresh client address per call site, so per-IP limits only count what a test means them to. */
const freshIp = () => {
  ipSeq += 1;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

function loginFrom(ctx: TestContext, ip: string, email: string, password: string) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } });
}

function signupFrom(ctx: TestContext, ip: string, email = uniqueEmail('rl')) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: ip,
    payload: { email, password: 'a-fine-password', role: 'influencer', displayName: 'Rate Limited' },
  });
}

type Res = Awaited<ReturnType<typeof loginFrom>> & { json: () => any };

function expectRateLimited(res: Res, maxSeconds: number) {
  expectProblem(res, 429, 'rate_limited');
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter, 'Retry-After header').toBeDefined();
  const seconds = Number(retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
}

describe('configuration defaults', () => {
  it('defaults to 10 failures per 15 minutes and per-IP limits of at least 100 an hour', () => {
    const config = loadConfig({}, {});
    expect(config.LOGIN_MAX_FAILURES).toBe(10);
    expect(config.LOGIN_MAX_FAILURES_PER_EMAIL).toBe(100);
    expect(config.LOGIN_FAILURE_WINDOW_SECONDS).toBe(900);
    expect(config.LOGIN_PER_IP_PER_HOUR).toBeGreaterThanOrEqual(100);
    expect(config.SIGNUP_PER_IP_PER_HOUR).toBeGreaterThanOrEqual(100);
  });
});

describe('per-address login and sign-up limits', () => {
  let ctx: TestContext;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    ctx = await createTestApp({ LOGIN_PER_IP_PER_HOUR: 5, SIGNUP_PER_IP_PER_HOUR: 3 });
    f = factories(ctx);
  });
  afterAll(async () => ctx?.close());

  describe('POST /auth/login per IP', () => {
    it('answers 429 with Retry-After once an address is over its hourly limit, for any email', async () => {
      const ip = freshIp();
      const users = [await f.influencer(), await f.sponsor(), await f.influencer()];
      const results = [];
      for (let i = 0; i < 5; i++)
        results.push(
          await loginFrom(ctx, ip, users[i % 3]!.user.email, i % 2 === 0 ? TEST_PASSWORD : 'wrong-password'),
        );
      for (const r of results) expect(r.statusCode).not.toBe(429);
      expectRateLimited(await loginFrom(ctx, ip, users[0]!.user.email, TEST_PASSWORD), 3600);
      expectRateLimited(await loginFrom(ctx, ip, uniqueEmail('any'), 'whatever-password'), 3600);
      // Another address is unaffected.
      expect((await loginFrom(ctx, freshIp(), users[0]!.user.email, TEST_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('POST /auth/signup per IP', () => {
    it('answers 429 with Retry-After past the hourly sign-up limit and creates nothing', async () => {
      const ip = freshIp();
      for (let i = 0; i < 3; i++) expect((await signupFrom(ctx, ip)).statusCode).toBe(201);
      const email = uniqueEmail('too-many');
      expectRateLimited(await signupFrom(ctx, ip, email), 3600);
      expectProblem(await loginFrom(ctx, freshIp(), email, 'a-fine-password'), 401, 'invalid_credentials');
      expect((await signupFrom(ctx, freshIp())).statusCode).toBe(201);
    });
  });
});

describe('the login lockout with the default limits', () => {
  let ctx: TestContext;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    ctx = await createTestApp();
    f = factories(ctx);
  });
  afterAll(async () => ctx?.close());

  it('locks out the address after 10 failures, even with the right password, but not the owner elsewhere', async () => {
    const victim = await f.influencer();
    const attacker = freshIp();
    for (let i = 0; i < 10; i++)
      expectProblem(await loginFrom(ctx, attacker, victim.user.email, `wrong-guess-${i}`), 401, 'invalid_credentials');
    expectRateLimited(await loginFrom(ctx, attacker, victim.user.email, TEST_PASSWORD), 900);
    expectRateLimited(await loginFrom(ctx, attacker, victim.user.email, 'wrong-again'), 900);
    // The owner, from another address, still gets in: a known email cannot be kept locked out.
    const owner = await loginFrom(ctx, freshIp(), victim.user.email, TEST_PASSWORD);
    expect(owner.statusCode).toBe(200);
    // …and the attacker's address stays locked out.
    expectRateLimited(await loginFrom(ctx, attacker, victim.user.email, TEST_PASSWORD), 900);
  });

  it('counts the email case-insensitively', async () => {
    const victim = await f.sponsor();
    const ip = freshIp();
    const variants = [victim.user.email, victim.user.email.toUpperCase()];
    for (let i = 0; i < 10; i++) {
      expectProblem(await loginFrom(ctx, ip, variants[i % 2]!, `wrong-${i}`), 401, 'invalid_credentials');
    }
    expectRateLimited(await loginFrom(ctx, ip, victim.user.email, TEST_PASSWORD), 900);
    expectRateLimited(await loginFrom(ctx, ip, victim.user.email.toUpperCase(), TEST_PASSWORD), 900);
  });

  it('does not lock out another email from the same address, and a login below the limit works', async () => {
    const victim = await f.influencer();
    const bystander = await f.influencer();
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await loginFrom(ctx, ip, victim.user.email, `wrong-${i}`);
    expectRateLimited(await loginFrom(ctx, ip, victim.user.email, TEST_PASSWORD), 900);

    for (let i = 0; i < 9; i++) await loginFrom(ctx, ip, bystander.user.email, `wrong-${i}`);
    expect((await loginFrom(ctx, ip, bystander.user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('limits guesses at an unknown email as well', async () => {
    const email = uniqueEmail('ghost');
    const ip = freshIp();
    for (let i = 0; i < 10; i++)
      expectProblem(await loginFrom(ctx, ip, email, `wrong-${i}`), 401, 'invalid_credentials');
    expectRateLimited(await loginFrom(ctx, ip, email, 'wrong-once-more'), 900);
  });
});

describe('a configured per-email ceiling across addresses', () => {
  let ctx: TestContext;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    ctx = await createTestApp({ LOGIN_MAX_FAILURES: 3, LOGIN_MAX_FAILURES_PER_EMAIL: 8 });
    f = factories(ctx);
  });
  afterAll(async () => ctx?.close());

  it('locks every address out once LOGIN_MAX_FAILURES_PER_EMAIL failures came from many addresses', async () => {
    const victim = await f.influencer();
    // Two guesses from each of four addresses: every pair stays under LOGIN_MAX_FAILURES (3).
    for (let i = 0; i < 8; i++) {
      const ip = `172.16.${i >> 1}.${i & 1 ? 2 : 1}`;
      expectProblem(await loginFrom(ctx, ip, victim.user.email, `spread-guess-${i}`), 401, 'invalid_credentials');
    }
    expectRateLimited(await loginFrom(ctx, freshIp(), victim.user.email, TEST_PASSWORD), 900);
    expectRateLimited(await loginFrom(ctx, freshIp(), victim.user.email, 'another-guess'), 900);
    // Another email is unaffected.
    const bystander = await f.influencer();
    expect((await loginFrom(ctx, freshIp(), bystander.user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('a configured per-address limit and window', () => {
  let ctx: TestContext;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    ctx = await createTestApp({ LOGIN_MAX_FAILURES: 2, LOGIN_FAILURE_WINDOW_SECONDS: 1 });
    f = factories(ctx);
  });
  afterAll(async () => ctx?.close());

  it('applies LOGIN_MAX_FAILURES and lifts the limit once LOGIN_FAILURE_WINDOW_SECONDS has passed', async () => {
    const victim = await f.influencer();
    const ip = freshIp();
    expectProblem(await loginFrom(ctx, ip, victim.user.email, 'wrong-1'), 401, 'invalid_credentials');
    expectProblem(await loginFrom(ctx, ip, victim.user.email, 'wrong-2'), 401, 'invalid_credentials');
    expectRateLimited(await loginFrom(ctx, ip, victim.user.email, TEST_PASSWORD), 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await loginFrom(ctx, ip, victim.user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });
});
