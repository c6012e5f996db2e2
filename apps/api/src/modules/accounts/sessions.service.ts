import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from '../../lib/access-tokens.js';
import { accountDeactivated, unauthenticated } from '../../lib/errors.js';
import { accountsRepository, type UserRow } from './accounts.repository.js';
import { sessionsRepository as repo } from './sessions.repository.js';

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
export function createSessionsService(deps: { db: Db; tokens: AccessTokens; refreshTtlDays: number }) {
  const { db, tokens } = deps;

  async function issue(
    dbx: DbOrTx,
    user: Pick<UserRow, 'id' | 'role'>,
    familyId: string = randomUUID(),
  ): Promise<IssuedTokens> {
    const { token, hash } = newRefreshToken();
    const expiresAt = new Date(Date.now() + deps.refreshTtlDays * 86_400_000);
    await repo.insert(dbx, { userId: user.id, familyId, tokenHash: hash, expiresAt });
    const accessToken = await tokens.sign({ userId: user.id, role: user.role });
    return { accessToken, refreshToken: token, expiresIn: tokens.ttlSeconds };
  }

  async function revokeAll(dbx: DbOrTx, userId: string): Promise<void> {
    await repo.revokeAllOf(dbx, userId);
  }

  return {
    issue,
    revokeAll,

    /** Spends `presented` and returns the user with a fresh pair. */
    async rotate(presented: string): Promise<{ user: UserRow; tokens: IssuedTokens }> {
      const outcome = await db.transaction(async (tx) => {
        const row = await repo.lockByHash(tx, hashRefreshToken(presented));
        if (!row) return { kind: 'unknown' as const };
        // Deactivation revokes every token first: say why the session ended, not "reused".
        const owner = await accountsRepository.findById(tx, row.userId);
        if (owner?.status === 'deactivated') return { kind: 'deactivated' as const };
        if (row.usedAt || row.revokedAt) {
          await repo.revokeFamily(tx, row.familyId);
          return { kind: 'reused' as const };
        }
        if (row.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
        if (!owner) {
          await repo.revokeAllOf(tx, row.userId, { all: true });
          return { kind: 'deactivated' as const };
        }
        await repo.markUsed(tx, row.id);
        return { kind: 'ok' as const, user: owner, tokens: await issue(tx, owner, row.familyId) };
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
    },

    /** Ends the session `presented` belongs to, or every session of the user when none is named. */
    async revoke(userId: string, presented?: string): Promise<void> {
      if (!presented) return revokeAll(db, userId);
      const familyId = await repo.familyOf(db, hashRefreshToken(presented), userId);
      if (familyId) await repo.revokeFamily(db, familyId);
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
