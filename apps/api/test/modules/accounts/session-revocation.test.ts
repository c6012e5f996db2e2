import type { FastifyInstance } from 'fastify';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { call, createTestApp, factories, TEST_PASSWORD, type TestContext } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { disconnection, drain, listen, refusal, socketClients } from '../../support/fixtures/sockets.js';

/**
 * Sessions end at once (API.md "Accounts and auth", POST /auth/logout): logout, a password
 * change, a deactivation and the reuse of a spent refresh token end the session's access token
 * on its very next request and close its open sockets, without waiting for the token to expire.
 * A logout ends only its own session; a password change ends every other one.
 */

const SECRET = 'session-revocation-secret-at-least-32-characters';
const NEW_PASSWORD = 'a brand new passphrase 2 remember';

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let url: string;
const sockets = socketClients();

beforeAll(async () => {
  ctx = await createTestApp({ JWT_SECRET: SECRET });
  f = factories(ctx);
  url = await listen(ctx.app);
});
afterEach(() => sockets.closeAll());
afterAll(async () => ctx?.close());

interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string };
}

async function loginAs(email: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await call(ctx, 'POST', '/api/v1/auth/login', { body: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const bearer = (s: Session) => ({ authorization: `Bearer ${s.accessToken}` });
const me = (s: Session, app: FastifyInstance = ctx.app) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(s) }) as Promise<Awaited<ReturnType<typeof call>>>;
const refresh = (refreshToken: string) => call(ctx, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
const logout = (s: Session, body: Record<string, unknown> = { refreshToken: s.refreshToken }) =>
  call(ctx, 'POST', '/api/v1/auth/logout', { body, headers: bearer(s) });
const changePassword = (s: Session, currentPassword: string, newPassword: string) =>
  call(ctx, 'POST', '/api/v1/me/password', { body: { currentPassword, newPassword }, headers: bearer(s) });

const socketOf = (s: Session) => sockets.connected(url, s.accessToken);
/** The handshake's refusal code for this token. */
const refusalOf = async (s: Session) => (await refusal(sockets.open(url, s.accessToken))).code;

/** A socket that must stay up: a server-side disconnect of it arrives before this resolves. */
async function stillConnected(socket: ClientSocket, user: { id: string }): Promise<void> {
  await drain(ctx.app, socket, user.id);
  expect(socket.connected).toBe(true);
}

describe('POST /auth/logout ends the session at once', () => {
  it('refuses the session’s access token on the next request and closes its socket; other sessions live on', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    const b = await loginAs(inf.user.email);
    const socketA = await socketOf(a);
    const socketB = await socketOf(b);
    const gone = disconnection(socketA);
    expect((await me(a)).statusCode).toBe(200);

    expect((await logout(a)).statusCode).toBe(204);

    expectProblem(await me(a), 401, 'unauthenticated');
    expect(await gone).toBe('io server disconnect');
    expect(await refusalOf(a)).toBe('unauthenticated');
    // The other session of the same user is untouched.
    expect((await me(b)).statusCode).toBe(200);
    await stillConnected(socketB, inf.user);
    expect((await refresh(b.refreshToken)).statusCode).toBe(200);
  });

  it('ends the access token’s own session even when no refresh token is presented with it', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    const a2 = (await refresh(a.refreshToken)).json() as Session;
    // The body's refresh token is of the same session, rotated: the session is one family.
    expect((await logout(a2, {})).statusCode).toBe(204);
    expectProblem(await me(a2), 401, 'unauthenticated');
    expectProblem(await me(a), 401, 'unauthenticated');
  });

  it('stays refused by a freshly started app on the same database (nothing is only in memory)', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    expect((await logout(a)).statusCode).toBe(204);
    const restarted = await buildApp(ctx.config, {
      database: ctx.database,
      redis: null,
      ownsConnections: false,
      logger: false,
    });
    try {
      await restarted.ready();
      expectProblem(await me(a, restarted), 401, 'unauthenticated');
      const live = await loginAs(inf.user.email);
      expect((await me(live, restarted)).statusCode).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('POST /me/password ends every other session', () => {
  it('requires authentication', async () => {
    expectProblem(
      await call(ctx, 'POST', '/api/v1/me/password', {
        body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      }),
      401,
      'unauthenticated',
    );
  });

  it('refuses a wrong current password or an unacceptable new one, changing nothing', async () => {
    const inf = await f.influencer();
    const a = await loginAs(inf.user.email);
    const b = await loginAs(inf.user.email);
    expectValidation(await changePassword(a, 'not my password', NEW_PASSWORD), '/currentPassword');
    expectValidation(await changePassword(a, TEST_PASSWORD, 'password'), '/newPassword');
    expectValidation(await changePassword(a, TEST_PASSWORD, inf.user.email), '/newPassword');
    expectValidation(
      await call(ctx, 'POST', '/api/v1/me/password', { body: { newPassword: NEW_PASSWORD }, headers: bearer(a) }),
      '/currentPassword',
    );
    expect((await me(b)).statusCode).toBe(200);
    await loginAs(inf.user.email, TEST_PASSWORD);
  });

  it('keeps the current session, ends the others (HTTP and sockets), and the new password logs in', async () => {
    const inf = await f.influencer();
    const current = await loginAs(inf.user.email);
    const other = await loginAs(inf.user.email);
    const currentSocket = await socketOf(current);
    const otherSocket = await socketOf(other);
    const gone = disconnection(otherSocket);

    const res = await changePassword(current, TEST_PASSWORD, NEW_PASSWORD);
    expect(res.statusCode, res.body).toBe(204);

    expectProblem(await me(other), 401, 'unauthenticated');
    expect(await gone).toBe('io server disconnect');
    expectProblem(await refresh(other.refreshToken), 401, 'unauthenticated');
    expect((await me(current)).statusCode).toBe(200);
    await stillConnected(currentSocket, inf.user);
    expect((await refresh(current.refreshToken)).statusCode).toBe(200);

    expectProblem(
      await call(ctx, 'POST', '/api/v1/auth/login', { body: { email: inf.user.email, password: TEST_PASSWORD } }),
      401,
      'invalid_credentials',
    );
    await loginAs(inf.user.email, NEW_PASSWORD);
  });
});

describe('deactivation ends every session', () => {
  it('refuses the token at once (403) with its socket closed, and still refuses it after reactivation', async () => {
    const [admin, inf] = [await f.admin(), await f.influencer()];
    const a = await loginAs(inf.user.email);
    const socket = await socketOf(a);
    const gone = disconnection(socket);
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${inf.user.id}/deactivate`, {
      auth: admin,
      body: { reason: 'Spam' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expectProblem(await me(a), 403, 'account_deactivated');
    expect(await gone).toBe('io server disconnect');

    expect((await call(ctx, 'POST', `/api/v1/admin/users/${inf.user.id}/reactivate`, { auth: admin })).statusCode).toBe(
      200,
    );
    // The session ended with the deactivation: reactivating the account does not revive it.
    expectProblem(await me(a), 401, 'unauthenticated');
    expect(await refusalOf(a)).toBe('unauthenticated');
    expect((await me(await loginAs(inf.user.email))).statusCode).toBe(200);
  });
});

describe('refresh-token reuse ends the session family', () => {
  it('refuses the family’s access tokens at once and closes its sockets; other sessions live on', async () => {
    const inf = await f.influencer();
    const first = await loginAs(inf.user.email);
    const other = await loginAs(inf.user.email);
    const rotated = (await refresh(first.refreshToken)).json() as Session;
    const socket = await socketOf(rotated);
    const otherSocket = await socketOf(other);
    const gone = disconnection(socket);

    // The spent token comes back: stolen. The thief's and the owner's tokens of this family die.
    expectProblem(await refresh(first.refreshToken), 401, 'unauthenticated');

    expectProblem(await me(rotated), 401, 'unauthenticated');
    expectProblem(await me(first), 401, 'unauthenticated');
    expect(await gone).toBe('io server disconnect');
    expect((await me(other)).statusCode).toBe(200);
    await stillConnected(otherSocket, inf.user);
  });
});
