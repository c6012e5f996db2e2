import type { AppModule } from '../module.js';
import { createRemindersService, type RemindersService } from './reminders.service.js';

declare module '../module.js' {
  interface Services {
    reminders: RemindersService;
  }
}

/** Daily reminders: one digest a day (mail, and the user's chat webhook) of what awaits each user. */
export const remindersModule: AppModule = {
  name: 'reminders',
  needs: ['mail', 'notifications'],
  setup(ctx) {
    const reminders = createRemindersService({
      db: ctx.db,
      config: ctx.config,
      jobs: ctx.jobs,
      mail: ctx.services.mail,
      notifications: ctx.services.notifications,
      now: () => new Date(),
    });
    ctx.services.reminders = reminders;
    ctx.jobs.handle('daily-reminders', reminders.run);
    ctx.jobs.handleTask('post-chat-webhook', reminders.postWebhook);
  },
};
