import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, ReasonBody, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import { User, UserListQuery } from './accounts.schemas.js';

/** The admin's user management; the gate answers 401/403 before any handler runs. */
export const moderationRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (
  app,
  { services: { moderation: adminUsers } },
) => {
  const gate = { auth: ['admin'] as const };
  const security = [{ bearer: [] }];
  const userAction = (summary: string, withReason: boolean) => ({
    config: gate,
    schema: {
      tags: ['admin'],
      summary,
      security,
      params: IdParams,
      ...(withReason ? { body: ReasonBody } : {}),
      response: { 200: Ref(User), ...errors(400, 401, 403, 404, 409) },
    },
  });

  app.get(
    '/admin/users',
    {
      config: gate,
      schema: {
        tags: ['admin'],
        summary: 'List users, newest first, with filters',
        security,
        querystring: UserListQuery,
        response: { 200: Page(Ref(User)), ...errors(400, 401, 403) },
      },
    },
    async (request) => adminUsers.list(actorOf(request), request.query),
  );

  app.post('/admin/users/:id/approve', userAction('Approve a sponsor awaiting approval', false), async (request) =>
    adminUsers.approve(actorOf(request), request.params.id),
  );
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/admin/users/:id/deactivate',
    userAction('Deactivate a user (their tokens stop working at once)', true),
    async (request) => adminUsers.deactivate(actorOf(request), request.params.id, request.body.reason),
  );
  app.post('/admin/users/:id/reactivate', userAction('Reactivate a deactivated user', false), async (request) =>
    adminUsers.reactivate(actorOf(request), request.params.id),
  );
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/admin/users/:id/flag',
    userAction('Flag a user (hidden from search for everyone but admins)', true),
    async (request) => adminUsers.flag(actorOf(request), request.params.id, request.body.reason),
  );
  app.post('/admin/users/:id/unflag', userAction('Remove the flag from a user', false), async (request) =>
    adminUsers.unflag(actorOf(request), request.params.id),
  );
};
