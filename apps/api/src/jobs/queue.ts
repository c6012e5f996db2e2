import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';

/** Every scheduled job: its cron (UTC) and what it runs. Handlers reload state and are idempotent. */
export const JOB_NAMES = ['expire-offers', 'auto-complete'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** What a job reports when it is done (counts: changed, skipped, …). */
export type JobHandler = () => Promise<Record<string, number>>;

const SCHEDULES: Record<JobName, string> = {
  'expire-offers': '*/15 * * * *',
  'auto-complete': '5 * * * *',
};

export interface Jobs {
  /** Defines what a job runs; the module that owns the work calls this in its setup. */
  handle(name: JobName, handler: JobHandler): void;
  /** 'ok' while the queue runs; 'none' when this process runs no queue. */
  state(): 'ok' | 'none' | 'down';
  /** Runs a job's handler now, in this process (the admin's "run now"). */
  runNow(name: JobName): Promise<Record<string, number>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

/**
 * pg-boss on the application's own database (PGlite or PostgreSQL), so jobs need no other
 * server and can later be enqueued in the same transaction as the change that causes them.
 * Workers and cron schedules run only where `workers` is true (PROCESS_ROLE all or worker).
 */
export default fp(
  async function queuePlugin(app: FastifyInstance, opts: { database: Database; enabled: boolean; workers: boolean }) {
    const handlers = new Map<JobName, JobHandler>();
    let boss: PgBoss | null = null;
    let failed = false;
    function handlerOf(name: JobName): JobHandler {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no handler for job ${name}`);
      return handler;
    }
    // Modules define their handlers while the app is built; the queue starts once all are known.
    if (opts.enabled)
      app.addHook('onReady', async () => {
        boss = new PgBoss({
          db: { executeSql: (text, values) => opts.database.executeSql(text, values) },
          schema: 'pgboss',
          supervise: opts.workers,
          schedule: opts.workers,
          migrate: true,
        });
        boss.on('error', (err) => {
          failed = true;
          app.log.error({ err }, 'job queue error');
        });
        await boss.start();
        for (const name of JOB_NAMES) {
          await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 30, retryBackoff: true });
          if (opts.workers) {
            await boss.schedule(name, SCHEDULES[name], {}, { tz: 'UTC' });
            const handler = handlerOf(name);
            await boss.work(name, async () => {
              const result = await handler();
              app.log.info({ job: name, ...result }, 'job done');
              return result;
            });
          }
        }
      });
    app.addHook('onClose', async () => {
      // Lets a running job finish (graceful shutdown), then stops polling.
      await boss?.stop({ graceful: true, wait: true, timeout: 20_000 });
    });
    app.decorate('jobs', {
      handle: (name: JobName, handler: JobHandler) => void handlers.set(name, handler),
      state: () => (!boss ? 'none' : failed ? 'down' : 'ok'),
      runNow: (name: JobName) => handlerOf(name)(),
    } satisfies Jobs);
  },
  { name: 'queue' },
);
