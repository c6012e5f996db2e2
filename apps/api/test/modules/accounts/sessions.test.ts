import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens, users } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, TEST_PASSWORD, type TestContext } from '../../support/helpers.js';
import { expectNoSecrets, expectProblem, expectValidation, refreshCookie } from '../../support/fixtures/http.js';

/**
 * Sessions, per API.md "Accounts and auth": the access-token gate (tampered, forged, expired
 * tokens), POST /auth/refresh (rotation, reuse detection, body or httpOnly cookie) and
 * POST /auth/logout.
 */

// A known signing key lets the tests forge tokens the way an attacker would try to.
const SECRET = 'test-signing-secret-of-at-least-32-characters!';

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp({ JWT_SECRET: SECRET });
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

const login = (email: string, password: string) =>
  call(ctx, 'POST', '/api/v1/auth/login', { body: { email, password } });
const refresh = (refreshToken: string) => call(ctx, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
const cookieHeader = (token: string) => ({ cookie: `iescp_refresh=${encodeURIComponent(token)}` });
/** The cookie with an empty JSON object as body. */
const refreshWithCookie = (token: string) =>
  call(ctx, 'POST', '/api/v1/auth/refresh', { body: {}, headers: cookieHeader(token) });
/** Exactly what a browser sends: no body at all, just the cookie. */
const bareRefreshWithCookie = (token: string) =>
  call(ctx, 'POST', '/api/v1/auth/refresh', { headers: cookieHeader(token) });
const me = (accessToken: string) =>
  call(ctx, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } });

async function loginAs(email: string, password = TEST_PASSWORD) {
  const res = await login(email, password);
  expect(res.statusCode).toBe(200);
  return res.json() as { accessToken: string; refreshToken: string; user: { id: string } };
}

describe('access tokens', () => {
  let victim: Awaited<ReturnType<typeof f.influencer>>;
  let claims: ReturnType<typeof decodeJwt>;
  let header: Record<string, unknown>;
  let real: string;
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sign = (payload: Record<string, unknown>, key = SECRET) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));

  beforeAll(async () => {
    victim = await f.influencer();
    real = (await loginAs(victim.user.email)).accessToken;
    claims = decodeJwt(real);
    header = JSON.parse(Buffer.from(real.split('.')[0]!, 'base64url').toString('utf8'));
  });

  it('requires authentication', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/me'), 401, 'unauthenticated');
    expectProblem(
      await call(ctx, 'GET', '/api/v1/me', { headers: { authorization: 'Bearer' } }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await call(ctx, 'GET', '/api/v1/me', { headers: { authorization: 'Bearer not.a.jwt' } }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await call(ctx, 'GET', '/api/v1/me', {
        headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      }),
      401,
      'unauthenticated',
    );
    // A refresh token is not an access token.
    const session = await loginAs(victim.user.email);
    expectProblem(await me(session.refreshToken), 401, 'unauthenticated');
  });

  it('accepts the genuine token and an equivalent one signed with the right key (control)', async () => {
    expect((await me(real)).statusCode).toBe(200);
    const resigned = await sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await me(resigned)).statusCode).toBe(200);
  });

  it('rejects a token whose signature was altered', async () => {
    const [h, p, s] = real.split('.') as [string, string, string];
    const i = 10;
    const flipped = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expectProblem(await me(`${h}.${p}.${flipped}`), 401, 'unauthenticated');
    expectProblem(await me(`${h}.${p}.`), 401, 'unauthenticated');
  });

  it('rejects a token whose payload was altered (role escalation, impersonation)', async () => {
    const [h, , s] = real.split('.') as [string, string, string];
    const escalated = `${h}.${b64({ ...claims, role: 'admin' })}.${s}`;
    expectProblem(await me(escalated), 401, 'unauthenticated');
    expectProblem(
      await call(ctx, 'GET', '/api/v1/admin/users', { headers: { authorization: `Bearer ${escalated}` } }),
      401,
      'unauthenticated',
    );
    const other = await f.sponsor();
    expectProblem(await me(`${h}.${b64({ ...claims, sub: other.user.id })}.${s}`), 401, 'unauthenticated');
  });

  it('rejects alg "none"', async () => {
    const none = `${b64({ ...header, alg: 'none' })}.${b64({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expectProblem(await me(none), 401, 'unauthenticated');
    const noneAdmin = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`;
    expectProblem(
      await call(ctx, 'GET', '/api/v1/admin/users', { headers: { authorization: `Bearer ${noneAdmin}` } }),
      401,
      'unauthenticated',
    );
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ ...claims, iat: now - 3600, exp: now - 60 });
    expectProblem(await me(expired), 401, 'unauthenticated');
  });

  it('rejects a token signed with another key', async () => {
    const forged = await sign(
      { ...claims, exp: Math.floor(Date.now() / 1000) + 600 },
      'some-other-secret-that-is-long-enough-too',
    );
    expectProblem(await me(forged), 401, 'unauthenticated');
  });

  it('rejects a well-signed token without a session, or naming a session that is not the user’s', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const { sid: _sid, ...withoutSession } = claims;
    expectProblem(await me(await sign({ ...withoutSession, exp })), 401, 'unauthenticated');
    // Another user's open session does not keep this user's token alive.
    const other = await f.sponsor();
    expectProblem(await me(await sign({ ...claims, sid: other.sessionId, exp })), 401, 'unauthenticated');
    expectProblem(await me(await sign({ ...claims, sid: randomUUID(), exp })), 401, 'unauthenticated');
    expectProblem(await me(await sign({ ...claims, sid: 'not-a-uuid', exp })), 401, 'unauthenticated');
  });

  it('rejects a well-signed token of a user that does not exist', async () => {
    const ghost = await sign({ ...claims, sub: randomUUID(), exp: Math.floor(Date.now() / 1000) + 600 });
    expectProblem(await me(ghost), 401, 'unauthenticated');
  });
});

