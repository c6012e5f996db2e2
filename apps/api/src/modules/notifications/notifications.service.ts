import { NOTIFICATION_TYPES, REALTIME_EVENTS, type NotificationType } from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import type { Fanout } from '../../lib/fanout.js';
import { notFound } from '../../lib/errors.js';
import { decodeKeyset, keysetPage, type SortKey } from '../../lib/keyset.js';
import type { Actor } from '../../plugins/auth.js';
import { isUuid } from '../accounts/accounts.repository.js';
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

const KEYS: SortKey<NotificationRow>[] = [
  { expr: notifications.createdAt, dir: 'desc', kind: 'timestamp', of: (r) => r.createdAt.toISOString() },
  { expr: notifications.id, dir: 'desc', kind: 'uuid', of: (r) => r.id },
];

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

/**
 * Writes a notification in the caller's transaction and queues its real-time push for after
 * the commit. Every feature that notifies goes through here.
 */
export async function notify(tx: DbOrTx, fanout: Fanout, notification: NewNotification): Promise<void> {
  const row = await repo.insert(tx, notification);
  fanout.add([notification.userId], REALTIME_EVENTS.notification, presentNotification(row));
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

    async updateSettings(actor: Actor, patch: NotificationSettingsPatchInput): Promise<NotificationSettingsDto> {
      return settingsOf(await repo.mergeEmailChoices(db, actor.id, patch.email as Record<string, boolean>));
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
