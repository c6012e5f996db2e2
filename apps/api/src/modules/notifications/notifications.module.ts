import type { AppModule } from '../module.js';
import { NOTIFICATION_SCHEMAS } from './notifications.schemas.js';
import { notificationsRoutes } from './notifications.routes.js';
import { createNotificationsService, type NotificationsService } from './notifications.service.js';

declare module '../module.js' {
  interface Services {
    notifications: NotificationsService;
  }
}

/** In-app notifications with live pushes, read marks, and per-type email choices. */
export const notificationsModule: AppModule = {
  name: 'notifications',
  schemas: NOTIFICATION_SCHEMAS,
  setup(ctx) {
    ctx.services.notifications = createNotificationsService({
      db: ctx.db,
      webhook: {
        hosts: ctx.config.WEBHOOK_ALLOWED_HOSTS.split(','),
        allowHttp: ctx.config.WEBHOOK_ALLOW_HTTP === true,
      },
    });
  },
  routes: notificationsRoutes,
};
