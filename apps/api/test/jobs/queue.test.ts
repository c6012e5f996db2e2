import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, queueApp, type TestContext } from '../support/helpers.js';

/**
 * The job queue's part of GET /health (jobs/queue.ts): it tells the queue's state now, not
 * whether it ever failed.
 */

let ctx: TestContext;
let app: FastifyInstance;
beforeAll(async () => {
  ctx = await createTestApp();
  // A second app on the same database that runs the queue with its workers, as PROCESS_ROLE=all.
  app = await queueApp(ctx);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const queueState = async () => (await call({ app } as TestContext, 'GET', '/api/v1/health')).json().queue;

async function eventually(what: () => Promise<unknown>, expected: unknown, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let got: unknown;
  while (Date.now() < deadline) {
    got = await what();
    if (got === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(got).toBe(expected);
}

describe('GET /health queue', () => {
  it('is down during a database outage and ok again once pg-boss works, without a restart', async () => {
    expect(await queueState()).toBe('ok');

    // The outage as pg-boss sees it: every query it sends fails as on a refused connection, so
    // its polling workers emit 'error'.
    const executeSql = ctx.database.executeSql;
    let errors = 0;
    (ctx.database as { executeSql: typeof executeSql }).executeSql = async () => {
      errors++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    };
    try {
      await eventually(queueState, 'down');
      expect(errors).toBeGreaterThan(0);
    } finally {
      (ctx.database as { executeSql: typeof executeSql }).executeSql = executeSql;
    }

    await eventually(queueState, 'ok');
  });
});
