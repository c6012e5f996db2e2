import { and, desc, eq, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Role, UserStatus } from '@iescp/shared';
import type { Db, Tx } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { forbidden, invalidTransition, notFound } from '../../lib/errors.js';
import { parseCursor, toPage } from '../../lib/pagination.js';
import type { Actor } from '../../plugins/auth.js';
import type { Cache } from '../../plugins/cache.js';
import { accountsRepository as repo, isUuid, type UserRow } from '../accounts/accounts.repository.js';
import { presentUser } from '../accounts/accounts.presenter.js';
import type { UserDto } from '../accounts/accounts.schemas.js';
import type { Sessions } from '../auth/sessions.js';
import { auditRepository } from '../audit/audit.repository.js';
import { Fanout, type RealtimeHub } from '../../lib/fanout.js';
import { notify } from '../notifications/notifications.service.js';

export interface UserFilters {
  role?: Role;
  status?: UserStatus;
  flagged?: boolean;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The admin's user management: list, approve, (de|re)activate, flag. Every change is audited. */
export function createAdminUsersService(deps: { db: Db; sessions: Sessions; cache: Cache; realtime: RealtimeHub }) {
  const { db, sessions, cache, realtime } = deps;

  /** Loads the target row locked for this transaction, or 404. */
  async function lockTarget(tx: Tx, id: string): Promise<UserRow> {
    if (!isUuid(id)) throw notFound('user');
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!row) throw notFound('user');
    return row;
  }

  async function change(
    actor: Actor,
    id: string,
    action: string,
    decide: (row: UserRow) => Partial<typeof users.$inferInsert> | 'unchanged',
    details: Record<string, unknown> = {},
    after?: (tx: Tx, row: UserRow, fanout: Fanout) => Promise<void>,
  ): Promise<UserDto> {
    let changed = false;
    const fanout = new Fanout();
    const user = await db.transaction(async (tx) => {
      let row = await lockTarget(tx, id);
      const values = decide(row);
      if (values !== 'unchanged') {
        row = await repo.updateUser(tx, row.id, values);
        await auditRepository.record(tx, {
          actorId: actor.id,
          action,
          subjectType: 'user',
          subjectId: row.id,
          details,
        });
        if (after) await after(tx, row, fanout);
        changed = true;
      }
      return presentUser(row, await repo.loadProfile(tx, row), actor);
    });
    fanout.send(realtime);
    // A user's standing decides whether they and their campaigns appear in searches.
    if (changed) await cache.invalidate('users', 'campaigns');
    return user;
  }

  return {
    async list(actor: Actor, filters: UserFilters) {
      const limit = filters.limit ?? 20;
      const after = parseCursor(filters.cursor);
      const conditions: SQL[] = [];
      if (filters.role) conditions.push(eq(users.role, filters.role));
      if (filters.status) conditions.push(eq(users.status, filters.status));
      if (filters.flagged !== undefined) conditions.push(eq(users.flagged, filters.flagged));
      const q = filters.q?.trim();
      if (q) conditions.push(or(ilike(users.email, likePattern(q)), ilike(users.displayName, likePattern(q)))!);
      if (after) {
        conditions.push(
          or(lt(users.createdAt, after.createdAt), and(eq(users.createdAt, after.createdAt), lt(users.id, after.id)))!,
        );
      }
      const rows = await db
        .select()
        .from(users)
        .where(and(...conditions))
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(limit + 1);
      const profiles = await repo.loadProfiles(db, rows.slice(0, limit));
      return toPage(rows, limit, (row) => presentUser(row, profiles.get(row.id), actor));
    },

    approve(actor: Actor, id: string) {
      return change(
        actor,
        id,
        'user.approve',
        (row) => {
          if (row.role !== 'sponsor' || row.status !== 'pending_approval') {
            throw invalidTransition('Only a sponsor awaiting approval can be approved.');
          }
          return { status: 'active', approvedAt: new Date() };
        },
        {},
        (tx, row, fanout) =>
          notify(tx, fanout, {
            userId: row.id,
            type: 'sponsor_approved',
            title: 'Your sponsor account is approved',
            body: 'You can now publish campaigns and invite influencers.',
            link: '/campaigns/new',
          }),
      );
    },

    deactivate(actor: Actor, id: string, reason: string) {
      return change(
        actor,
        id,
        'user.deactivate',
        (row) => {
          if (row.role === 'admin') throw forbidden('Admins cannot be deactivated through the API.');
          return row.status === 'deactivated'
            ? 'unchanged'
            : { status: 'deactivated', deactivationReason: reason.trim() };
        },
        { reason: reason.trim() },
        // Refresh tokens die with the account; access tokens are refused by the per-request check.
        (tx, row) => sessions.revokeAll(tx, row.id),
      ).then(async (user) => {
        // Open sockets were authenticated at connect time: close them on every instance.
        await realtime.disconnectUser(user.id);
        return user;
      });
    },

    reactivate(actor: Actor, id: string) {
      return change(actor, id, 'user.reactivate', (row) => {
        if (row.status !== 'deactivated') return 'unchanged';
        // A sponsor deactivated before approval goes back to waiting for it.
        const status: UserStatus = row.role === 'sponsor' && !row.approvedAt ? 'pending_approval' : 'active';
        return { status, deactivationReason: null };
      });
    },

    flag(actor: Actor, id: string, reason: string) {
      return change(
        actor,
        id,
        'user.flag',
        (row) => {
          if (row.role === 'admin') throw forbidden('Admins cannot be flagged.');
          return row.flagged && row.flagReason === reason.trim()
            ? 'unchanged'
            : { flagged: true, flagReason: reason.trim() };
        },
        { reason: reason.trim() },
        (tx, row, fanout) =>
          notify(tx, fanout, {
            userId: row.id,
            type: 'account_flagged',
            title: 'Your account was flagged by a moderator',
            body: `Reason: ${reason.trim()}. Your profile and campaigns are hidden from others until this is resolved.`,
            link: '/profile',
          }),
      );
    },

    unflag(actor: Actor, id: string) {
      return change(actor, id, 'user.unflag', (row) =>
        row.flagged ? { flagged: false, flagReason: null } : 'unchanged',
      );
    },
  };
}
