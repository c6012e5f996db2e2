import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../src/db/schema/index.js';
import { JOB_NAMES, TASK_NAMES } from '../../../src/jobs/queue.js';
import { nextRunOf } from '../../../src/modules/jobs/jobs.service.js';
import { expectProblem } from '../../support/fixtures/http.js';
import { call, createTestApp, factories, queueApp, type TestContext, type TestUser } from '../../support/helpers.js';

/**
 * The admin's jobs page (issue 12, API.md "Dashboards, reports, exports, jobs, mail"): every job
 * with its schedule, next run and recent runs as pg-boss recorded them; "run now" queues a job
 * from a process without workers (PROCESS_ROLE=api) and a worker of another instance runs it.
 */

let ctx: TestContext;
/** PROCESS_ROLE=api: a queue, no workers. Every HTTP call below goes to it. */
let api: FastifyInstance;
/** PROCESS_ROLE=worker on the same database. */
let worker: FastifyInstance;
let admin: TestUser;
let sponsor: TestUser;
let influencer: TestUser;

const REPORT_FAILURE = 'the report store is out of reach';

beforeAll(async () => {
  ctx = await createTestApp({ REMINDER_HOUR: 18, REMINDER_TIMEZONE: 'UTC' });
  api = await queueApp(ctx, false);
  await api.ready();
  worker = await queueApp(ctx);
  // A handler that fails, defined before the worker starts (the queue reads handlers then).
  worker.jobs.handle('monthly-reports', async () => {
    throw new Error(REPORT_FAILURE);
  });
  await worker.ready();
  const f = factories(ctx);
  [admin, sponsor, influencer] = await Promise.all([f.admin(), f.sponsor(), f.influencer()]);
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

const on = (app: FastifyInstance) => ({ ...ctx, app }) as TestContext;
const listJobs = async () => {
  const res = await call(on(api), 'GET', '/api/v1/admin/jobs', { auth: admin });
  expect(res.statusCode).toBe(200);
  return res.json().items as any[];
};
const runsOf = async (name: string) => (await listJobs()).find((j) => j.name === name)!.runs as any[];

/** Polls the listing until the run `id` is in a final state; returns it. */
async function finishedRun(name: string, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await runsOf(name)).find((r) => r.id === id);
    if (run && ['completed', 'failed', 'cancelled'].includes(run.state)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} of ${name} did not finish: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('authorization', () => {
  it('lets only an admin list jobs or run one', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/admin/jobs'],
      ['POST', '/api/v1/admin/jobs/expire-offers/run'],
    ] as const) {
      expectProblem(await call(on(api), method, url), 401, 'unauthenticated');
      expectProblem(await call(on(api), method, url, { auth: sponsor }), 403, 'forbidden');
      expectProblem(await call(on(api), method, url, { auth: influencer }), 403, 'forbidden');
    }
    // Nothing was queued by the refused calls.
    expect((await runsOf('expire-offers')).filter((r) => r.manual)).toEqual([]);
  });
});

