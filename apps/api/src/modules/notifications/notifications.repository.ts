import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { NotificationType } from '@iescp/shared';
import type { DbOrTx } from '../../db/client.js';
import { notifications, notificationSettings } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export type NotificationRow = typeof notifications.$inferSelect;

export interface NewNotification {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  link: string;
}

export const notificationsRepository = {
  newestKeys: newestFirst<NotificationRow>(notifications.createdAt, notifications.id, (r) => ({
    at: r.createdAt,
    id: r.id,
  })),

  async insert(db: DbOrTx, values: NewNotification): Promise<NotificationRow> {
    const [row] = await db
      .insert(notifications)
      .values({ ...values, createdAt: sql`clock_timestamp()` })
      .returning();
    return row!;
  },

  async page(
    db: DbOrTx,
    userId: string,
    unreadOnly: boolean,
    keys: SortKey<NotificationRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<NotificationRow[]> {
    const conditions: (SQL | undefined)[] = [eq(notifications.userId, userId)];
    if (unreadOnly) conditions.push(isNull(notifications.readAt));
    if (cursor) conditions.push(after(keys, cursor));
    return db
      .select()
      .from(notifications)
      .where(and(...conditions))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  async unreadCount(db: DbOrTx, userId: string): Promise<number> {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    return Number(row?.count ?? 0);
  },

  /** Marks one of the user's notifications read (keeping the first read time); undefined if not theirs. */
  async markRead(db: DbOrTx, userId: string, id: string): Promise<NotificationRow | undefined> {
    const [row] = await db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .returning();
    return row;
  },

  async markAllRead(db: DbOrTx, userId: string): Promise<number> {
    const rows = await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return rows.length;
  },

  async emailChoices(db: DbOrTx, userId: string): Promise<Record<string, boolean>> {
    const [row] = await db
      .select({ email: notificationSettings.email })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId));
    return row?.email ?? {};
  },

  /** The chat webhook URL the user set, or null. */
  async chatWebhookUrl(db: DbOrTx, userId: string): Promise<string | null> {
    const [row] = await db
      .select({ url: notificationSettings.chatWebhookUrl })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId));
    return row?.url ?? null;
  },

  async setChatWebhookUrl(db: DbOrTx, userId: string, url: string | null): Promise<void> {
    await db
      .insert(notificationSettings)
      .values({ userId, chatWebhookUrl: url })
      .onConflictDoUpdate({
        target: notificationSettings.userId,
        set: { chatWebhookUrl: url, updatedAt: sql`now()` },
      });
  },

  /** Merges the given choices into the stored ones in one statement (concurrent patches both land). */
  async mergeEmailChoices(
    db: DbOrTx,
    userId: string,
    choices: Record<string, boolean>,
  ): Promise<Record<string, boolean>> {
    const json = JSON.stringify(choices);
    const [row] = await db
      .insert(notificationSettings)
      .values({ userId, email: choices })
      .onConflictDoUpdate({
        target: notificationSettings.userId,
        set: { email: sql`${notificationSettings.email} || ${json}::jsonb`, updatedAt: sql`now()` },
      })
      .returning({ email: notificationSettings.email });
    return row!.email;
  },
};
