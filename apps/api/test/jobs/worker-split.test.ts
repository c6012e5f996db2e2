import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { JOB_NAMES, jobSchedules, type JobName } from '../../src/jobs/queue.js';
import { call, createServerDatabase, factories, type TestContext, type TestUser } from '../support/helpers.js';

/**
 * The worker split (issue 12, API.md "Running"): two instances with PROCESS_ROLE=api (a queue,
 * no workers) and workers on one PostgreSQL database, each with its own pool as separate
 * processes would have. A job queued on an api instance runs once, on a worker; the schedules
 * are written by workers only, and a schedule fires once per slot however many workers check it.
 * Needs DATABASE_URL; skipped otherwise.
 */

const SERVER_URL = process.env.DATABASE_URL;

interface Instance {
  label: string;
  app: FastifyInstance;
  database: Database;
}

describe.skipIf(!SERVER_URL)('the worker split on PostgreSQL', () => {
  let server: { url: string; drop: () => Promise<void> };
  let config: Config;
  const instances: Instance[] = [];
  /** Which instance ran each job, by job name, as the handlers record it. */
  const ranIn = new Map<JobName, string[]>();
  let admin: TestUser;

  /** One instance on its own pool; every job's handler records that it ran here. */
  async function start(label: string, workers: boolean) {
    const database = openDatabase({ databaseUrl: server.url, dataDir: 'unused', poolSize: 5 });
    await database.migrate();
    const app = await buildApp(config, {
      database,
      redis: null,
      ownsConnections: false,
      logger: false,
      // Workers ask every second whether a schedule is due (pg-boss's default is 30 s).
      jobs: { enabled: true, workers, cronCheckSeconds: 1 },
    });
    for (const name of JOB_NAMES)
      app.jobs.handle(name, async () => {
        ranIn.set(name, [...(ranIn.get(name) ?? []), label]);
        return { ran: 1 };
      });
    await app.ready();
    const instance = { label, app, database };
    instances.push(instance);
    return instance;
  }

  const sql = async (text: string, values?: unknown[]) => (await instances[0]!.database.executeSql(text, values)).rows;
  const schedules = () => sql('select name, cron, timezone from pgboss.schedule order by name');
  /** Every run pg-boss knows of a queue (live and archived). */
  const jobsOf = (name: string) =>
    sql(
      `select id, state, singleton_on from pgboss.job where name = $1
       union all select id, state, singleton_on from pgboss.archive where name = $1`,
      [name],
    );
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    const template = inject('databaseTemplate') ?? null;
    server = await createServerDatabase(SERVER_URL!, template?.kind === 'postgres' ? template.name : undefined);
    config = loadConfig(
      {},
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: '/nonexistent',
        DATABASE_URL: server.url,
        REMINDER_HOUR: 7,
        REMINDER_TIMEZONE: 'Europe/Berlin',
      },
    );
  });
  afterAll(async () => {
    for (const { app } of instances.reverse()) await app.close();
    for (const { database } of instances) await database.close();
    await server?.drop();
  });

  it('api instances write no schedule; the worker writes one per job, with the configured cron and time zone', async () => {
    await start('api-1', false);
    await start('api-2', false);
    expect(await schedules()).toEqual([]);

    await start('worker-1', true);
    const configured = jobSchedules(config);
    expect(await schedules()).toEqual(
      [...JOB_NAMES].sort().map((name) => ({ name, cron: configured[name].cron, timezone: configured[name].tz })),
    );
    expect(configured['daily-reminders']).toEqual({ cron: '0 7 * * *', tz: 'Europe/Berlin' });
  });

  it('runs a job queued over HTTP on an api instance exactly once, on the worker', async () => {
    const [api1, api2] = instances;
    admin = await factories({ app: api1!.app, db: api1!.database.db, config } as TestContext).admin();
    const ids: string[] = [];
    for (const api of [api1!, api2!, api1!]) {
      const res = await call({ app: api.app } as TestContext, 'POST', '/api/v1/admin/jobs/monthly-reports/run', {
        auth: admin,
      });
      expect(res.statusCode).toBe(202);
      ids.push(res.json().id);
    }
    const deadline = Date.now() + 20_000;
    while ((ranIn.get('monthly-reports')?.length ?? 0) < ids.length && Date.now() < deadline) await sleep(200);
    // A moment more, for any second run that should not happen.
    await sleep(2_500);
    expect(ranIn.get('monthly-reports')).toEqual(['worker-1', 'worker-1', 'worker-1']);
    const runs = await jobsOf('monthly-reports');
    expect(runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(runs.every((r) => r.state === 'completed')).toBe(true);
  });

  it('fires a schedule once per slot with two workers checking it every second', async () => {
    await start('worker-2', true);
    // Starting a second worker rewrites the same rows: still one schedule per job.
    expect((await schedules()).map((s) => s.name)).toEqual([...JOB_NAMES].sort());

    // Keep the whole observation inside one minute (one cron slot): start in its first 40 s.
    if (new Date().getSeconds() > 40) await sleep((61 - new Date().getSeconds()) * 1000);
    const minute = Math.floor(Date.now() / 60_000);
    // Every minute, so the slot is now (the workers check the table, not their own copy).
    await sql(`update pgboss.schedule set cron = '* * * * *', timezone = 'UTC' where name = 'daily-reminders'`);

    // Watch the workers' shared cron check: pg-boss records each one in pgboss.version.cron_on.
    const checks = new Set<string>();
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      const [row] = await sql('select cron_on from pgboss.version');
      if (row?.cron_on) checks.add(new Date(row.cron_on).toISOString());
      await sleep(300);
    }
    expect(Math.floor(Date.now() / 60_000), 'the observation stayed in one minute').toBe(minute);
    expect(checks.size, 'the schedule was checked again and again in that minute').toBeGreaterThanOrEqual(5);

    const runs = await jobsOf('daily-reminders');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.state).toBe('completed');
    expect(ranIn.get('daily-reminders')).toHaveLength(1);
    expect(['worker-1', 'worker-2']).toContain(ranIn.get('daily-reminders')![0]);
    // The api instances never ran anything.
    for (const labels of ranIn.values()) expect(labels.every((l) => l.startsWith('worker-'))).toBe(true);
  }, 80_000);
});
