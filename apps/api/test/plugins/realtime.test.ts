import { randomUUID } from 'node:crypto';
import type { RedisAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessTokens } from '../../src/lib/access-tokens.js';
import {
  disconnection,
  drain as drainTo,
  listen,
  nextEvent,
  refusal,
  socketClients,
} from '../support/fixtures/sockets.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../support/helpers.js';

/**
 * Socket.IO at `/socket.io` (API.md "Messages and notifications"): the handshake's access
 * token, the user's current status, one room per user, pushes after a commit, and sockets
 * dropped when their token expires or their account is deactivated. Runs on PGlite with the
 * in-memory adapter by default, on PostgreSQL + the Redis adapter when DATABASE_URL/REDIS_URL
 * are set. Several instances sharing Redis: realtime-cluster.test.ts.
 */

const SECRET = 'realtime-test-secret-at-least-32-characters-long';

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let url: string;
const sockets = socketClients();

beforeAll(async () => {
  ctx = await createTestApp({ JWT_SECRET: SECRET });
  f = factories(ctx);
  url = await listen(ctx.app);
});
afterEach(() => {
  sockets.closeAll();
});
afterAll(async () => ctx?.close());

const open = (token: string | undefined, at = url) => sockets.open(at, token);
const connected = (token: string, at = url) => sockets.connected(at, token);