describe('GET /admin/jobs', () => {
  it('lists every job with its schedule and next run, and every task without one', async () => {
    const before = new Date();
    const items = await listJobs();
    expect(items.map((j) => j.name)).toEqual([...JOB_NAMES, ...TASK_NAMES]);
    for (const job of items.filter((j) => j.kind === 'job')) {
      expect(job.schedule).toMatch(/^\S+( \S+){4}$/);
      expect(typeof job.timezone).toBe('string');
      expect(new Date(job.nextRunAt).getTime()).toBeGreaterThan(before.getTime());
    }
    expect(items.find((j) => j.name === 'deliver-mail')).toMatchObject({
      kind: 'task',
      schedule: null,
      timezone: null,
      nextRunAt: null,
    });

    // REMINDER_HOUR=18 in UTC: the next 18:00 UTC, today or tomorrow.
    const reminders = items.find((j) => j.name === 'daily-reminders');
    expect(reminders).toMatchObject({ schedule: '0 18 * * *', timezone: 'UTC' });
    const today18 = new Date(before);
    today18.setUTCHours(18, 0, 0, 0);
    const next18 = today18 > before ? today18 : new Date(today18.getTime() + 24 * 3600_000);
    expect(reminders.nextRunAt).toBe(next18.toISOString());
  });

  it('computes the next run in the schedule’s time zone, daylight saving included', () => {
    // 18:00 in Berlin is 16:00 UTC in summer and 17:00 UTC in winter.
    expect(nextRunOf('0 18 * * *', 'Europe/Berlin', new Date('2026-07-01T12:00:00Z')).toISOString()).toBe(
      '2026-07-01T16:00:00.000Z',
    );
    expect(nextRunOf('0 18 * * *', 'Europe/Berlin', new Date('2026-12-01T17:30:00Z')).toISOString()).toBe(
      '2026-12-02T17:00:00.000Z',
    );
    expect(nextRunOf('*/15 * * * *', 'UTC', new Date('2026-12-01T10:07:00Z')).toISOString()).toBe(
      '2026-12-01T10:15:00.000Z',
    );
  });
});

describe('POST /admin/jobs/:name/run', () => {
  it('queues the job (202) from an instance without workers; a worker runs it and it shows as completed with its counts', async () => {
    const res = await call(on(api), 'POST', '/api/v1/admin/jobs/expire-offers/run', { auth: admin });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const run = await finishedRun('expire-offers', id);
    expect(run).toMatchObject({ state: 'completed', manual: true, error: null, result: { changed: 0, skipped: 0 } });
    expect(new Date(run.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    expect(new Date(run.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(run.createdAt).getTime());
    // Newest first: a second run comes before the first.
    const second = (await call(on(api), 'POST', '/api/v1/admin/jobs/expire-offers/run', { auth: admin })).json().id;
    await finishedRun('expire-offers', second);
    const ids = (await runsOf('expire-offers')).map((r) => r.id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(id));
  });

  it('writes an audit row for the admin, in the transaction that queued the job', async () => {
    const { id } = (await call(on(api), 'POST', '/api/v1/admin/jobs/auto-complete/run', { auth: admin })).json();
    const rows = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, 'job'), eq(auditLog.subjectId, id)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.user.id, action: 'run_job', details: { name: 'auto-complete' } });
    await finishedRun('auto-complete', id);
  });

  it('shows a failed run with the error its handler threw, not retried', async () => {
    const res = await call(on(api), 'POST', '/api/v1/admin/jobs/monthly-reports/run', { auth: admin });
    expect(res.statusCode).toBe(202);
    const run = await finishedRun('monthly-reports', res.json().id);
    expect(run).toMatchObject({ state: 'failed', result: null, error: REPORT_FAILURE });
  });

  it('answers 404 for an unknown job and 409 for a task, queuing nothing and auditing nothing', async () => {
    const auditRows = async () => (await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'run_job'))).length;
    const audited = await auditRows();
    expectProblem(await call(on(api), 'POST', '/api/v1/admin/jobs/no-such-job/run', { auth: admin }), 404, 'not_found');
    const task = expectProblem(
      await call(on(api), 'POST', '/api/v1/admin/jobs/deliver-mail/run', { auth: admin }),
      409,
      'conflict',
    );
    expect(task.detail).toMatch(/task/);
    expect(await runsOf('deliver-mail')).toEqual([]);
    expect(await auditRows()).toBe(audited);
  });

  it('answers 503 from a process that runs no queue, and audits nothing', async () => {
    const before = (await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'run_job'))).length;
    // ctx.app is built without a queue (as tests that drive handlers themselves are).
    const res = await call(ctx, 'POST', '/api/v1/admin/jobs/expire-offers/run', { auth: admin });
    expectProblem(res, 503, 'unavailable');
    expect((await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'run_job'))).length).toBe(before);
  });
});
