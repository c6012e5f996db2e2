import { NOTIFICATION_TYPES, REALTIME_EVENTS, type NotificationType } from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import type { AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import {
  notificationsRepository as repo,
  type NewNotification,
  type NotificationRow,
} from './notifications.repository.js';
import type {
  NotificationDto,
  NotificationQueryInput,
  NotificationSettingsDto,
  NotificationSettingsPatchInput,
} from './notifications.schemas.js';

const KEYS = repo.newestKeys;

export function presentNotification(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    type: row.type as NotificationType,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A user's notifications, their read marks, and which types also come by email. */
export function createNotificationsService(deps: { db: Db }) {
  const { db } = deps;

  function settingsOf(stored: Record<string, boolean>): NotificationSettingsDto {
    // Every type is emailed unless the user turned it off.
    const email = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, stored[t] ?? true]));
    return { email: email as NotificationSettingsDto['email'] };
  }

  return {
    /**
     * Writes a notification in the caller's transaction and queues its real-time push for after
     * the commit. Every feature that notifies goes through here.
     */
    async notify(scope: AppScope, notification: NewNotification): Promise<void> {
      const row = await repo.insert(scope.tx, notification);
      scope.push([notification.userId], REALTIME_EVENTS.notification, presentNotification(row));
      // Its email copy (the mail module) is recorded and queued in this same transaction.
      await scope.emit({ kind: 'notification.created', notificationId: row.id, ...notification });
    },

    async list(actor: Actor, query: NotificationQueryInput) {
      const limit = query.limit ?? 20;
      const sort = query.unread ? 'unread' : 'all';
      const cursor = query.cursor ? decodeKeyset(query.cursor, sort, KEYS) : undefined;
      const rows = await repo.page(db, actor.id, query.unread === true, KEYS, cursor, limit);
      return keysetPage(rows, limit, KEYS, sort, presentNotification);
    },

    async unreadCount(actor: Actor) {
      return { count: await repo.unreadCount(db, actor.id) };
    },

    async markRead(actor: Actor, id: string): Promise<NotificationDto> {
      const row = isUuid(id) ? await repo.markRead(db, actor.id, id) : undefined;
      if (!row) throw notFound('notification');
      return presentNotification(row);
    },

    async markAllRead(actor: Actor) {
      return { count: await repo.markAllRead(db, actor.id) };
    },

    async settings(actor: Actor): Promise<NotificationSettingsDto> {
      return settingsOf(await repo.emailChoices(db, actor.id));
    },

    /** Whether this type is emailed to the user (the default is yes), read in the caller's transaction. */
    async emailsType(tx: DbOrTx, userId: string, type: NotificationType): Promise<boolean> {
      return settingsOf(await repo.emailChoices(tx, userId)).email[type];
    },

    /** Switches one type's email off (the one-click unsubscribe): the same choice the settings show. */
    async switchEmailOff(userId: string, type: NotificationType): Promise<void> {
      await repo.mergeEmailChoices(db, userId, { [type]: false });
    },

    async updateSettings(actor: Actor, patch: NotificationSettingsPatchInput): Promise<NotificationSettingsDto> {
      return settingsOf(await repo.mergeEmailChoices(db, actor.id, patch.email as Record<string, boolean>));
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
