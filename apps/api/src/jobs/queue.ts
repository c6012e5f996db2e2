import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { Config } from '../config.js';
import { sqlOfTransaction, type Database, type Tx } from '../db/client.js';
import { AppError } from '../lib/errors.js';

/** Every scheduled job: its cron and what it runs. Handlers reload state and are idempotent. */
export const JOB_NAMES = [
  'expire-offers',
  'auto-complete',
  'publish-reviews',
  'daily-reminders',
  'monthly-reports',
] as const;
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
    // Reviews whose double-blind window closed; reads show published reviews only, so at most an hour late.
    'publish-reviews': { cron: '20 * * * *', tz: 'UTC' },
    'daily-reminders': { cron: `0 ${config.REMINDER_HOUR} * * *`, tz: config.REMINDER_TIMEZONE },
    // On the 1st, early, so the month before is complete everywhere.
    'monthly-reports': { cron: '0 6 1 * *', tz: 'UTC' },
  };
}

/**
 * Work queued by a change (not by a clock): each job carries its data, and is enqueued in the
 * transaction of the change that causes it (`Jobs.enqueue`).
 */
export const TASK_NAMES = ['deliver-mail', 'post-chat-webhook', 'chat-mail'] as const;
export type TaskName = (typeof TASK_NAMES)[number];
/** Jobs of one task a worker takes (and runs side by side) per fetch. */
const TASK_BATCH_SIZE = 20;

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

/** How a failed task is retried (what `enqueueMany` takes: a batch has no delay or key). */
export type RetryOptions = Pick<EnqueueOptions, 'retryLimit' | 'retryDelay' | 'retryBackoff'>;

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

/** pg-boss's job states: `created` waits for a worker, `retry` waits to be tried again. */
export const RUN_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One run of a job or task, as pg-boss keeps it (its live table, then its archive). */
export interface JobRun {
  id: string;
  name: string;
  state: RunState;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** What the handler returned (counts), once completed. */
  result: Record<string, unknown> | null;
  /** What the last failed attempt threw. */
  error: string | null;
  /** Queued by an admin's "run now" (else by the schedule, or by a change for a task). */
  manual: boolean;
}

