import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { adminQuery, copyPgliteTemplate, databaseUrl } from './database-template.js';
import type { TestUser } from './factories.js';

/**
 * Tests run the real app on a real database of their own: a throw-away copy of the run's
 * migrated PGlite template by default, or a fresh database made from the run's template on the
 * PostgreSQL server named by DATABASE_URL (dropped afterwards). With REDIS_URL set, rate limits
 * use Redis under a key prefix no other run shares.
 */
export interface TestContext {
  app: FastifyInstance;
  db: Db;
  database: Database;
  config: Config;
  /** Whether this run uses the PostgreSQL server (concurrency tests only mean something there). */
  onPostgres: boolean;
  usingRedis: boolean;
  close(): Promise<void>;
}

const SERVER_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

/**
 * A fresh database on the PostgreSQL server at `baseUrl`, and how to drop it: a copy of the
 * run's migrated template when `template` names one, else empty.
 */
export async function createServerDatabase(
  baseUrl: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `iescp_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, template ? `create database ${name} template ${template}` : `create database ${name}`);
  return {
    url: databaseUrl(baseUrl, name),
    drop: () => adminQuery(baseUrl, `drop database if exists ${name} with (force)`),
  };
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  // Set by the global setup; absent when a file runs under a config without it.
  const template = inject('databaseTemplate') ?? null;
  const server = SERVER_URL
    ? await createServerDatabase(SERVER_URL, template?.kind === 'postgres' ? template.name : undefined)
    : undefined;
  const local = !server && template?.kind === 'pglite' ? copyPgliteTemplate(template) : undefined;
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEB_DIST_DIR: '/nonexistent',
      LOGIN_PER_IP_PER_HOUR: 100_000,
      SIGNUP_PER_IP_PER_HOUR: 100_000,
      ...(server ? { DATABASE_URL: server.url } : {}),
      ...overrides,
    },
  );
  const database = openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: local?.dataDir ?? 'memory://',
    poolSize: 20,
  });
  // Nothing to do on a copy of the template; a full migration without one.
  await database.migrate();
  const redis = REDIS_URL ? new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }) : null;
  const redisKeyPrefix = `iescp-test:${randomBytes(6).toString('hex')}:`;
  const app = await buildApp(config, { database, redis, ownsConnections: false, redisKeyPrefix, logger: false });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    config,
    onPostgres: Boolean(server),
    usingRedis: Boolean(redis),
    async close() {
      await app.close();
      if (redis) {
        const keys = await redis.keys(`${redisKeyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      await database.close();
      local?.remove();
      await server?.drop();
    },
  };
}

/**
 * Another app on the test's database that runs the job queue: with its workers as PROCESS_ROLE
 * all (or worker), without as PROCESS_ROLE api. Not ready yet, so a test can define handlers
 * first (the queue reads them when it starts); the caller readies and closes it.
 */
export function queueApp(ctx: TestContext, workers = true): Promise<FastifyInstance> {
  return buildApp(ctx.config, {
    database: ctx.database,
    redis: null,
    ownsConnections: false,
    logger: false,
    jobs: { enabled: true, workers },
  });
}

export { factories, TEST_PASSWORD, uniqueEmail, type AdRequestOptions, type TestUser } from './factories.js';
/** `app.inject` with a JSON body and the parsed JSON answer. */
export async function call(
  ctx: TestContext,
  method: InjectOptions['method'],
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; auth?: TestUser | null } = {},
): Promise<LightMyRequestResponse & { json: () => any }> {
  return ctx.app.inject({
    method,
    url,
    headers: { ...(options.auth ? options.auth.auth : {}), ...options.headers },
    ...(options.body !== undefined ? { payload: options.body as InjectOptions['payload'] } : {}),
  });
}
