import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors, Ref } from '../../lib/schemas.js';
import type { ModuleContext } from '../module.js';
import { AuditEntry, AuditQuery } from './audit.schemas.js';

/** The admin's read of the audit log. */
export const auditRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { audit } }) => {
  app.get(
    '/admin/audit-log',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['admin'],
        summary:
          'Every admin action and every money movement, newest first; filter by actor, action, subject and dates',
        security: [{ bearer: [] }],
        querystring: AuditQuery,
        response: { 200: Page(Ref(AuditEntry)), ...errors(400, 401, 403) },
      },
    },
    async (request) => audit.page(request.query),
  );
};
