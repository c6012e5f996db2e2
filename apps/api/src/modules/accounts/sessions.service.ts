import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import type { AppEvents, AppScope, SessionEndReason } from '../../events.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from '../../lib/access-tokens.js';
import { accountDeactivated, unauthenticated } from '../../lib/errors.js';
import { accountsRepository, type UserRow } from './accounts.repository.js';
import { LAST_SEEN_WINDOW_SECONDS } from './last-seen.service.js';
import { sessionsRepository as repo } from './sessions.repository.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Login sessions as refresh-token families: every refresh spends the presented token and issues
 * the next one in the same family; presenting a spent token again means it was stolen, so the
 * whole family is revoked. The family id is the session id (`sid`) of every access token issued
 * in it, and a session is open while its family has a live token: the auth gate and the socket
 * handshake read that per request, so ending a session (revoking its family) refuses its access
 * tokens from the commit on, and its open sockets are closed right after.
 */
export function createSessionsService(deps: { events: AppEvents; tokens: AccessTokens; refreshTtlDays: number }) {
  const { events, tokens } = deps;

  async function issue(
    dbx: DbOrTx,
    user: Pick<UserRow, 'id' | 'role'>,
    familyId: string = randomUUID(),
  ): Promise<IssuedTokens> {
    const { token, hash } = newRefreshToken();
    const expiresAt = new Date(Date.now() + deps.refreshTtlDays * 86_400_000);
    await repo.insert(dbx, { userId: user.id, familyId, tokenHash: hash, expiresAt });
    const accessToken = await tokens.sign({ userId: user.id, role: user.role, sessionId: familyId });
    return { accessToken, refreshToken: token, expiresIn: tokens.ttlSeconds };
  }

  /** Records that these sessions ended, in the scope's transaction; their sockets close after the commit. */
  async function ended(scope: AppScope, userId: string, sessionIds: readonly string[], reason: SessionEndReason) {
    if (sessionIds.length === 0) return;
    scope.closeSessions(sessionIds);
    await scope.emit({ kind: 'session.ended', userId, sessionIds, reason });
  }

  /** Ends every open session of the user, or every one but `except` (the caller's own). */
  async function revokeAll(
    scope: AppScope,
    userId: string,
    reason: SessionEndReason,
    options: { except?: string } = {},
  ): Promise<void> {
    const sessionIds = await repo.revokeAllOf(scope.tx, userId, options);
    await ended(scope, userId, sessionIds, reason);
  }

  return {
    issue,
    revokeAll,

    /** Spends `presented` and returns the user with a fresh pair. */
    async rotate(presented: string): Promise<{ user: UserRow; tokens: IssuedTokens }> {
      const outcome = await events.transaction(async (scope) => {
        const { tx } = scope;
        const row = await repo.lockByHash(tx, hashRefreshToken(presented));
        if (!row) return { kind: 'unknown' as const };
        // Deactivation revokes every token first: say why the session ended, not "reused".
        const owner = await accountsRepository.findById(tx, row.userId);
        if (owner?.status === 'deactivated') return { kind: 'deactivated' as const };
        if (row.usedAt || row.revokedAt) {
          // The access tokens of the family (the thief's and the owner's) die with it.
          if (await repo.revokeFamily(tx, row.familyId)) {
            await ended(scope, row.userId, [row.familyId], 'refresh_token_reused');
          }
          return { kind: 'reused' as const };
        }
        if (row.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
        if (!owner) {
          await repo.revokeAllOf(tx, row.userId, { all: true });
          return { kind: 'deactivated' as const };
        }
        await repo.markUsed(tx, row.id);
        // A refresh is activity too (the web app refreshes while it is open, without other requests).
        await accountsRepository.markActive(tx, owner.id, LAST_SEEN_WINDOW_SECONDS);
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

    /**
     * Logout: ends the caller's session (`sessionId`, the access token's) and the one
     * `presented` belongs to if it is the user's, or every session of the user when no refresh
     * token is presented.
     */
    async logout(userId: string, sessionId: string, presented?: string): Promise<void> {
      await events.transaction(async (scope) => {
        if (!presented) return revokeAll(scope, userId, 'logout');
        const familyId = await repo.familyOf(scope.tx, hashRefreshToken(presented), userId);
        const sessionIds: string[] = [];
        for (const id of new Set([sessionId, ...(familyId ? [familyId] : [])])) {
          if (await repo.revokeFamily(scope.tx, id)) sessionIds.push(id);
        }
        await ended(scope, userId, sessionIds, 'logout');
      });
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
