import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog, users } from '../../db/schema/index.js';
import type { Keyset } from '../../lib/pagination.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

export const auditRepository = {
  /** Written inside the transaction of the change it records, so neither exists without the other. */
  async record(db: DbOrTx, entry: AuditEntry) {
    await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
  },

  async page(db: DbOrTx, limit: number, after?: Keyset) {
    return db
      .select({
        id: auditLog.id,
        actorId: auditLog.actorId,
        actorName: users.displayName,
        action: auditLog.action,
        subjectType: auditLog.subjectType,
        subjectId: auditLog.subjectId,
        details: auditLog.details,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(
        after
          ? or(
              lt(auditLog.createdAt, after.createdAt),
              and(eq(auditLog.createdAt, after.createdAt), lt(auditLog.id, after.id)),
            )
          : undefined,
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(limit + 1);
  },
};
