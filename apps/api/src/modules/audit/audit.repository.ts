import { and, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { adRequests, auditLog, campaigns, users } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';
import { likePattern } from '../../lib/text-search.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

/** The admin's filters, already checked; they combine with AND. */
export interface AuditFilters {
  actorId?: string | undefined;
  /** Part of the actor's email or display name. */
  actor?: string | undefined;
  actions?: string[] | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** From this instant on (inclusive). */
  from?: Date | undefined;
  /** Before this instant (exclusive). */
  before?: Date | undefined;
}

const subjectUser = alias(users, 'subject_user');
const subjectCampaign = alias(campaigns, 'subject_campaign');
const dealCampaign = alias(campaigns, 'deal_campaign');

const columns = {
  id: auditLog.id,
  actorId: auditLog.actorId,
  actorName: users.displayName,
  actorEmail: users.email,
  action: auditLog.action,
  subjectType: auditLog.subjectType,
  subjectId: auditLog.subjectId,
  // What the row is about, by the name it has now: joined by subject type (null once gone).
  subjectLabel: sql<string | null>`coalesce(${subjectUser.displayName}, ${subjectCampaign.name}, ${dealCampaign.name})`,
  details: auditLog.details,
  createdAt: auditLog.createdAt,
};

export type AuditRow = {
  id: string;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  subjectLabel: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
};

function where(f: AuditFilters): SQL[] {
  const c: SQL[] = [];
  if (f.actorId) c.push(eq(auditLog.actorId, f.actorId));
  if (f.actor) c.push(or(ilike(users.email, likePattern(f.actor)), ilike(users.displayName, likePattern(f.actor)))!);
  if (f.actions) c.push(inArray(auditLog.action, f.actions));
  if (f.subjectType) c.push(eq(auditLog.subjectType, f.subjectType));
  if (f.subjectId) c.push(eq(auditLog.subjectId, f.subjectId));
  if (f.from) c.push(gte(auditLog.createdAt, f.from));
  if (f.before) c.push(lt(auditLog.createdAt, f.before));
  return c;
}

/** The only code that touches the audit log, which is append-only. */
export const auditRepository = {
  newestKeys: newestFirst<AuditRow>(auditLog.createdAt, auditLog.id, (r) => ({ at: r.createdAt, id: r.id })),

  async insert(db: DbOrTx, entry: AuditEntry): Promise<void> {
    await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
  },

  async page(
    db: DbOrTx,
    filters: AuditFilters,
    keys: SortKey<AuditRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    return db
      .select(columns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .leftJoin(subjectUser, and(eq(auditLog.subjectType, 'user'), eq(subjectUser.id, auditLog.subjectId)))
      .leftJoin(subjectCampaign, and(eq(auditLog.subjectType, 'campaign'), eq(subjectCampaign.id, auditLog.subjectId)))
      .leftJoin(adRequests, and(eq(auditLog.subjectType, 'ad_request'), eq(adRequests.id, auditLog.subjectId)))
      .leftJoin(dealCampaign, eq(dealCampaign.id, adRequests.campaignId))
      .where(and(...where(filters), cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },
};
