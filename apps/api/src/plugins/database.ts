import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

/**
 * Exposes the opened database. The process entry (or the test helper) opens and migrates it,
 * because "unreachable at start" must stop the process before anything listens.
 */
export default fp(
  async function databasePlugin(app: FastifyInstance, opts: { database: Database; ownsDatabase: boolean }) {
    app.decorate('database', opts.database);
    if (opts.ownsDatabase) app.addHook('onClose', async () => opts.database.close());
  },
  { name: 'database' },
);
