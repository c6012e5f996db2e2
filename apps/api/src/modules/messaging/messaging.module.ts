import type { AppModule } from '../module.js';
import { createChatMailService, type ChatMailService } from './chat-mail.service.js';
import { conversationsRoutes } from './conversations.routes.js';
import { createConversationsService, type ConversationsService } from './conversations.service.js';
import { createDealEventsService } from './deal-events.service.js';
import { MESSAGING_SCHEMAS } from './messaging.schemas.js';

declare module '../module.js' {
  interface Services {
    conversations: ConversationsService;
    chatMail: ChatMailService;
  }
}

/** Sponsor–influencer conversations, every deal event told in them, and chat messages by email. */
export const messagingModule: AppModule = {
  name: 'messaging',
  needs: ['accounts', 'ad-requests', 'notifications', 'mail'],
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
    const chatMail = createChatMailService({
      db: ctx.db,
      jobs: ctx.jobs,
      delaySeconds: ctx.config.CHAT_MAIL_DELAY_SECONDS,
      accounts: services.accounts,
      notifications: services.notifications,
      mail: services.mail,
    });
    services.chatMail = chatMail;
    ctx.events.on('message.sent', chatMail.onMessageSent);
    ctx.jobs.handleTask('chat-mail', chatMail.run);
  },
  routes: conversationsRoutes,
};
