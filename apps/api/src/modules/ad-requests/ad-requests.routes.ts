import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import type { AdRequestAction } from '@iescp/shared';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import {
  AcceptBody,
  AdRequest,
  AdRequestQuery,
  CancelBody,
  CounterBody,
  CreateAdRequestBody,
  DeliverBody,
  EditBody,
  EmptyBody,
  RejectBody,
  RevisionBody,
} from './ad-requests.schemas.js';
import type { ModuleContext } from '../module.js';
import type { ActionInput } from './ad-requests.service.js';

const security = [{ bearer: [] }];

/** The POST actions: path segment, table action, body schema, summary. */
const ACTIONS: [string, AdRequestAction, TSchema, string][] = [
  ['counter', 'counter', CounterBody, 'Counter the latest offer (the party it awaits)'],
  [
    'accept',
    'accept',
    AcceptBody,
    'Accept the latest offer: reserves its payment from the campaign budget, or 409 budget_exceeded',
  ],
  ['reject', 'reject', RejectBody, 'Reject the latest offer (the party it awaits)'],
  ['withdraw', 'withdraw', EmptyBody, 'Withdraw an open request (either party)'],
  ['deliver', 'deliver', DeliverBody, 'Deliver the work with a link to it (influencer)'],
  ['request-revision', 'request_revision', RevisionBody, 'Ask for changes to delivered work (sponsor)'],
  ['complete', 'complete', EmptyBody, 'Approve delivered work: the reservation is paid to the influencer (sponsor)'],
  ['cancel', 'cancel', CancelBody, 'Cancel an accepted deal: the reservation returns to the campaign (either party)'],
];

/** Offers, negotiation, delivery and payment (API.md "Ad requests"). */
export const adRequestsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { adRequests } }) => {
  app.post(
    '/ad-requests',
    {
      config: { auth: ['sponsor', 'influencer'] },
      schema: {
        tags: ['ad-requests'],
        summary:
          'Invite an influencer to a campaign (sponsor, with influencerId) or apply to a public active campaign (influencer)',
        security,
        body: CreateAdRequestBody,
        response: { 201: Ref(AdRequest), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await adRequests.create(actorOf(request), request.body)),
  );

  app.get(
    '/ad-requests',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ad-requests'],
        summary: 'Ad requests where the caller is a party (admins: all), newest first',
        security,
        querystring: AdRequestQuery,
        response: { 200: Page(Ref(AdRequest)), ...errors(400, 401, 403) },
      },
    },
    async (request) => adRequests.list(actorOf(request), request.query),
  );

  app.get(
    '/ad-requests/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ad-requests'],
        summary: 'One ad request with its offer history and the caller’s abilities',
        security,
        params: IdParams,
        response: { 200: Ref(AdRequest), ...errors(401, 403, 404) },
      },
    },
    async (request) => adRequests.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/ad-requests/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ad-requests'],
        summary: 'Edit the opening offer before any counter-offer (the initiator); adds an offer version',
        security,
        params: IdParams,
        body: EditBody,
        response: { 200: Ref(AdRequest), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => adRequests.act(actorOf(request), request.params.id, 'edit', request.body),
  );

  for (const [segment, action, body, summary] of ACTIONS) {
    app.post<{ Params: { id: string }; Body: ActionInput }>(
      `/ad-requests/:id/${segment}`,
      {
        config: { auth: 'user' },
        schema: {
          tags: ['ad-requests'],
          summary,
          security,
          params: IdParams,
          body,
          response: { 200: Ref(AdRequest), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => adRequests.act(actorOf(request), request.params.id, action, request.body),
    );
  }

  app.delete(
    '/ad-requests/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ad-requests'],
        summary: 'Remove a pending, rejected, withdrawn or expired request from the lists (its sponsor)',
        security,
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await adRequests.act(actorOf(request), request.params.id, 'delete');
      return reply.code(204).send(null);
    },
  );
};