export interface Jobs {
  /** Defines what a job runs; the module that owns the work calls this in its setup. */
  handle(name: JobName, handler: JobHandler): void;
  /** The schedule of every job, as given to this process. */
  readonly schedules: Record<JobName, JobSchedule>;
  /**
   * 'ok' while the queue works, 'down' while its last database round trip failed (asked again
   * before answering, so a recovered queue says 'ok'); 'none' when this process runs no queue.
   */
  state(): Promise<'ok' | 'none' | 'down'>;
  /**
   * Queues one run of a job now, inside the caller's transaction (with the audit row of the
   * admin who asked); a worker picks it up, in this process or another (PROCESS_ROLE=api has a
   * queue without workers). Returns the job's id. 503 when this process runs no queue.
   */
  queueNow(tx: Tx, name: JobName, requestedBy: string): Promise<string>;
  /**
   * Runs a job's handler here and now, outside the queue: for tests that drive the timers
   * themselves and check what a run changed. The application queues (`queueNow`).
   */
  runHere(name: JobName): Promise<Record<string, number>>;
  /** The latest `limit` runs of each named job or task, newest first; [] without a queue. */
  recentRuns(names: readonly string[], limit: number): Promise<JobRun[]>;
  /** Defines what a task runs (workers of this process pick it up when `workers` is on). */
  handleTask(name: TaskName, handler: TaskHandler): void;
  /**
   * Enqueues a task inside the caller's transaction, so the job exists if and only if the change
   * that caused it commits. Returns false when this process runs no queue (tests that drive the
   * handlers themselves): nothing is enqueued then.
   */
  enqueue(tx: Tx, name: TaskName, data: Record<string, unknown>, options?: EnqueueOptions): Promise<boolean>;
  /** `enqueue` for many jobs of one task in one statement (a batch of reminder mails). */
  enqueueMany(
    tx: Tx,
    name: TaskName,
    data: readonly Record<string, unknown>[],
    options?: RetryOptions,
  ): Promise<boolean>;
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
      /** How often a worker asks whether a schedule is due (pg-boss's default, 30 s, unless set). */
      cronCheckSeconds?: number;
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
    // pg-boss records a batch as complete after its handler returns without waiting for that
    // write, so a stop can see the worker idle while the write is still on its way: closing the
    // database then made it fail as an unhandled rejection. The close waits for these.
    const inFlight = new Set<Promise<unknown>>();
    async function executeSql(text: string, values?: unknown[]) {
      const query = opts.database.executeSql(text, values);
      inFlight.add(query);
      try {
        const result = await query;
        lastOkAt = performance.now();
        return result;
      } catch (error) {
        lastErrorAt = performance.now();
        throw error;
      } finally {
        inFlight.delete(query);
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
          // Only workers write schedules and check them: a schedule is one row per job however
          // many instances start, and pg-boss sends one job per slot (a singleton per minute)
          // however many workers check it.
          schedule: opts.workers,
          migrate: true,
          ...(opts.cronCheckSeconds
            ? { cronMonitorIntervalSeconds: opts.cronCheckSeconds, cronWorkerIntervalSeconds: opts.cronCheckSeconds }
            : {}),
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
          if (opts.workers && handler) {
            const b = boss;
            // Tasks come in bursts (a day's reminder mails): a worker takes a batch, runs its jobs
            // side by side and settles each on its own (pg-boss would complete or fail a batch as
            // one; it leaves the settled ones alone), and fetches again at once while batches
            // come back full. One job per poll would deliver one mail a second.
            const workerId = await b.work<Record<string, unknown>>(
              name,
              { includeMetadata: true, pollingIntervalSeconds: 1, batchSize: TASK_BATCH_SIZE },
              async (batch) => {
                await Promise.all(
                  batch.map(async (job) => {
                    try {
                      const result = await handler({
                        data: job.data,
                        retryCount: job.retryCount,
                        retryLimit: job.retryLimit,
                      });
                      await b.complete(name, job.id, result);
                    } catch (error) {
                      await b.fail(name, job.id, error as object).catch((err: unknown) => {
                        lastErrorAt = performance.now();
                        app.log.error({ err, job: name }, 'could not record a failed task');
                      });
                    }
                  }),
                );
                if (batch.length === TASK_BATCH_SIZE) b.notifyWorker(workerId);
              },
            );
          }
        }
      });
    // Stops polling at once and lets a running job finish within the grace period, while the
    // HTTP requests drain (the database stays open until both are done); a job still running
    // then is failed and retried later (handlers are idempotent).
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= boss?.stop({ graceful: true, wait: true, timeout: opts.stopTimeoutMs }));
    app.addHook('preClose', async () => void stop()?.catch(() => undefined));
    app.addHook('onClose', async () => {
      await stop();
      await Promise.allSettled([...inFlight]);
    });
    app.decorate('jobs', {
      handle: (name: JobName, handler: JobHandler) => void handlers.set(name, handler),
      state: async () => {
        if (!boss) return 'none';
        // After an error, ask pg-boss once more: a process without workers sends no queries of
        // its own that could tell it recovered.
        if (failing()) await boss.getQueue(JOB_NAMES[0]).catch(() => undefined);
        return failing() ? 'down' : 'ok';
      },
      schedules: opts.schedules,
      queueNow: async (tx, name, requestedBy) => {
        if (!boss) throw noQueue();
        // Not retried: the admin sees a failed run at once and decides whether to run it again.
        const id = await boss.send(name, { requestedBy }, { retryLimit: 0, db: { executeSql: sqlOfTransaction(tx) } });
        if (!id) throw new Error(`pg-boss did not queue ${name}`);
        return id;
      },
      runHere: (name: JobName) => handlerOf(name)(),
      recentRuns: async (names, limit) => {
        if (!boss || names.length === 0) return [];
        // A run stays in pgboss.job until pg-boss archives it (12 h after it finished), then in
        // pgboss.archive for a week: the union is every run pg-boss still knows.
        const { rows } = await executeSql(
          `select id, name, state, created_on, started_on, completed_on, output, data
             from (select *, row_number() over (partition by name order by created_on desc, id desc) as n
                     from (select id, name, state, created_on, started_on, completed_on, output, data
                             from pgboss.job where name = any($1::text[])
                           union all
                           select id, name, state, created_on, started_on, completed_on, output, data
                             from pgboss.archive where name = any($1::text[])) as runs) as ranked
            where n <= $2
            order by name, created_on desc, id desc`,
          [[...names], limit],
        );
        return rows.map(presentRun);
      },
      handleTask: (name: TaskName, handler: TaskHandler) => void taskHandlers.set(name, handler),
      enqueue: async (tx, name, data, options = {}) => {
        if (!boss) return false;
        // pg-boss writes the job with the transaction's own connection.
        await boss.send(name, data, { ...options, db: { executeSql: sqlOfTransaction(tx) } });
        return true;
      },
      enqueueMany: async (tx, name, data, options = {}) => {
        if (!boss) return false;
        if (data.length === 0) return true;
        const { retryLimit, retryDelay, retryBackoff } = options;
        await boss.insert(
          data.map((d) => ({ name, data: d, retryLimit, retryDelay, retryBackoff })),
          { db: { executeSql: sqlOfTransaction(tx) } },
        );
        return true;
      },
    } satisfies Jobs);
  },
  { name: 'queue' },
);

/** Where no queue runs (only tests build such an app), nothing can be queued. */
const noQueue = () =>
  new AppError(503, 'unavailable', 'This process runs no job queue, so it cannot queue a job.', undefined, {
    'retry-after': '60',
  });

type RunRow = {
  id: string;
  name: string;
  state: RunState;
  created_on: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  output: unknown;
  data: unknown;
};

const dateOf = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * pg-boss keeps a completed run's return value in `output`, and a failed run's error there too
 * (serialized: `{message, stack}`, or `{value: {message}}` for a timeout).
 */
function presentRun(row: RunRow): JobRun {
  const output = row.output && typeof row.output === 'object' ? (row.output as Record<string, unknown>) : null;
  const failed = row.state === 'failed' || row.state === 'retry';
  const message = (o: unknown) =>
    o && typeof o === 'object' && typeof (o as { message?: unknown }).message === 'string'
      ? (o as { message: string }).message
      : undefined;
  const data = row.data && typeof row.data === 'object' ? (row.data as Record<string, unknown>) : {};
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    createdAt: new Date(row.created_on),
    startedAt: dateOf(row.started_on),
    finishedAt: row.state === 'completed' || row.state === 'failed' ? dateOf(row.completed_on) : null,
    result: row.state === 'completed' ? output : null,
    error: failed && output ? (message(output) ?? message(output.value) ?? JSON.stringify(output)) : null,
    manual: typeof data.requestedBy === 'string',
  };
}