describe('POST /auth/refresh', () => {
  it('rotates: the refresh token in the body buys a new, working pair', async () => {
    const inf = await f.influencer();
    const first = await loginAs(inf.user.email);
    const res = await refresh(first.refreshToken);
    expect(res.statusCode).toBe(200);
    const next = res.json();
    expect(typeof next.accessToken).toBe('string');
    expect(typeof next.refreshToken).toBe('string');
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.user).toMatchObject({ id: inf.user.id, email: inf.user.email });
    expectNoSecrets(res);
    expect(refreshCookie(res)?.value).toBe(next.refreshToken);
    const who = await me(next.accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json().id).toBe(inf.user.id);
    // The new one rotates in turn.
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
  });

  it('detects reuse of a spent token and revokes the whole family, but not other sessions', async () => {
    const inf = await f.influencer();
    const first = await loginAs(inf.user.email);
    const other = await loginAs(inf.user.email);
    const second = (await refresh(first.refreshToken)).json();
    expect(typeof second.refreshToken).toBe('string');

    expectProblem(await refresh(first.refreshToken), 401, 'unauthenticated');
    // The newer token of the same family dies with it.
    expectProblem(await refresh(second.refreshToken), 401, 'unauthenticated');
    // A separate login is a separate family.
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('lets only one of several concurrent refreshes with one token through', async () => {
    const inf = await f.influencer();
    const session = await loginAs(inf.user.email);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(session.refreshToken)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.statusCode !== 200)) expectProblem(r, 401, 'unauthenticated');
  });

  it('works with the httpOnly cookie alone, rotating the cookie, with the same reuse detection', async () => {
    const inf = await f.influencer();
    const res = await login(inf.user.email, TEST_PASSWORD);
    const c1 = refreshCookie(res)!.value;

    const r2 = await refreshWithCookie(c1);
    expect(r2.statusCode).toBe(200);
    expect(r2.json().user.id).toBe(inf.user.id);
    const c2 = refreshCookie(r2)?.value;
    expect(c2).toBeDefined();
    expect(c2).not.toBe(c1);
    expect(c2).toBe(r2.json().refreshToken);
    expect(refreshCookie(r2)!.attributes.httponly).toBe(true);

    expectProblem(await refreshWithCookie(c1), 401, 'unauthenticated');
    expectProblem(await refreshWithCookie(c2!), 401, 'unauthenticated');
  });

  it('accepts a bodiless POST carrying only the cookie, as the web app sends it', async () => {
    const inf = await f.influencer();
    const c1 = refreshCookie(await login(inf.user.email, TEST_PASSWORD))!.value;
    const res = await bareRefreshWithCookie(c1);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(inf.user.id);
    expect(refreshCookie(res)?.value).toBe(res.json().refreshToken);
    // No body and no cookie: nothing was presented, so the caller is not authenticated.
    expectProblem(await call(ctx, 'POST', '/api/v1/auth/refresh'), 401, 'unauthenticated');
  });

  it('rejects a missing, unknown or malformed token', async () => {
    expectProblem(await call(ctx, 'POST', '/api/v1/auth/refresh', { body: {} }), 401, 'unauthenticated');
    expectProblem(await refresh('definitely-not-a-refresh-token'), 401, 'unauthenticated');
    expectProblem(await refreshWithCookie('definitely-not-a-refresh-token'), 401, 'unauthenticated');
    // An access token is not a refresh token.
    const inf = await f.influencer();
    const unknown = await refresh(inf.token);
    expect(unknown.statusCode === 401 || unknown.statusCode === 400).toBe(true);
    expectValidation(
      await call(ctx, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'x', userId: inf.user.id } }),
      '/userId',
    );
  });

  it('rejects an expired refresh token', async () => {
    const inf = await f.influencer();
    const session = await loginAs(inf.user.email);
    await ctx.db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(refreshTokens.userId, inf.user.id));
    expectProblem(await refresh(session.refreshToken), 401, 'unauthenticated');
  });

  it('does not refresh for a deactivated user', async () => {
    const inf = await f.influencer();
    const session = await loginAs(inf.user.email);
    await ctx.db.update(users).set({ status: 'deactivated' }).where(eq(users.id, inf.user.id));
    expectProblem(await refresh(session.refreshToken), 403, 'account_deactivated');
  });

  it('after an admin deactivation (which revokes every token) says deactivated, not "reused"', async () => {
    const inf = await f.influencer();
    const admin = await f.admin();
    const session = await loginAs(inf.user.email);
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${inf.user.id}/deactivate`, {
      auth: admin,
      body: { reason: 'Spam' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expectProblem(await refresh(session.refreshToken), 403, 'account_deactivated');
    // Reactivated, the revoked token stays dead: the person signs in again.
    await call(ctx, 'POST', `/api/v1/admin/users/${inf.user.id}/reactivate`, { auth: admin });
    expectProblem(await refresh(session.refreshToken), 401, 'unauthenticated');
  });
});

describe('POST /auth/logout', () => {
  it('requires authentication', async () => {
    const inf = await f.influencer();
    const session = await loginAs(inf.user.email);
    expectProblem(
      await call(ctx, 'POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await call(ctx, 'POST', '/api/v1/auth/logout', { body: {}, headers: cookieHeader(session.refreshToken) }),
      401,
      'unauthenticated',
    );
    // Nothing was revoked.
    expect((await refresh(session.refreshToken)).statusCode).toBe(200);
  });

  it('revokes the given refresh token’s session only', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    const b = await loginAs(inf.user.email);
    const res = await call(ctx, 'POST', '/api/v1/auth/logout', {
      body: { refreshToken: a.refreshToken },
      headers: { authorization: `Bearer ${a.accessToken}` },
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectProblem(await refresh(a.refreshToken), 401, 'unauthenticated');
    expect((await refresh(b.refreshToken)).statusCode).toBe(200);
  });

  it('revokes the rotated successor too: logging out with the latest token ends the session', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    const a2 = (await refresh(a.refreshToken)).json();
    const res = await call(ctx, 'POST', '/api/v1/auth/logout', {
      body: { refreshToken: a2.refreshToken },
      headers: { authorization: `Bearer ${a2.accessToken}` },
    });
    expect(res.statusCode).toBe(204);
    expectProblem(await refresh(a2.refreshToken), 401, 'unauthenticated');
  });

  it('revokes the cookie’s session and clears the cookie', async () => {
    const inf = await f.influencer();
    const res = await login(inf.user.email, TEST_PASSWORD);
    const token = refreshCookie(res)!.value;
    const out = await call(ctx, 'POST', '/api/v1/auth/logout', {
      body: {},
      headers: { authorization: `Bearer ${res.json().accessToken}`, ...cookieHeader(token) },
    });
    expect(out.statusCode).toBe(204);
    const cleared = refreshCookie(out);
    expect(cleared).toBeDefined();
    const expires = cleared!.attributes.expires;
    const gone =
      cleared!.value === '' ||
      cleared!.attributes['max-age'] === '0' ||
      (typeof expires === 'string' && Date.parse(expires) <= Date.now());
    expect(gone).toBe(true);
    expectProblem(await refreshWithCookie(token), 401, 'unauthenticated');
  });

  it('revokes every session of the caller when no refresh token is given', async () => {
    const inf = await f.influencer();
    const sessions = [await loginAs(inf.user.email), await loginAs(inf.user.email), await loginAs(inf.user.email)];
    const res = await call(ctx, 'POST', '/api/v1/auth/logout', { auth: inf, body: {} });
    expect(res.statusCode).toBe(204);
    for (const s of sessions) expectProblem(await refresh(s.refreshToken), 401, 'unauthenticated');
  });

  it('accepts a bodiless POST, as a browser sends it (cookie session, or every session)', async () => {
    const inf = await f.influencer();
    const res = await login(inf.user.email, TEST_PASSWORD);
    const token = refreshCookie(res)!.value;
    const other = await loginAs(inf.user.email);
    const out = await call(ctx, 'POST', '/api/v1/auth/logout', {
      headers: { authorization: `Bearer ${res.json().accessToken}`, ...cookieHeader(token) },
    });
    expect(out.statusCode).toBe(204);
    expectProblem(await refresh(token), 401, 'unauthenticated');
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);

    const sessions = [await loginAs(inf.user.email), await loginAs(inf.user.email)];
    expect((await call(ctx, 'POST', '/api/v1/auth/logout', { auth: inf })).statusCode).toBe(204);
    for (const s of sessions) expectProblem(await refresh(s.refreshToken), 401, 'unauthenticated');
  });

  it('never revokes another user’s session', async () => {
    const alice = await f.influencer();
    const bob = await f.sponsor();
    const bobs = await loginAs(bob.user.email);
    const res = await call(ctx, 'POST', '/api/v1/auth/logout', {
      auth: alice,
      body: { refreshToken: bobs.refreshToken },
    });
    expect(res.statusCode).toBeLessThan(500);
    expect((await refresh(bobs.refreshToken)).statusCode).toBe(200);
  });

  it('is refused to a deactivated user’s token', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await call(ctx, 'POST', '/api/v1/auth/logout', { auth: gone }), 403, 'account_deactivated');
  });
});
