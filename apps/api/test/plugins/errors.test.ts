import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { call, createTestApp, factories, type TestContext } from '../support/helpers.js';
import { expectProblem } from '../support/fixtures/http.js';

/**
 * The one error handler (plugins/errors.ts) on the faults no route causes: the database out of
 * reach, and requests the HTTP layer refuses before any route runs.
 */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const login = (ctx: Pick<TestContext, 'app'>) =>
  call(ctx as TestContext, 'POST', '/api/v1/auth/login', {
    body: { email: 'someone@example.com', password: 'correct horse battery staple' },
  });

function expectUnavailable(res: Awaited<ReturnType<typeof call>>) {
  const body = expectProblem(res, 503, 'unavailable');
  expect(res.headers['retry-after']).toBe('5');
  return body;
}

describe('while the database is unreachable', () => {
  it('answers 503 unavailable with Retry-After when PostgreSQL refuses connections', async () => {
    // A server that is down: nothing listens on port 1, so every connection is refused (ECONNREFUSED).
    const config = loadConfig(
      {},
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: '/nonexistent',
        JWT_SECRET: 'x'.repeat(32),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test',
      },
    );
    const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: 'memory://' });
    const app = await buildApp(config, { database, redis: null, logger: false });
    cleanups.push(() => app.close());
    await app.ready();

    const body = expectUnavailable(await login({ app }));
    expect(body.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const health = await call({ app } as TestContext, 'GET', '/api/v1/health');
    expect(health.statusCode).toBe(503);
  });

  it('answers 503 unavailable with Retry-After when the database is closed under the app', async () => {
    const ctx = await createTestApp();
    cleanups.push(() => ctx.close());
    const user = await factories(ctx).influencer();
    await ctx.database.close();
    if (ctx.onPostgres) {
      // A pool that was ended cannot be ended again: the test context would on close.
      (ctx.database as { close: () => Promise<void> }).close = async () => undefined;
    }

    expectUnavailable(await login(ctx));
    // The authentication gate reads the account too.
    expectUnavailable(await call(ctx, 'GET', '/api/v1/me', { auth: user }));
  });
});
