import type { AppModule } from '../module.js';
import { JOBS_SCHEMAS } from './jobs.schemas.js';
import { jobsRoutes } from './jobs.routes.js';
import { createJobsService, type JobsService } from './jobs.service.js';

declare module '../module.js' {
  interface Services {
    jobs: JobsService;
  }
}

/** The admin's view of the scheduled jobs: schedules, next and recent runs, "run now". */
export const jobsModule: AppModule = {
  name: 'jobs',
  needs: ['audit'],
  schemas: JOBS_SCHEMAS,
  setup(ctx) {
    ctx.services.jobs = createJobsService({ db: ctx.db, jobs: ctx.jobs, audit: ctx.services.audit });
    // SKELETON (being built): the monthly report is filled in by the reports issue (15).
    ctx.jobs.handle('monthly-reports', async () => ({ reports: 0 }));
  },
  routes: jobsRoutes,
};
