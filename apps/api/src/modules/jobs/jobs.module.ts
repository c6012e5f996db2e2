import type { AppModule } from '../module.js';

/** The admin's view of the scheduled jobs: schedules, next and recent runs, "run now". */
export const jobsModule: AppModule = {
  name: 'jobs',
  setup(ctx) {
    // SKELETON (being built): the monthly report is filled in by the reports issue (15).
    ctx.jobs.handle('monthly-reports', async () => ({ reports: 0 }));
  },
};
