import type { AppModule } from '../module.js';
import { REVIEW_SCHEMAS } from './reviews.schemas.js';
import { reviewsRoutes } from './reviews.routes.js';
import { createReviewsService, type ReviewsService } from './reviews.service.js';

declare module '../module.js' {
  interface Services {
    reviews: ReviewsService;
  }
}

/** Two-sided double-blind reviews of completed deals, rating summaries, and their moderation. */
export const reviewsModule: AppModule = {
  name: 'reviews',
  needs: ['accounts', 'notifications', 'audit'],
  schemas: REVIEW_SCHEMAS,
  setup(ctx) {
    const reviews = createReviewsService({
      db: ctx.db,
      events: ctx.events,
      accounts: ctx.services.accounts,
      notifications: ctx.services.notifications,
      audit: ctx.services.audit,
      windowDays: ctx.config.REVIEW_WINDOW_DAYS,
    });
    ctx.services.reviews = reviews;
    ctx.events.on('ad_request.changed', reviews.remindOnCompletion);
    ctx.jobs.handle('publish-reviews', async () => ({ ...(await reviews.publishDue()) }));
  },
  routes: reviewsRoutes,
};
