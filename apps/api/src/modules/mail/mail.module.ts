import { loadSigningSecret } from '../../db/settings.js';
import type { AppModule } from '../module.js';
import { MAIL_SCHEMAS } from './mail.schemas.js';
import { mailRoutes } from './mail.routes.js';
import { createMailService, type MailService } from './mail.service.js';
import { createUnsubscribeTokens } from './mail.tokens.js';
import { createMailTransport } from './mail.transport.js';

declare module '../module.js' {
  interface Services {
    mail: MailService;
  }
}

/** Mail: the outbox of every mail, delivery jobs over SMTP (or the local outbox), unsubscribing. */
export const mailModule: AppModule = {
  name: 'mail',
  needs: ['notifications', 'audit'],
  schemas: MAIL_SCHEMAS,
  async setup(ctx) {
    // Unsubscribe links are signed with a key derived from the access-token secret.
    const secret = ctx.config.JWT_SECRET ?? (await loadSigningSecret(ctx.db));
    const mail = createMailService({
      db: ctx.db,
      config: ctx.config,
      jobs: ctx.jobs,
      transport: createMailTransport(ctx.config.SMTP_URL),
      tokens: createUnsubscribeTokens(secret),
      notifications: ctx.services.notifications,
      audit: ctx.services.audit,
    });
    ctx.services.mail = mail;
    ctx.events.on('notification.created', mail.onNotification);
    ctx.jobs.handleTask('deliver-mail', mail.deliver);
  },
  routes: mailRoutes,
};
