import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { refreshTokens, users } from '../../db/schema/index.js';
import { accountDeactivated, unauthenticated } from '../../lib/errors.js';
import type { UserRow } from '../accounts/accounts.repository.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Login sessions as refresh-token families: every refresh spends the presented token and issues
 * the next one in the same family; presenting a spent token again means it was stolen, so the
 * whole family is revoked.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly tokens: AccessTokens,
    private readonly refreshTtlDays: number,
  ) {}

  async issue(db: DbOrTx, user: Pick<UserRow, 'id' | 'role'>, familyId: string = randomUUID()): Promise<IssuedTokens> {
    const { token, hash } = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.refreshTtlDays * 86_400_000);
    await db.insert(refreshTokens).values({ userId: user.id, familyId, tokenHash: hash, expiresAt });
    const accessToken = await this.tokens.sign({ userId: user.id, role: user.role });
    return { accessToken, refreshToken: token, expiresIn: this.tokens.ttlSeconds };
  }

  /** Spends `presented` and returns the user with a fresh pair. */
  async rotate(presented: string): Promise<{ user: UserRow; tokens: IssuedTokens }> {
    const outcome = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashRefreshToken(presented)))
        .for('update');
      if (!row) return { kind: 'unknown' as const };
      // Deactivation revokes every token first: say why the session ended, not "reused".
      const [owner] = await tx.select({ status: users.status }).from(users).where(eq(users.id, row.userId));
      if (owner?.status === 'deactivated') return { kind: 'deactivated' as const };
      if (row.usedAt || row.revokedAt) {
        await tx
          .update(refreshTokens)
          .set({ revokedAt: new Date() })
          .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
        return { kind: 'reused' as const };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
      const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
      if (!user || user.status === 'deactivated') {
        await tx.update(refreshTokens).set({ revokedAt: new Date() }).where(eq(refreshTokens.userId, row.userId));
        return { kind: 'deactivated' as const };
      }
      await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id));
      return { kind: 'ok' as const, user, tokens: await this.issue(tx, user, row.familyId) };
    });
    // Thrown after the commit, so a detected reuse stays revoked.
    switch (outcome.kind) {
      case 'ok':
        return { user: outcome.user, tokens: outcome.tokens };
      case 'deactivated':
        throw accountDeactivated();
      case 'reused':
        throw unauthenticated('This refresh token was already used; the session has been revoked.');
      default:
        throw unauthenticated('The refresh token is invalid or expired.');
    }
  }

  /** Ends the session `presented` belongs to, or every session of the user when none is named. */
  async revoke(userId: string, presented?: string): Promise<void> {
    const now = new Date();
    if (!presented) {
      await this.revokeAll(this.db, userId);
      return;
    }
    const [row] = await this.db
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.tokenHash, hashRefreshToken(presented)), eq(refreshTokens.userId, userId)));
    if (!row) return;
    await this.db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
  }

  async revokeAll(db: DbOrTx, userId: string): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
  }
}
