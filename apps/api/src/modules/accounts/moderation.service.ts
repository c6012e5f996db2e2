import type { UserStatus } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import type { AppEvents, AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { forbidden, invalidTransition, notFound } from '../../lib/errors.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import type { RealtimeHub } from '../../lib/realtime.js';
import type { AuditService } from '../audit/audit.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { accountsRepository as repo, type NewUserRow, type UserFilters, type UserRow } from './accounts.repository.js';
import { presentUser } from './accounts.presenter.js';
import type { UserDto } from './accounts.schemas.js';
import type { SessionsService } from './sessions.service.js';

/** The admin's user management: list, approve, (de|re)activate, flag. Every change is audited. */
export function createModerationService(deps: {
  db: Db;
  events: AppEvents;
  sessions: SessionsService;
  audit: AuditService;
  notifications: NotificationsService;
  realtime: RealtimeHub;
}) {
  const { db, events, sessions, audit, notifications, realtime } = deps;
  const keys = repo.newestKeys;

  async function change(
    actor: Actor,
    id: string,
    action: string,
    decide: (row: UserRow) => Partial<NewUserRow> | 'unchanged',
    details: Record<string, unknown> = {},
    after?: (scope: AppScope, row: UserRow) => Promise<void>,
  ): Promise<UserDto> {
    return events.transaction(async (scope) => {
      const { tx } = scope;
      let row = await repo.lock(tx, id);
      if (!row) throw notFound('user');
      const values = decide(row);
      if (values !== 'unchanged') {
        row = await repo.updateUser(tx, row.id, values);
        await audit.record(tx, { actorId: actor.id, action, subjectType: 'user', subjectId: row.id, details });
        if (after) await after(scope, row);
        await scope.emit({ kind: 'account.moderated', userId: row.id, action });
      }
      return presentUser(row, await repo.loadProfile(tx, row), actor);
    });
  }

  return {
    async list(actor: Actor, filters: UserFilters & { limit?: number; cursor?: string }) {
      const limit = filters.limit ?? 20;
      const cursor = filters.cursor ? decodeKeyset(filters.cursor, 'newest', keys) : undefined;
      const rows = await repo.page(db, filters, keys, cursor, limit);
      const profiles = await repo.loadProfiles(db, rows.slice(0, limit));
      return keysetPage(rows, limit, keys, 'newest', (row) => presentUser(row, profiles.get(row.id), actor));
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
        (scope, row) =>
          notifications.notify(scope, {
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
        // Every session ends with the account (reactivation does not revive them); access tokens
        // are refused by the per-request check from the commit on.
        (scope, row) => sessions.revokeAll(scope, row.id, 'deactivated'),
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
        (scope, row) =>
          notifications.notify(scope, {
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

export type ModerationService = ReturnType<typeof createModerationService>;
