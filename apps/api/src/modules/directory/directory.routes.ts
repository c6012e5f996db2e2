import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendCached } from '../../plugins/cache.js';
import type { ModuleContext } from '../module.js';
import { InfluencerCard, InfluencerQuery, PublicProfile } from './directory.schemas.js';

const security = [{ bearer: [] }];

/** Finding people: the influencer directory and public profiles (cached; `X-Cache` says how). */
export const directoryRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { directory } }) => {
  app.get(
    '/influencers',
    {
      config: { auth: ['sponsor', 'admin'] },
      schema: {
        tags: ['directory'],
        summary: 'Search influencers (full text over name, bio and handles; niche, platform, reach, rating, country)',
        security,
        querystring: InfluencerQuery,
        response: { 200: Page(Ref(InfluencerCard)), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      return sendCached(reply, await directory.searchInfluencers(actorOf(request), request.query));
    },
  );

  app.get(
    '/influencers/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['directory'],
        summary: "An influencer's public profile with rating summary and recent reviews",
        security,
        params: IdParams,
        response: { 200: Ref(PublicProfile), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      return sendCached(reply, await directory.influencerProfile(actorOf(request), request.params.id));
    },
  );

  app.get(
    '/sponsors/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['directory'],
        summary: "A sponsor's public profile with rating summary",
        security,
        params: IdParams,
        response: { 200: Ref(PublicProfile), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      return sendCached(reply, await directory.sponsorProfile(actorOf(request), request.params.id));
    },
  );
};
