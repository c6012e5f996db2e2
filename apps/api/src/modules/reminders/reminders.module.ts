import type { AppModule } from '../module.js';

/** Daily reminders: one digest a day (mail, and the user's chat webhook) of what awaits each user. */
export const remindersModule: AppModule = {
  name: 'reminders',
  needs: ['mail', 'notifications'],
  setup(ctx) {
    // SKELETON (being built): replaced by the reminders service.
    ctx.jobs.handle('daily-reminders', async () => ({ reminded: 0 }));
  },
};
