import { and, eq, isNull, ne } from 'drizzle-orm';
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

  /** Revokes the family's live tokens; true when it was still open (something was revoked). */
  async revokeFamily(db: DbOrTx, familyId: string): Promise<boolean> {
    const revoked = await db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    return revoked.length > 0;
  },

  /**
   * Every token of the user, including already revoked ones (`all`), or only the live ones,
   * except those of the session `except`; returns the sessions (families) that were still open.
   */
  async revokeAllOf(db: DbOrTx, userId: string, options: { all?: boolean; except?: string } = {}): Promise<string[]> {
    const revoked = await db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.userId, userId),
          options.all ? undefined : isNull(refreshTokens.revokedAt),
          options.except ? ne(refreshTokens.familyId, options.except) : undefined,
        ),
      )
      .returning({ familyId: refreshTokens.familyId });
    return [...new Set(revoked.map((r) => r.familyId))];
  },
};
