import { LIMITS } from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import { validationFailed } from '../../lib/errors.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { auditRepository as repo, type AuditEntry } from './audit.repository.js';
import type { AuditQuery } from './audit.schemas.js';

const DAY_MS = 86_400_000;

/** The audit log: every admin action and money movement, written with the change it records. */
export function createAuditService(deps: { db: Db }) {
  const keys = repo.newestKeys;
  return {
    /** Call inside the transaction of the change, so neither exists without the other. */
    record(tx: DbOrTx, entry: AuditEntry): Promise<void> {
      return repo.insert(tx, entry);
    },

    /** The admin's read, newest first, filtered; `from` and `to` are whole UTC days, both inclusive. */
    async page(query: AuditQuery) {
      if (query.from && query.to && query.from > query.to) {
        throw validationFailed([{ path: '/from', message: 'must be on or before to' }]);
      }
      const limit = query.limit ?? LIMITS.pageSize.default;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', keys) : undefined;
      const filters = {
        actorId: query.actorId,
        actor: query.actor?.trim() || undefined,
        actions: query.action?.split(','),
        subjectType: query.subjectType,
        subjectId: query.subjectId,
        from: query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined,
        before: query.to ? new Date(Date.parse(`${query.to}T00:00:00.000Z`) + DAY_MS) : undefined,
      };
      const rows = await repo.page(deps.db, filters, keys, cursor, limit);
      return keysetPage(rows, limit, keys, 'newest', (r) => ({
        id: r.id,
        actorId: r.actorId,
        actor:
          r.actorId && r.actorName
            ? { id: r.actorId, displayName: r.actorName, ...(r.actorEmail ? { email: r.actorEmail } : {}) }
            : null,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        subjectLabel: r.subjectLabel,
        details: r.details,
        createdAt: r.createdAt.toISOString(),
      }));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
