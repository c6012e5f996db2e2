import { LIMITS } from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { auditRepository as repo, type AuditEntry } from './audit.repository.js';

/** The audit log: every admin action and money movement, written with the change it records. */
export function createAuditService(deps: { db: Db }) {
  const keys = repo.newestKeys;
  return {
    /** Call inside the transaction of the change, so neither exists without the other. */
    record(tx: DbOrTx, entry: AuditEntry): Promise<void> {
      return repo.insert(tx, entry);
    },

    /** The admin's read, newest first. */
    async page(query: { limit?: number; cursor?: string }) {
      const limit = query.limit ?? LIMITS.pageSize.default;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', keys) : undefined;
      const rows = await repo.page(deps.db, keys, cursor, limit);
      return keysetPage(rows, limit, keys, 'newest', (r) => ({
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
