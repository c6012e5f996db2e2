import type { AppModule } from '../module.js';
import { createAdRequestTimers } from './ad-request-timers.js';
import { AD_REQUEST_SCHEMAS } from './ad-requests.schemas.js';
import { adRequestsRoutes } from './ad-requests.routes.js';
import { createAdRequestsService, type AdRequestsService } from './ad-requests.service.js';

declare module '../module.js' {
  interface Services {
    adRequests: AdRequestsService;
  }
}

/** Deals: invitations and applications, negotiation, the money that moves with them, and their timers. */
export const adRequestsModule: AppModule = {
  name: 'ad-requests',
  needs: ['campaigns', 'accounts', 'ledger', 'audit'],
  schemas: AD_REQUEST_SCHEMAS,
  setup(ctx) {
    const { services, config } = ctx;
    const adRequests = createAdRequestsService({
      db: ctx.db,
      events: ctx.events,
      campaigns: services.campaigns,
      accounts: services.accounts,
      ledger: services.ledger,
      audit: services.audit,
    });
    services.adRequests = adRequests;
    ctx.events.on('campaign.deleting', adRequests.withdrawOpenOfCampaign);
    const timers = createAdRequestTimers({
      db: ctx.db,
      service: adRequests,
      offerTtlDays: config.OFFER_TTL_DAYS,
      autoCompleteDays: config.AUTO_COMPLETE_DAYS,
    });
    ctx.jobs.handle('expire-offers', async () => ({ ...(await timers.expireOffers()) }));
    ctx.jobs.handle('auto-complete', async () => ({ ...(await timers.autoComplete()) }));
  },
  routes: adRequestsRoutes,
};
