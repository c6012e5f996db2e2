import { emailsTypeIn, NOTIFICATION_TYPES, REALTIME_EVENTS, type NotificationType } from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import type { AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { chatWebhookCheck, type ChatWebhookPolicy } from './chat-webhook.js';
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
export function createNotificationsService(deps: { db: Db; webhook: ChatWebhookPolicy }) {
  const { db } = deps;
  const webhookUrl = chatWebhookCheck(deps.webhook);

  function choicesOf(stored: Record<string, boolean>): NotificationSettingsDto['email'] {
    return Object.fromEntries(
      NOTIFICATION_TYPES.map((t) => [t, emailsTypeIn(stored, t)]),
    ) as NotificationSettingsDto['email'];
  }

  async function settingsOf(tx: DbOrTx, userId: string): Promise<NotificationSettingsDto> {
    return {
      email: choicesOf(await repo.emailChoices(tx, userId)),
      chatWebhookUrl: await repo.chatWebhookUrl(tx, userId),
    };
  }

  /** The chat webhook URL as stored, or a 400 naming the field (see chat-webhook.ts for why). */
  function checkWebhookUrl(value: string): string {
    const url = webhookUrl(value);
    if (url) return url;
    throw validationFailed([
      {
        path: '/chatWebhookUrl',
        message: `must be an https URL on ${webhookUrl.hosts.join(', ') || 'an allowed host'}`,
      },
    ]);
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

    /** Whether a URL may be called now, normalized; undefined when not (the send-time check). */
    checkCallableWebhookUrl: (value: string) => webhookUrl(value),

    async settings(actor: Actor): Promise<NotificationSettingsDto> {
      return settingsOf(db, actor.id);
    },

    /** Whether this type is emailed to the user (the default is yes), read in the caller's transaction. */
    async emailsType(tx: DbOrTx, userId: string, type: NotificationType): Promise<boolean> {
      return choicesOf(await repo.emailChoices(tx, userId))[type];
    },

    /** Switches one type's email off (the one-click unsubscribe): the same choice the settings show. */
    async switchEmailOff(userId: string, type: NotificationType): Promise<void> {
      await repo.mergeEmailChoices(db, userId, { [type]: false });
    },

    async updateSettings(actor: Actor, patch: NotificationSettingsPatchInput): Promise<NotificationSettingsDto> {
      const webhook =
        patch.chatWebhookUrl === undefined || patch.chatWebhookUrl === null
          ? patch.chatWebhookUrl
          : checkWebhookUrl(patch.chatWebhookUrl);
      return db.transaction(async (tx) => {
        if (patch.email) await repo.mergeEmailChoices(tx, actor.id, patch.email as Record<string, boolean>);
        if (webhook !== undefined) await repo.setChatWebhookUrl(tx, actor.id, webhook);
        return settingsOf(tx, actor.id);
      });
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
