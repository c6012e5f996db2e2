import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { disconnection, drain as drainTo, listen, nextEvent, socketClients } from '../support/fixtures/sockets.js';
import { createServerDatabase, factories, type TestContext, type TestUser } from '../support/helpers.js';

/**
 * Several instances behind a load balancer (API.md "Running"): two API instances and a worker
 * (built, never listening) on the same PostgreSQL database and the same Redis key prefix. A
 * push or a disconnect issued on one instance reaches sockets connected to another.
 * Needs both DATABASE_URL and REDIS_URL; skipped otherwise.
 */

const SERVER_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

interface Instance {
  ctx: TestContext;
  /** `http://127.0.0.1:<port>`, or undefined for the worker. */
  url: string | undefined;
}

/**
 * `roles.length` apps sharing one fresh database (each with its own pool) and one Redis key
 * prefix (each with its own client), as separate processes would; `'api'` ones listen.
 */
async function createCluster(serverUrl: string, redisUrl: string, roles: readonly ('api' | 'worker')[]) {
  const server = await createServerDatabase(serverUrl);
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEB_DIST_DIR: '/nonexistent',
      DATABASE_URL: server.url,
      REDIS_URL: redisUrl,
      LOGIN_PER_IP_PER_HOUR: 100_000,
      SIGNUP_PER_IP_PER_HOUR: 100_000,
    },
  );
  const redisKeyPrefix = `iescp-test:${randomBytes(6).toString('hex')}:`;
  const owned: { app: FastifyInstance; redis: Redis; database: Database }[] = [];
  const instances: Instance[] = [];

  async function close() {
    for (const { app } of owned) await app.close();
    const [first] = owned;
    if (first) {
      const keys = await first.redis.keys(`${redisKeyPrefix}*`);
      if (keys.length > 0) await first.redis.del(...keys);
    }
    for (const { redis, database } of owned) {
      redis.disconnect();
      await database.close();
    }
    await server.drop();
  }

  try {
    for (const role of roles) {
      const database = openDatabase({ databaseUrl: server.url, dataDir: 'unused', poolSize: 5 });
      // The first instance migrates; the others find the schema in place (as with a rolling start).
      if (owned.length === 0) await database.migrate();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      const app = await buildApp(config, { database, redis, ownsConnections: false, redisKeyPrefix, logger: false });
      owned.push({ app, redis, database });
      await app.ready();
      let url: string | undefined;
      if (role === 'api') url = await listen(app);
      const ctx: TestContext = {
        app,
        db: database.db,
        database,
        config,
        onPostgres: true,
        usingRedis: true,
        close: async () => undefined, // the cluster closes everything at once
      };
      instances.push({ ctx, url });
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { instances, close };
}

describe.skipIf(!SERVER_URL || !REDIS_URL)('real time across instances (PostgreSQL + Redis)', () => {
  let cluster: Awaited<ReturnType<typeof createCluster>>;
  let a: Instance;
  let b: Instance;
  let worker: Instance;
  let f: ReturnType<typeof factories>;
  const sockets = socketClients();

  beforeAll(async () => {
    cluster = await createCluster(SERVER_URL!, REDIS_URL!, ['api', 'api', 'worker']);
    [a, b, worker] = cluster.instances as [Instance, Instance, Instance];
    f = factories(a.ctx);
  });
  afterEach(() => {
    sockets.closeAll();
  });
  afterAll(async () => cluster?.close());

  const connected = (user: { token: string }, at: Instance) => sockets.connected(at.url!, user.token);

  const drain = (via: Instance, socket: ClientSocket, user: TestUser) => drainTo(via.ctx.app, socket, user.user.id);

  /** The payloads of `event` this socket receives, sentinels left out. */
  function record(socket: ClientSocket, event: string): unknown[] {
    const seen: unknown[] = [];
    socket.on(event, (payload: { sentinel?: string } | null) => {
      if (!payload?.sentinel) seen.push(payload);
    });
    return seen;
  }

  it('delivers a message posted through instance A to a socket on instance B within a second', async () => {
    const [sponsor, influencer, outsider] = [await f.sponsor(), await f.influencer(), await f.influencer()];
    const sponsorOnA = await connected(sponsor, a);
    const influencerOnB = await connected(influencer, b);
    const outsiderOnB = await connected(outsider, b);
    const outsiderSeen = record(outsiderOnB, 'message');

    // The conversation is opened through B, the message posted through A: both read one database.
    const started = await fetch(`${b.url}/api/v1/conversations`, {
      method: 'POST',
      headers: { ...sponsor.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ participantId: influencer.user.id }),
    });
    expect(started.status).toBe(201);
    const conversation = (await started.json()) as { id: string };

    let receivedAt = 0;
    const onB = nextEvent(influencerOnB, 'message').then((payload) => {
      receivedAt = performance.now();
      return payload;
    });
    const onA = nextEvent(sponsorOnA, 'message');
    const postedAt = performance.now();
    const res = await fetch(`${a.url}/api/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { ...sponsor.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Posted through A' }),
    });
    expect(res.status).toBe(201);
    const message = await res.json();
    expect(message).toMatchObject({ conversationId: conversation.id, senderId: sponsor.user.id, kind: 'text' });

    expect(await onB).toEqual(message);
    expect(receivedAt - postedAt).toBeLessThan(1_000);
    expect(await onA).toEqual(message);
    await drain(a, outsiderOnB, outsider);
    expect(outsiderSeen).toEqual([]);
  });

  it('delivers toUsers from A to the user’s sockets on both instances, and nowhere else', async () => {
    const [user, other] = [await f.influencer(), await f.sponsor()];
    const onA = await connected(user, a);
    const onB = await connected(user, b);
    const otherOnB = await connected(other, b);
    const otherSeen = record(otherOnB, 'notification');
    const payload = { id: randomUUID(), type: 'offer_received' };
    const arrivals = [nextEvent(onA, 'notification'), nextEvent(onB, 'notification')];
    a.ctx.app.realtime.toUsers([user.user.id], 'notification', payload);
    expect(await Promise.all(arrivals)).toEqual([payload, payload]);
    await drain(a, otherOnB, other);
    expect(otherSeen).toEqual([]);
  });

  it('delivers toUsers from a worker that never listens to a socket on B', async () => {
    expect(worker.ctx.app.server.listening).toBe(false);
    const user = await f.sponsor();
    const onB = await connected(user, b);
    const payload = { id: randomUUID(), status: 'accepted', updatedAt: new Date().toISOString() };
    const arrival = nextEvent(onB, 'ad-request');
    worker.ctx.app.realtime.toUsers([user.user.id], 'ad-request', payload);
    expect(await arrival).toEqual(payload);
  });

  it('disconnectUser on A closes the user’s socket on B and leaves others connected', async () => {
    const [user, other] = [await f.influencer(), await f.influencer()];
    const onB = await connected(user, b);
    const otherOnB = await connected(other, b);
    const gone = disconnection(onB);
    await a.ctx.app.realtime.disconnectUser(user.user.id);
    expect(await gone).toBe('io server disconnect');
    await drain(a, otherOnB, other);
    expect(otherOnB.connected).toBe(true);
  });

  it('deactivating a user through A closes their socket on B', async () => {
    const [admin, user] = [await f.admin(), await f.sponsor()];
    const onB = await connected(user, b);
    const gone = disconnection(onB);
    const res = await fetch(`${a.url}/api/v1/admin/users/${user.user.id}/deactivate`, {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Spam' }),
    });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });

  /** A fresh login of `user` through `at`: a session of its own. */
  async function loginThrough(at: Instance, user: TestUser): Promise<TestUser & { refreshToken: string }> {
    const res = await fetch(`${at.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.user.email, password: user.password }),
    });
    expect(res.status).toBe(200);
    const session = (await res.json()) as { accessToken: string; refreshToken: string };
    const auth = { authorization: `Bearer ${session.accessToken}` };
    return { ...user, token: session.accessToken, auth, refreshToken: session.refreshToken };
  }
  const meThrough = (at: Instance, user: TestUser) => fetch(`${at.url}/api/v1/me`, { headers: user.auth });

  it('a logout through A is refused on B at once and closes the session’s socket on B, not the other session’s', async () => {
    const user = await f.influencer();
    const session = await loginThrough(a, user);
    const other = await loginThrough(b, user);
    const onB = await connected(session, b);
    const otherOnB = await connected(other, b);
    const gone = disconnection(onB);
    expect((await meThrough(b, session)).status).toBe(200);

    const res = await fetch(`${a.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { ...session.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(res.status).toBe(204);

    // The very next request, on the other instance: no window in which the token still works.
    const refused = await meThrough(b, session);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { code: string }).code).toBe('unauthenticated');
    expect(await gone).toBe('io server disconnect');
    expect((await meThrough(b, other)).status).toBe(200);
    await drain(a, otherOnB, user);
    expect(otherOnB.connected).toBe(true);
  });

  it('a password change through A ends the other sessions on B at once (HTTP and socket)', async () => {
    const user = await f.sponsor();
    const current = await loginThrough(a, user);
    const other = await loginThrough(b, user);
    const otherOnB = await connected(other, b);
    const gone = disconnection(otherOnB);
    const res = await fetch(`${a.url}/api/v1/me/password`, {
      method: 'POST',
      headers: { ...current.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: user.password, newPassword: 'another fresh passphrase 42 here' }),
    });
    expect(res.status).toBe(204);
    expect((await meThrough(b, other)).status).toBe(401);
    expect(await gone).toBe('io server disconnect');
    expect((await meThrough(b, current)).status).toBe(200);
  });
});
