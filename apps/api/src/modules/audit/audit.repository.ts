import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog, users } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

const columns = {
  id: auditLog.id,
  actorId: auditLog.actorId,
  actorName: users.displayName,
  action: auditLog.action,
  subjectType: auditLog.subjectType,
  subjectId: auditLog.subjectId,
  details: auditLog.details,
  createdAt: auditLog.createdAt,
};

export type AuditRow = {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
};

/** The only code that touches the audit log, which is append-only. */
export const auditRepository = {
  newestKeys: newestFirst<AuditRow>(auditLog.createdAt, auditLog.id, (r) => ({ at: r.createdAt, id: r.id })),

  async insert(db: DbOrTx, entry: AuditEntry): Promise<void> {
    await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
  },

  async page(
    db: DbOrTx,
    keys: SortKey<AuditRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    return db
      .select(columns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },
};
