import type { AppModule } from '../module.js';
import { conversationsRoutes } from './conversations.routes.js';
import { createConversationsService, type ConversationsService } from './conversations.service.js';
import { createDealEventsService } from './deal-events.service.js';
import { MESSAGING_SCHEMAS } from './messaging.schemas.js';

declare module '../module.js' {
  interface Services {
    conversations: ConversationsService;
  }
}

/** Sponsor–influencer conversations, and every deal event told in them. */
export const messagingModule: AppModule = {
  name: 'messaging',
  needs: ['accounts', 'ad-requests', 'notifications'],
  schemas: MESSAGING_SCHEMAS,
  setup(ctx) {
    const { services } = ctx;
    const conversations = createConversationsService({
      db: ctx.db,
      events: ctx.events,
      rateLimits: ctx.rateLimits,
      accounts: services.accounts,
    });
    services.conversations = conversations;
    const dealEvents = createDealEventsService({
      adRequests: services.adRequests,
      conversations,
      notifications: services.notifications,
    });
    ctx.events.on('ad_request.changed', dealEvents.announce);
  },
  routes: conversationsRoutes,
};
