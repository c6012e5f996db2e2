import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

const slot = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

/** The only code that touches stored idempotent responses. */
export const idempotencyRepository = {
  /**
   * Claims the key for this request (after dropping the user's copy older than `retentionMs`);
   * false when it is taken: then `find` tells by whom.
   */
  async claim(db: DbOrTx, userId: string, key: string, fingerprint: string, retentionMs: number): Promise<boolean> {
    await db
      .delete(idempotencyKeys)
      .where(and(slot(userId, key), lt(idempotencyKeys.createdAt, new Date(Date.now() - retentionMs))));
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ userId, key, fingerprint })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    return claimed.length > 0;
  },

  async find(db: DbOrTx, userId: string, key: string): Promise<IdempotencyRow | undefined> {
    const [row] = await db.select().from(idempotencyKeys).where(slot(userId, key));
    return row;
  },

  async release(db: DbOrTx, userId: string, key: string): Promise<void> {
    await db.delete(idempotencyKeys).where(slot(userId, key));
  },

  async complete(
    db: DbOrTx,
    userId: string,
    key: string,
    response: { statusCode: number; contentType: string | null; body: string | null },
  ): Promise<void> {
    await db.update(idempotencyKeys).set(response).where(slot(userId, key));
  },
};
