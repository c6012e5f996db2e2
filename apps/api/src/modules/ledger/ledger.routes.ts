import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import { Earnings, LedgerEntry, LedgerQuery } from './ledger.schemas.js';

/** The ledger as its parties see it, and an influencer's earnings. Read-only by design. */
export const ledgerRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { ledger } }) => {
  const security = [{ bearer: [] }];
  app.get(
    '/transactions',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ledger'],
        summary: 'Ledger rows (reserve, release, refund) where the caller is a party; admins see all',
        security,
        querystring: LedgerQuery,
        response: { 200: Page(LedgerEntry), ...errors(400, 401, 403) },
      },
    },
    async (request) => ledger.list(actorOf(request), request.query),
  );
  app.get(
    '/earnings',
    {
      config: { auth: ['influencer'] },
      schema: {
        tags: ['ledger'],
        summary: "The influencer's earnings: paid (sum of releases), pending (reserved), per month",
        security,
        response: { 200: Earnings, ...errors(401, 403) },
      },
    },
    async (request) => ledger.earnings(actorOf(request)),
  );
};
