import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, ReasonBody, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import { AdminReview, AdminReviewQuery, DealReviews, ReceivedQuery, Review, ReviewBody } from './reviews.schemas.js';

const security = [{ bearer: [] }];
const admin = { auth: ['admin' as const] };

/** Reviews of completed deals and their moderation (API.md "Reviews, reports, moderation"). */
export const reviewsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { reviews } }) => {
  app.post(
    '/ad-requests/:id/review',
    {
      config: { auth: ['sponsor', 'influencer'] },
      schema: {
        tags: ['reviews'],
        summary:
          'Review the other party of a completed ad request (once; private until both reviewed or the window closes)',
        security,
        params: IdParams,
        body: ReviewBody,
        response: { 201: Ref(Review), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return reviews.submit(actorOf(request), request.params.id, request.body);
    },
  );

  app.get(
    '/ad-requests/:id/reviews',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['reviews'],
        summary: "An ad request's reviews as the caller may see them, and whether the caller may still review",
        security,
        params: IdParams,
        response: { 200: Ref(DealReviews), ...errors(401, 404) },
      },
    },
    async (request) => reviews.ofDeal(actorOf(request), request.params.id),
  );

  app.get(
    '/users/:id/reviews',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['reviews'],
        summary: 'Published reviews a sponsor or influencer received, newest first',
        security,
        params: IdParams,
        querystring: ReceivedQuery,
        response: { 200: Page(Ref(Review)), ...errors(400, 401, 404) },
      },
    },
    async (request) => reviews.received(actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/admin/reviews',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary:
          'Every review, published or not, newest first; filters by publication, hiding, subject, author, deal, rating',
        security,
        querystring: AdminReviewQuery,
        response: { 200: Page(Ref(AdminReview)), ...errors(400, 401, 403) },
      },
    },
    async (request) => reviews.list(request.query),
  );

  app.post(
    '/admin/reviews/:id/hide',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Hide a review from everyone but admins (audited; its author is told; 409 if already hidden)',
        security,
        params: IdParams,
        body: ReasonBody,
        response: { 200: Ref(AdminReview), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => reviews.hide(actorOf(request), request.params.id, request.body.reason),
  );
};
