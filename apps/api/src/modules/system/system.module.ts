import type { AppModule } from '../module.js';
import { systemRoutes } from './system.routes.js';

/** Public facts about the platform (meta) and the process (health). */
export const systemModule: AppModule = {
  name: 'system',
  routes: systemRoutes,
};
