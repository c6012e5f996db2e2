import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, ReasonBody, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendCached } from '../../plugins/cache.js';
import type { ModuleContext } from '../module.js';
import { Campaign, CampaignQuery, CampaignStats, CreateCampaignBody, UpdateCampaignBody } from './campaigns.schemas.js';

const security = [{ bearer: [] }];

/** Campaign CRUD and search for signed-in users; the admin's flag and unflag. */
export const campaignsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { campaigns } }) => {
  app.post(
    '/campaigns',
    {
      config: { auth: ['sponsor'] },
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign (approved sponsors)',
        security,
        body: CreateCampaignBody,
        response: { 201: Ref(Campaign), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await campaigns.create(actorOf(request), request.body)),
  );

  app.get(
    '/campaigns',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['campaigns'],
        summary: 'Search the campaigns the caller may see (full text with prefixes, filters, sorts, keyset pages)',
        security,
        querystring: CampaignQuery,
        response: { 200: Page(Ref(Campaign)), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      return sendCached(reply, await campaigns.search(actorOf(request), request.query));
    },
  );

  app.get(
    '/campaigns/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['campaigns'],
        summary: 'One campaign, if the caller may see it',
        security,
        params: IdParams,
        response: { 200: Ref(Campaign), ...errors(401, 403, 404) },
      },
    },
    async (request) => campaigns.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { auth: ['sponsor'] },
      schema: {
        tags: ['campaigns'],
        summary: 'Change a campaign (its owner); the budget cannot go below reserved + spent',
        security,
        params: IdParams,
        body: UpdateCampaignBody,
        response: { 200: Ref(Campaign), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => campaigns.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/campaigns/:id',
    {
      config: { auth: ['sponsor'] },
      schema: {
        tags: ['campaigns'],
        summary: 'Delete a campaign (its owner)',
        security,
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await campaigns.remove(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/campaigns/:id/stats',
    {
      config: { auth: ['sponsor', 'admin'] },
      schema: {
        tags: ['campaigns'],
        summary: 'Money and ad-request figures of a campaign (owner and admins)',
        security,
        params: IdParams,
        response: { 200: Ref(CampaignStats), ...errors(401, 403, 404) },
      },
    },
    async (request) => campaigns.stats(actorOf(request), request.params.id),
  );

  for (const [action, summary] of [
    ['flag', 'Flag a campaign (hidden from everyone but its owner and admins)'],
    ['unflag', 'Remove the flag from a campaign'],
  ] as const) {
    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      `/admin/campaigns/:id/${action}`,
      {
        config: { auth: ['admin'] },
        schema: {
          tags: ['admin'],
          summary,
          security,
          params: IdParams,
          ...(action === 'flag' ? { body: ReasonBody } : {}),
          response: { 200: Ref(Campaign), ...errors(400, 401, 403, 404) },
        },
      },
      async (request) =>
        campaigns.setFlag(actorOf(request), request.params.id, action === 'flag' ? request.body.reason.trim() : null),
    );
  }
};
