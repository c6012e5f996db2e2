import { aliasedTable, and, asc, eq, gt, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Party } from '@iescp/shared';
import type { DbOrTx } from '../../db/client.js';
import { conversations, messages, sponsorProfiles, users } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, 'conversationId' | 'id' | 'createdAt'>;

/** A conversation as one participant sees it: the other party and the last message. */
export interface ConversationView {
  conversation: ConversationRow;
  other: { id: string; displayName: string; avatarKey: string | null; role: 'admin' | Party };
  companyName: string | null;
  lastMessage: MessageRow | null;
}

const other = aliasedTable(users, 'other_party');
const last = aliasedTable(messages, 'last_message');

/** Which side of the pair a user is, or undefined when they are not in it. */
export function sideOf(row: ConversationRow, userId: string): Party | undefined {
  if (row.sponsorId === userId) return 'sponsor';
  if (row.influencerId === userId) return 'influencer';
  return undefined;
}

function views(db: DbOrTx, side: Party) {
  const otherId = side === 'sponsor' ? conversations.influencerId : conversations.sponsorId;
  return db
    .select({
      conversation: conversations,
      other: { id: other.id, displayName: other.displayName, avatarKey: other.avatarKey, role: other.role },
      companyName: sponsorProfiles.companyName,
      lastMessage: last,
    })
    .from(conversations)
    .innerJoin(other, eq(other.id, otherId))
    .leftJoin(sponsorProfiles, eq(sponsorProfiles.userId, other.id))
    .leftJoin(last, eq(last.id, conversations.lastMessageId));
}

function mine(side: Party, userId: string): SQL {
  return side === 'sponsor' ? eq(conversations.sponsorId, userId) : eq(conversations.influencerId, userId);
}

export const conversationsRepository = {
  /** Conversations with the latest activity first. */
  recentKeys: newestFirst<ConversationView>(conversations.updatedAt, conversations.id, (r) => ({
    at: r.conversation.updatedAt,
    id: r.conversation.id,
  })),

  newestMessageKeys: newestFirst<MessageRow>(messages.createdAt, messages.id, (r) => ({ at: r.createdAt, id: r.id })),

  /** The pair's conversation, made on first use; concurrent callers all get the same row. */
  async getOrCreate(
    db: DbOrTx,
    sponsorId: string,
    influencerId: string,
  ): Promise<{ row: ConversationRow; created: boolean }> {
    const [inserted] = await db
      .insert(conversations)
      .values({ sponsorId, influencerId })
      .onConflictDoNothing({ target: [conversations.sponsorId, conversations.influencerId] })
      .returning();
    if (inserted) return { row: inserted, created: true };
    return { row: (await conversationsRepository.findByPair(db, sponsorId, influencerId))!, created: false };
  },

  async findByPair(db: DbOrTx, sponsorId: string, influencerId: string): Promise<ConversationRow | undefined> {
    const [row] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.sponsorId, sponsorId), eq(conversations.influencerId, influencerId)));
    return row;
  },

  async findById(db: DbOrTx, id: string): Promise<ConversationRow | undefined> {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
    return row;
  },

  async view(db: DbOrTx, id: string, side: Party): Promise<ConversationView | undefined> {
    const [row] = await views(db, side).where(eq(conversations.id, id));
    return row;
  },

  /** The user's conversations that have at least one message, most recent first. */
  async page(
    db: DbOrTx,
    side: Party,
    userId: string,
    keys: SortKey<ConversationView>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<ConversationView[]> {
    return views(db, side)
      .where(and(mine(side, userId), isNotNull(conversations.lastMessageId), cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  /**
   * Appends a message and moves the conversation's last message and every recipient's unread
   * count (not the sender's: your own messages are read). Call inside a transaction.
   */
  async append(db: DbOrTx, conversation: ConversationRow, message: NewMessage): Promise<MessageRow> {
    // Appends to one conversation take turns: the lock is held to the commit, so messages commit
    // in the order of their timestamps and the last one appended is the newest.
    await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversation.id))
      .for('update');
    const [row] = await db
      .insert(messages)
      .values({ ...message, conversationId: conversation.id, createdAt: sql`clock_timestamp()` })
      .returning();
    const sender = message.senderId ?? null;
    await db
      .update(conversations)
      .set({
        lastMessageId: row!.id,
        updatedAt: sql`greatest(${conversations.updatedAt}, ${row!.createdAt.toISOString()}::timestamptz)`,
        sponsorUnread:
          sender === conversation.sponsorId ? conversations.sponsorUnread : sql`${conversations.sponsorUnread} + 1`,
        influencerUnread:
          sender === conversation.influencerId
            ? conversations.influencerUnread
            : sql`${conversations.influencerUnread} + 1`,
      })
      .where(eq(conversations.id, conversation.id));
    return row!;
  },

  async messagesPage(
    db: DbOrTx,
    conversationId: string,
    keys: SortKey<MessageRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<MessageRow[]> {
    return db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  async findMessage(db: DbOrTx, id: string): Promise<MessageRow | undefined> {
    const [row] = await db.select().from(messages).where(eq(messages.id, id));
    return row;
  },

  /**
   * The text messages `senderId` wrote in the conversation from `since` on that the other side
   * has not read (written after its read mark), oldest first.
   */
  async unreadTextFrom(
    db: DbOrTx,
    conversation: ConversationRow,
    senderId: string,
    since: Date,
  ): Promise<MessageRow[]> {
    const readAt = conversation.sponsorId === senderId ? conversation.influencerReadAt : conversation.sponsorReadAt;
    return db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversation.id),
          eq(messages.senderId, senderId),
          eq(messages.kind, 'text'),
          gte(messages.createdAt, since),
          readAt ? gt(messages.createdAt, readAt) : undefined,
        ),
      )
      .orderBy(asc(messages.createdAt), asc(messages.id));
  },

  async markRead(db: DbOrTx, id: string, side: Party): Promise<void> {
    await db
      .update(conversations)
      .set(
        side === 'sponsor'
          ? { sponsorUnread: 0, sponsorReadAt: sql`now()` }
          : { influencerUnread: 0, influencerReadAt: sql`now()` },
      )
      .where(eq(conversations.id, id));
  },

  /** Unread messages over all of a user's conversations. */
  async unreadTotal(db: DbOrTx, side: Party, userId: string): Promise<number> {
    const column = side === 'sponsor' ? conversations.sponsorUnread : conversations.influencerUnread;
    const [row] = await db
      .select({ total: sql<number>`coalesce(sum(${column}), 0)::int` })
      .from(conversations)
      .where(mine(side, userId));
    return Number(row?.total ?? 0);
  },
};
