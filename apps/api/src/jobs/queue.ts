import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { Config } from '../config.js';
import { sqlOfTransaction, type Database, type Tx } from '../db/client.js';

/** Every scheduled job: its cron and what it runs. Handlers reload state and are idempotent. */
export const JOB_NAMES = ['expire-offers', 'auto-complete', 'daily-reminders', 'monthly-reports'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** What a job reports when it is done (counts: changed, skipped, …). */
export type JobHandler = () => Promise<Record<string, number>>;

/** When a job runs: a cron expression read in `tz` (an IANA time zone). */
export interface JobSchedule {
  cron: string;
  tz: string;
}

/** The schedules, from configuration: reminders at REMINDER_HOUR in REMINDER_TIMEZONE. */
export function jobSchedules(
  config: Pick<Config, 'REMINDER_HOUR' | 'REMINDER_TIMEZONE'>,
): Record<JobName, JobSchedule> {
  return {
    'expire-offers': { cron: '*/15 * * * *', tz: 'UTC' },
    'auto-complete': { cron: '5 * * * *', tz: 'UTC' },
    'daily-reminders': { cron: `0 ${config.REMINDER_HOUR} * * *`, tz: config.REMINDER_TIMEZONE },
    // On the 1st, early, so the month before is complete everywhere.
    'monthly-reports': { cron: '0 6 1 * *', tz: 'UTC' },
  };
}

/**
 * Work queued by a change (not by a clock): each job carries its data, and is enqueued in the
 * transaction of the change that causes it (`Jobs.enqueue`).
 */
export const TASK_NAMES = ['deliver-mail', 'chat-mail'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/**
 * A task queue's pg-boss policy. `short`: at most one job per `singletonKey` waits to start, so
 * a task sent again (same key) while one waits is dropped: a burst of chat messages becomes one
 * `chat-mail` job per conversation and recipient, sent again once that job has started.
 */
const TASK_POLICIES: Partial<Record<TaskName, 'standard' | 'short'>> = { 'chat-mail': 'short' };

/** One run of a task: its data, and how many retries came before (pg-boss counts them). */
export interface TaskRun {
  data: Record<string, unknown>;
  retryCount: number;
  retryLimit: number;
}
/** Throwing fails the run; pg-boss retries it with the job's backoff until its retry limit. */
export type TaskHandler = (run: TaskRun) => Promise<Record<string, number>>;

export interface EnqueueOptions {
  retryLimit?: number;
  /** Seconds before the first retry; doubled (with jitter) on each one when `retryBackoff`. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Seconds from now before the job may start. */
  startAfter?: number;
  /** With a `short` policy task: one waiting job per key (see TASK_POLICIES). */
  singletonKey?: string;
}

export interface Jobs {
  /** Defines what a job runs; the module that owns the work calls this in its setup. */
  handle(name: JobName, handler: JobHandler): void;
  /**
   * 'ok' while the queue works, 'down' while its last database round trip failed (asked again
   * before answering, so a recovered queue says 'ok'); 'none' when this process runs no queue.
   */
  state(): Promise<'ok' | 'none' | 'down'>;
  /** Runs a job's handler now, in this process (the admin's "run now"). */
  runNow(name: JobName): Promise<Record<string, number>>;
  /** Defines what a task runs (workers of this process pick it up when `workers` is on). */
  handleTask(name: TaskName, handler: TaskHandler): void;
  /**
   * Enqueues a task inside the caller's transaction, so the job exists if and only if the change
   * that caused it commits. Returns false when this process runs no queue (tests that drive the
   * handlers themselves): nothing is enqueued then.
   */
  enqueue(tx: Tx, name: TaskName, data: Record<string, unknown>, options?: EnqueueOptions): Promise<boolean>;
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
  async function queuePlugin(
    app: FastifyInstance,
    opts: {
      database: Database;
      enabled: boolean;
      workers: boolean;
      stopTimeoutMs: number;
      schedules: Record<JobName, JobSchedule>;
    },
  ) {
    const handlers = new Map<JobName, JobHandler>();
    const taskHandlers = new Map<TaskName, TaskHandler>();
    let boss: PgBoss | null = null;
    // The queue's health is its latest round trip: an error (a failed query, or pg-boss's own
    // 'error' from a polling worker or the supervisor) counts until a later query succeeds.
    let lastErrorAt = 0;
    let lastOkAt = 0;
    const failing = () => lastErrorAt >= lastOkAt && lastErrorAt > 0;
    async function executeSql(text: string, values?: unknown[]) {
      try {
        const result = await opts.database.executeSql(text, values);
        lastOkAt = performance.now();
        return result;
      } catch (error) {
        lastErrorAt = performance.now();
        throw error;
      }
    }
    function handlerOf(name: JobName): JobHandler {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no handler for job ${name}`);
      return handler;
    }
    // Modules define their handlers while the app is built; the queue starts once all are known.
    if (opts.enabled)
      app.addHook('onReady', async () => {
        boss = new PgBoss({
          db: { executeSql },
          schema: 'pgboss',
          supervise: opts.workers,
          schedule: opts.workers,
          migrate: true,
        });
        boss.on('error', (err) => {
          lastErrorAt = performance.now();
          app.log.error({ err }, 'job queue error');
        });
        await boss.start();
        for (const name of JOB_NAMES) {
          await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 30, retryBackoff: true });
          if (opts.workers) {
            const { cron, tz } = opts.schedules[name];
            await boss.schedule(name, cron, {}, { tz });
            const handler = handlerOf(name);
            await boss.work(name, async () => {
              const result = await handler();
              app.log.info({ job: name, ...result }, 'job done');
              return result;
            });
          }
        }
        for (const name of TASK_NAMES) {
          await boss.createQueue(name, {
            name,
            policy: TASK_POLICIES[name] ?? 'standard',
            retryLimit: 5,
            retryDelay: 30,
            retryBackoff: true,
          });
          const handler = taskHandlers.get(name);
          if (opts.workers && handler)
            await boss.work<Record<string, unknown>>(
              name,
              { includeMetadata: true, pollingIntervalSeconds: 1 },
              async ([job]) => {
                if (!job) return {};
                return handler({ data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
              },
            );
        }
      });
    // Stops polling at once and lets a running job finish within the grace period, while the
    // HTTP requests drain (the database stays open until both are done); a job still running
    // then is failed and retried later (handlers are idempotent).
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= boss?.stop({ graceful: true, wait: true, timeout: opts.stopTimeoutMs }));
    app.addHook('preClose', async () => void stop()?.catch(() => undefined));
    app.addHook('onClose', async () => stop());
    app.decorate('jobs', {
      handle: (name: JobName, handler: JobHandler) => void handlers.set(name, handler),
      state: async () => {
        if (!boss) return 'none';
        // After an error, ask pg-boss once more: a process without workers sends no queries of
        // its own that could tell it recovered.
        if (failing()) await boss.getQueue(JOB_NAMES[0]).catch(() => undefined);
        return failing() ? 'down' : 'ok';
      },
      runNow: (name: JobName) => handlerOf(name)(),
      handleTask: (name: TaskName, handler: TaskHandler) => void taskHandlers.set(name, handler),
      enqueue: async (tx, name, data, options = {}) => {
        if (!boss) return false;
        // pg-boss writes the job with the transaction's own connection.
        await boss.send(name, data, { ...options, db: { executeSql: sqlOfTransaction(tx) } });
        return true;
      },
    } satisfies Jobs);
  },
  { name: 'queue' },
);
