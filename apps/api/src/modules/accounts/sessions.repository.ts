import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { refreshTokens } from '../../db/schema/index.js';

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/** The only code that touches refresh tokens (login sessions). Only their hashes are stored. */
export const sessionsRepository = {
  async insert(db: DbOrTx, values: typeof refreshTokens.$inferInsert): Promise<void> {
    await db.insert(refreshTokens).values(values);
  },

  /** The token row locked for this transaction: two refreshes with one token take turns. */
  async lockByHash(tx: Tx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update');
    return row;
  },

  async familyOf(db: DbOrTx, tokenHash: string, userId: string): Promise<string | undefined> {
    const [row] = await db
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.tokenHash, tokenHash), eq(refreshTokens.userId, userId)));
    return row?.familyId;
  },

  async markUsed(db: DbOrTx, id: string): Promise<void> {
    await db.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, id));
  },

  async revokeFamily(db: DbOrTx, familyId: string): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  },

  /** Every token of the user, including already revoked ones (`all`), or only the live ones. */
  async revokeAllOf(db: DbOrTx, userId: string, options: { all?: boolean } = {}): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), options.all ? undefined : isNull(refreshTokens.revokedAt)));
  },
};
