/**
 * The process under load, started by run.ts over IPC. It wires the real app exactly as
 * `main.ts` does (connectServices + buildApp), plus a bare Fastify instance for the baseline.
 * It runs apart from the load generator so autocannon never competes for the server's event loop.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config.js';
import { connectServices } from '../apps/api/src/startup.js';
import type { Captured, ToChild, ToParent } from './protocol.js';

let app: FastifyInstance | undefined;
let bare: FastifyInstance | undefined;
let redisKeyPrefix = '';
let cleanupRedis: (() => Promise<number>) | undefined;
let closeServices: (() => Promise<void>) | undefined;
const tokens: Record<'influencer' | 'sponsor', string> = { influencer: '', sponsor: '' };

function send(message: ToParent) {
  process.send?.(message);
}

/**
 * Runs one request through the app while recording every SQL statement the pg driver receives,
 * so the EXPLAIN in the report is the statement the app really ran, not a hand-copied one.
 */
async function capture(path: string, as: 'influencer' | 'sponsor') {
  const statements: Captured[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[] };
      statements.push({ text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  try {
    const res = await app!.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${tokens[as]}` } });
    return {
      status: res.statusCode,
      xCache: String(res.headers['x-cache'] ?? ''),
      body: res.body,
      statements,
    };
  } finally {
    proto.query = original;
  }
}

async function start(message: Extract<ToChild, { type: 'start' }>) {
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATABASE_URL: message.databaseUrl,
      REDIS_URL: message.redisUrl,
      WEB_DIST_DIR: '/nonexistent',
      ...(message.poolSize ? { DATABASE_POOL_SIZE: message.poolSize } : {}),
    },
  );
  const services = await connectServices(config);
  redisKeyPrefix = `iescp-bench:${randomBytes(6).toString('hex')}:`;
  const redis = services.redis;
  cleanupRedis = async () => {
    if (!redis) return 0;
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${redisKeyPrefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) deleted += await redis.del(...batch);
    }
    return deleted;
  };
  closeServices = async () => {
    redis?.disconnect();
    await services.database.close();
  };
  // The bench closes the connections itself, after its Redis keys are gone.
  app = await buildApp(config, { ...services, redisKeyPrefix, ownsConnections: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // Access tokens name an open session, as a login starts one.
  const { db } = services.database;
  tokens.influencer = (
    await app.services.sessions.issue(db, { id: message.influencerId, role: 'influencer' })
  ).accessToken;
  tokens.sponsor = (await app.services.sessions.issue(db, { id: message.sponsorId, role: 'sponsor' })).accessToken;
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no TCP address');
  send({
    type: 'ready',
    appUrl: `http://127.0.0.1:${address.port}`,
    tokens,
    redisKeyPrefix,
    poolSize: config.DATABASE_POOL_SIZE,
  });
}

/** One GET route answering the given JSON document, serialized per request like the real route. */
async function startBare(body: string) {
  const document: unknown = JSON.parse(body);
  bare = Fastify({ logger: false });
  bare.get('/bare', async () => document);
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const address = bare.server.address();
  if (!address || typeof address === 'string') throw new Error('the bare server has no TCP address');
  const probe = await bare.inject({ method: 'GET', url: '/bare' });
  send({ type: 'bare-ready', url: `http://127.0.0.1:${address.port}/bare`, bytes: probe.rawPayload.length });
}

async function close() {
  await bare?.close();
  await app?.close();
  // Requests the load generator abandoned at the end may still write to the cache (writes are
  // fire-and-forget); let them land before deleting this run's keys.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const deletedKeys = (await cleanupRedis?.().catch(() => 0)) ?? 0;
  await closeServices?.();
  send({ type: 'closed', deletedKeys });
  process.disconnect?.();
}

process.on('message', (raw) => {
  const message = raw as ToChild;
  const fail = (error: unknown) =>
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  if (message.type === 'start') start(message).catch(fail);
  else if (message.type === 'capture')
    capture(message.path, message.as).then((result) => send({ type: 'captured', id: message.id, ...result }), fail);
  else if (message.type === 'bare') startBare(message.body).catch(fail);
  else if (message.type === 'close') close().catch(fail);
});

// Never outlive the bench: if the parent goes away, so does the server.
process.on('disconnect', () => process.exit(0));
