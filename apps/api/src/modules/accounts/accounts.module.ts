import type { AppModule } from '../module.js';
import { ACCOUNT_SCHEMAS } from './accounts.schemas.js';
import { accountsRoutes } from './accounts.routes.js';
import { createAccountsService, type AccountsService } from './accounts.service.js';
import { createAvatarsService, type AvatarsService } from './avatars.service.js';
import { createLastSeenService, type LastSeenService } from './last-seen.service.js';
import { moderationRoutes } from './moderation.routes.js';
import { createModerationService, type ModerationService } from './moderation.service.js';
import { createSessionsService, type SessionsService } from './sessions.service.js';

declare module '../module.js' {
  interface Services {
    accounts: AccountsService;
    sessions: SessionsService;
    avatars: AvatarsService;
    moderation: ModerationService;
    lastSeen: LastSeenService;
  }
}

/** Users and their profiles: sign-up, sessions, the own account, avatars, and the admin's moderation. */
export const accountsModule: AppModule = {
  name: 'accounts',
  needs: ['audit', 'notifications'],
  schemas: ACCOUNT_SCHEMAS,
  setup(ctx) {
    const { db, events, services } = ctx;
    const sessions = createSessionsService({
      events,
      tokens: ctx.tokens,
      refreshTtlDays: ctx.config.REFRESH_TOKEN_TTL_DAYS,
    });
    services.sessions = sessions;
    services.accounts = createAccountsService({ db, events, sessions, rateLimits: ctx.rateLimits });
    services.avatars = createAvatarsService({ db, events });
    services.lastSeen = createLastSeenService({ db });
    services.moderation = createModerationService({
      db,
      events,
      sessions,
      audit: services.audit,
      notifications: services.notifications,
      realtime: ctx.realtime,
    });
  },
  async routes(app, ctx) {
    await app.register(accountsRoutes, ctx);
    await app.register(moderationRoutes, ctx);
  },
};
