import type { AppModule } from '../module.js';
import { DIRECTORY_SCHEMAS } from './directory.schemas.js';
import { directoryRoutes } from './directory.routes.js';
import { createDirectoryService, type DirectoryService } from './directory.service.js';

declare module '../module.js' {
  interface Services {
    directory: DirectoryService;
  }
}

/** Finding people: influencer search and public profiles of influencers and sponsors. */
export const directoryModule: AppModule = {
  name: 'directory',
  needs: ['accounts', 'reviews'],
  schemas: DIRECTORY_SCHEMAS,
  setup(ctx) {
    ctx.services.directory = createDirectoryService({
      db: ctx.db,
      cache: ctx.cache,
      accounts: ctx.services.accounts,
      reviews: ctx.services.reviews,
    });
  },
  routes: directoryRoutes,
};
