import { LIMITS } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import { parseCursor, toPage } from '../../lib/pagination.js';
import { auditRepository } from './audit.repository.js';

/** The admin's read of the audit log, newest first. */
export function createAuditService(deps: { db: Db }) {
  return {
    async page(query: { limit?: number; cursor?: string }) {
      const limit = query.limit ?? LIMITS.pageSize.default;
      const rows = await auditRepository.page(deps.db, limit, parseCursor(query.cursor));
      return toPage(rows, limit, (r) => ({
        id: r.id,
        actorId: r.actorId,
        actor: r.actorId && r.actorName ? { id: r.actorId, displayName: r.actorName } : null,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        details: r.details,
        createdAt: r.createdAt.toISOString(),
      }));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
