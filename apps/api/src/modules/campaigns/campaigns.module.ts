import type { AppModule } from '../module.js';
import { CAMPAIGN_SCHEMAS } from './campaigns.schemas.js';
import { campaignsRoutes } from './campaigns.routes.js';
import { createCampaignsService, type CampaignsService } from './campaigns.service.js';

declare module '../module.js' {
  interface Services {
    campaigns: CampaignsService;
  }
}

/** Campaigns: a sponsor's CRUD with budget, everyone's search, the admin's flag. */
export const campaignsModule: AppModule = {
  name: 'campaigns',
  needs: ['audit', 'notifications'],
  schemas: CAMPAIGN_SCHEMAS,
  setup(ctx) {
    const { services } = ctx;
    services.campaigns = createCampaignsService({
      db: ctx.db,
      events: ctx.events,
      cache: ctx.cache,
      audit: services.audit,
      notifications: services.notifications,
    });
  },
  routes: campaignsRoutes,
};
