import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LIMITS, ROLES, USER_STATUSES } from '@iescp/shared';
import { Page, PageQuery } from '../../lib/pagination.js';
import { errors, IdParams, Ref, StringEnum, Text, Timestamp } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { User } from '../accounts/accounts.schemas.js';
import type { AuditService } from '../audit/audit.service.js';
import type { createAdminUsersService } from './admin-users.service.js';

const ReasonBody = Type.Object({ reason: Text(LIMITS.reason.min, LIMITS.reason.max) }, { additionalProperties: false });

const AuditEntry = Type.Object({
  id: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

/** Admin-only routes; the gate answers 401/403 before any handler runs. */
export const adminRoutes: FastifyPluginAsyncTypebox<{
  adminUsers: ReturnType<typeof createAdminUsersService>;
  audit: AuditService;
}> = async (app, { adminUsers, audit }) => {
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
        querystring: Type.Object(
          {
            role: Type.Optional(StringEnum(ROLES)),
            status: Type.Optional(StringEnum(USER_STATUSES)),
            flagged: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ maxLength: LIMITS.search.max })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
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

  app.get(
    '/admin/audit-log',
    {
      config: gate,
      schema: {
        tags: ['admin'],
        summary: 'Every admin action (and, later, every money movement), newest first',
        security,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(AuditEntry), ...errors(400, 401, 403) },
      },
    },
    async (request) => audit.page(request.query),
  );
};