/** Every event a socket receives, in order. */
function record(socket: ClientSocket): { event: string; payload: unknown }[] {
  const seen: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

const drain = (app: FastifyInstance, socket: ClientSocket, user: TestUser) => drainTo(app, socket, user.user.id);

const payloadsOf = (seen: { event: string; payload: unknown }[], event: string) =>
  seen.filter((e) => e.event === event && !(e.payload as { sentinel?: number } | null)?.sentinel).map((e) => e.payload);

describe('Socket.IO handshake', () => {
  it('refuses a handshake without a token', async () => {
    expect(await refusal(open(undefined))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
  });

  it('refuses a garbage token and a token signed with another secret', async () => {
    const sponsor = await f.sponsor();
    expect(await refusal(open('not-a-jwt'))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
    const forged = await createAccessTokens('another-secret-also-at-least-32-characters', 900).sign({
      userId: sponsor.user.id,
      role: 'sponsor',
      sessionId: sponsor.sessionId,
    });
    expect(await refusal(open(forged))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
  });

  it('refuses an expired token', async () => {
    const sponsor = await f.sponsor();
    // Same secret, an expiry one minute in the past: valid in every way but time.
    const expired = await createAccessTokens(SECRET, -60).sign({
      userId: sponsor.user.id,
      role: 'sponsor',
      sessionId: sponsor.sessionId,
    });
    expect(await refusal(open(expired))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
    // The same user with a current token gets in: the refusal was about the expiry.
    await connected(sponsor.token);
  });

  it('refuses a valid token of a user that does not exist', async () => {
    const token = await ctx.app.tokens.sign({ userId: randomUUID(), role: 'influencer', sessionId: randomUUID() });
    expect(await refusal(open(token))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
  });

  it('refuses a deactivated user with account_deactivated, even with a token from before', async () => {
    const influencer = await f.influencer({ status: 'deactivated' });
    expect(await refusal(open(influencer.token))).toEqual({
      message: 'account_deactivated',
      code: 'account_deactivated',
    });
  });

  it('answers unavailable, without crashing, when the check itself fails', async () => {
    const sponsor = await f.sponsor();
    const verify = vi.spyOn(ctx.app.tokens, 'verify').mockRejectedValueOnce(new Error('database unreachable'));
    try {
      expect(await refusal(open(sponsor.token))).toEqual({ message: 'unavailable', code: 'unavailable' });
    } finally {
      verify.mockRestore();
    }
    await connected(sponsor.token);
  });

  it('accepts an active user and a sponsor still awaiting approval', async () => {
    const influencer = await connected((await f.influencer()).token);
    expect(influencer.connected).toBe(true);
    const pending = await connected((await f.pendingSponsor()).token);
    expect(pending.connected).toBe(true);
  });

  it('drops the socket when its access token expires', async () => {
    const sponsor = await f.sponsor();
    const shortLived = await createAccessTokens(SECRET, 2).sign({
      userId: sponsor.user.id,
      role: 'sponsor',
      sessionId: sponsor.sessionId,
    });
    const socket = await connected(shortLived);
    const started = Date.now();
    expect(await disconnection(socket, 5_000)).toBe('io server disconnect');
    // `exp` has a one-second resolution: between 1 and 2 s after the connection (plus slack for
    // a busy machine; without the timer the socket would stay connected for good).
    expect(Date.now() - started).toBeLessThan(4_000);
    // Reconnecting with the now-expired token is refused; a fresh token would be accepted.
    expect(await refusal(open(shortLived))).toEqual({ message: 'unauthenticated', code: 'unauthenticated' });
  });
});

describe('app.realtime.toUsers', () => {
  it('reaches every socket of the users named and no one else', async () => {
    const [alice, bob, carol] = [await f.influencer(), await f.sponsor(), await f.influencer()];
    const aliceTab1 = await connected(alice.token);
    const aliceTab2 = await connected(alice.token);
    const bobSocket = await connected(bob.token);
    const carolSocket = await connected(carol.token);
    const carolSeen = record(carolSocket);

    const payload = { id: randomUUID(), type: 'offer_received', title: 'New offer' };
    const arrivals = [aliceTab1, aliceTab2, bobSocket].map((s) => nextEvent(s, 'notification'));
    ctx.app.realtime.toUsers([alice.user.id, bob.user.id], 'notification', payload);
    expect(await Promise.all(arrivals)).toEqual([payload, payload, payload]);

    await drain(ctx.app, carolSocket, carol);
    expect(payloadsOf(carolSeen, 'notification')).toEqual([]);
  });

  it('does nothing for an empty list and never throws', async () => {
    expect(() => ctx.app.realtime.toUsers([], 'message', { id: 'x' })).not.toThrow();
    // A payload Socket.IO cannot serialize is logged, not thrown at the caller after its commit.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => ctx.app.realtime.toUsers([randomUUID()], 'notification', cyclic)).not.toThrow();
  });
});

describe('app.realtime.disconnectUser', () => {
  it('disconnects every socket of that user and no other', async () => {
    const [alice, bob] = [await f.influencer(), await f.sponsor()];
    const aliceTabs = [await connected(alice.token), await connected(alice.token)];
    const bobSocket = await connected(bob.token);
    const gone = aliceTabs.map((s) => disconnection(s));
    await ctx.app.realtime.disconnectUser(alice.user.id);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    await drain(ctx.app, bobSocket, bob);
    expect(bobSocket.connected).toBe(true);
  });
});

describe('POST /admin/users/:id/deactivate', () => {
  it("closes the user's open sockets at once, and reconnecting is refused", async () => {
    const admin = await f.admin();
    const [influencer, bystander] = [await f.influencer(), await f.influencer()];
    const socket = await connected(influencer.token);
    const bystanderSocket = await connected(bystander.token);
    const gone = disconnection(socket);
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${influencer.user.id}/deactivate`, {
      auth: admin,
      body: { reason: 'Fake audience' },
    });
    expect(res.statusCode).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect(await refusal(open(influencer.token))).toEqual({
      message: 'account_deactivated',
      code: 'account_deactivated',
    });
    await drain(ctx.app, bystanderSocket, bystander);
    expect(bystanderSocket.connected).toBe(true);
  });
});

describe('POST /conversations/:id/messages', () => {
  it('pushes the new message to both participants and to no one else', async () => {
    const [sponsor, influencer, outsider] = [await f.sponsor(), await f.influencer(), await f.influencer()];
    const started = await call(ctx, 'POST', '/api/v1/conversations', {
      auth: sponsor,
      body: { participantId: influencer.user.id },
    });
    expect(started.statusCode).toBe(201);
    const conversationId: string = started.json().id;

    const sponsorSocket = await connected(sponsor.token);
    const influencerSocket = await connected(influencer.token);
    const outsiderSocket = await connected(outsider.token);
    const outsiderSeen = record(outsiderSocket);
    const arrivals = [sponsorSocket, influencerSocket].map((s) => nextEvent(s, 'message'));

    const res = await call(ctx, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      auth: sponsor,
      body: { body: 'Hello! Are you free in March?' },
    });
    expect(res.statusCode).toBe(201);
    const message = res.json();
    expect(message).toMatchObject({
      conversationId,
      senderId: sponsor.user.id,
      kind: 'text',
      body: 'Hello! Are you free in March?',
    });
    // The push is the message as the API presents it.
    expect(await Promise.all(arrivals)).toEqual([message, message]);

    await drain(ctx.app, outsiderSocket, outsider);
    expect(payloadsOf(outsiderSeen, 'message')).toEqual([]);
  });

  it('pushes nothing when the message is refused', async () => {
    const [sponsor, influencer] = [await f.sponsor(), await f.influencer()];
    const started = await call(ctx, 'POST', '/api/v1/conversations', {
      auth: sponsor,
      body: { participantId: influencer.user.id },
    });
    const influencerSocket = await connected(influencer.token);
    const seen = record(influencerSocket);
    const res = await call(ctx, 'POST', `/api/v1/conversations/${started.json().id}/messages`, {
      auth: sponsor,
      body: { body: '' },
    });
    expect(res.statusCode).toBe(400);
    await drain(ctx.app, influencerSocket, influencer);
    expect(payloadsOf(seen, 'message')).toEqual([]);
  });
});

describe('closing the app', () => {
  // Every other suite closes apps that never listened (as a worker process does); this one
  // closes a listening app with a socket still open, which must neither hang nor throw.
  it('ends open sockets and finishes promptly', async () => {
    const other = await createTestApp({ JWT_SECRET: SECRET });
    try {
      const at = await listen(other.app);
      const user = await factories(other).influencer();
      const socket = await connected(user.token, at);
      const gone = disconnection(socket);
      const started = Date.now();
      await other.app.close();
      // An open WebSocket would otherwise hold the HTTP server's close forever.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await gone).toBe('io server disconnect');
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!process.env.REDIS_URL)('a Redis outage', () => {
  it('costs the pushes to other instances, never the process', async () => {
    const other = await createTestApp({ JWT_SECRET: SECRET });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const at = await listen(other.app);
      const user = await factories(other).influencer();
      const socket = await connected(user.token, at);
      // The adapter's publishing connection goes away, as when Redis restarts.
      const adapter = other.app.realtime.io.of('/').adapter as RedisAdapter;
      (adapter.pubClient as Redis).disconnect();
      const payload = { id: randomUUID() };
      const arrival = nextEvent(socket, 'notification');
      other.app.realtime.toUsers([user.user.id], 'notification', payload);
      await other.app.realtime.disconnectUser(randomUUID());
      // Sockets on this instance are still served; the failed publish is logged, not thrown.
      expect(await arrival).toEqual(payload);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await other.close();
    }
  });
});
