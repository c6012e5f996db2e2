import cronParser from 'cron-parser';
import type { Db } from '../../db/client.js';
import { JOB_NAMES, TASK_NAMES, type JobName, type JobRun, type Jobs } from '../../jobs/queue.js';
import type { Actor } from '../../lib/actor.js';
import { conflict, notFound } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { JobItemDto, JobRunDto } from './jobs.schemas.js';

/** How many runs of each job the admin sees. */
export const RECENT_RUNS = 10;

/** When a cron expression read in `tz` fires next after `now`. */
export function nextRunOf(cron: string, tz: string, now: Date): Date {
  return cronParser.parseExpression(cron, { tz, currentDate: now }).next().toDate();
}

const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);

/**
 * The admin's view of the scheduled jobs and tasks. The runs are pg-boss's own records (the
 * queue keeps them), so there is no second bookkeeping that could disagree with what ran.
 */
export function createJobsService(deps: { db: Db; jobs: Jobs; audit: AuditService; now?: () => Date }) {
  const { db, jobs, audit } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** Every job (schedule, next run) and every task (no schedule), each with its recent runs. */
    async list(): Promise<{ items: JobItemDto[] }> {
      const names = [...JOB_NAMES, ...TASK_NAMES];
      const runs = await jobs.recentRuns(names, RECENT_RUNS);
      const runsOf = (name: string) => runs.filter((r) => r.name === name).map(presentRun);
      const at = now();
      return {
        items: [
          ...JOB_NAMES.map((name) => {
            const { cron, tz } = jobs.schedules[name];
            return {
              name,
              kind: 'job' as const,
              schedule: cron,
              timezone: tz,
              nextRunAt: nextRunOf(cron, tz, at).toISOString(),
              runs: runsOf(name),
            };
          }),
          ...TASK_NAMES.map((name) => ({
            name,
            kind: 'task' as const,
            schedule: null,
            timezone: null,
            nextRunAt: null,
            runs: runsOf(name),
          })),
        ],
      };
    },

    /** Queues one run now, with the audit row, in one transaction; a worker runs it. */
    async runNow(actor: Actor, name: string): Promise<{ id: string }> {
      if (!isJobName(name)) {
        if ((TASK_NAMES as readonly string[]).includes(name))
          throw conflict(`${name} is a task: it runs with the data of the change that queued it, not on its own.`);
        throw notFound('job');
      }
      const id = await db.transaction(async (tx) => {
        const queued = await jobs.queueNow(tx, name, actor.id);
        await audit.record(tx, {
          actorId: actor.id,
          action: 'run_job',
          subjectType: 'job',
          subjectId: queued,
          details: { name },
        });
        return queued;
      });
      return { id };
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;

function presentRun(run: JobRun): JobRunDto {
  return {
    id: run.id,
    state: run.state,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    result: run.result,
    error: run.error,
    manual: run.manual,
  };
}
