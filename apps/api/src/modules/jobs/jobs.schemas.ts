import { Type, type Static } from '@sinclair/typebox';
import { RUN_STATES } from '../../jobs/queue.js';
import { Id, Nullable, Ref, StringEnum, Timestamp } from '../../lib/schemas.js';

export const JobRun = Type.Object(
  {
    id: Id,
    /** pg-boss's state: `created` waits for a worker, `retry` waits to be tried again. */
    state: StringEnum(RUN_STATES),
    /** When it was queued (by the schedule, an admin, or a change for a task). */
    createdAt: Timestamp,
    startedAt: Nullable(Timestamp),
    finishedAt: Nullable(Timestamp),
    result: Nullable(
      Type.Record(Type.String(), Type.Unknown(), { description: 'What the run reported when done (counts)' }),
    ),
    error: Nullable(Type.String({ description: 'What the last failed attempt said' })),
    /** Queued by an admin's "run now". */
    manual: Type.Boolean(),
  },
  { $id: 'JobRun' },
);
export type JobRunDto = Static<typeof JobRun>;

export const JobItem = Type.Object(
  {
    name: Type.String(),
    /** `job`: runs on a schedule and can be run now; `task`: queued by a change, with its data. */
    kind: StringEnum(['job', 'task'] as const),
    /** The cron expression (five fields), read in `timezone`; null for a task. */
    schedule: Nullable(Type.String()),
    timezone: Nullable(Type.String({ description: 'IANA time zone of the schedule' })),
    nextRunAt: Nullable(Timestamp),
    /** The latest runs, newest first. */
    runs: Type.Array(Ref(JobRun)),
  },
  { $id: 'JobItem' },
);
export type JobItemDto = Static<typeof JobItem>;

export const JobList = Type.Object({ items: Type.Array(Ref(JobItem)) });
export const JobParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
export const QueuedJob = Type.Object({ id: Id });

export const JOBS_SCHEMAS = [JobRun, JobItem];
