import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import { JobList, JobParams, QueuedJob } from './jobs.schemas.js';

const admin = { auth: ['admin' as const] };
const security = [{ bearer: [] }];

/** The admin's jobs page (API.md "Dashboards, reports, exports, jobs, mail"). */
export const jobsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { jobs } }) => {
  app.get(
    '/admin/jobs',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Every scheduled job and task: schedule, next run, the latest runs',
        security,
        response: { 200: JobList, ...errors(401, 403) },
      },
    },
    async () => jobs.list(),
  );

  app.post(
    '/admin/jobs/:name/run',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Queue one run of a scheduled job now; a worker runs it (a task cannot be run on its own: 409)',
        security,
        params: JobParams,
        response: { 202: QueuedJob, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await jobs.runNow(actorOf(request), request.params.name)),
  );
};
