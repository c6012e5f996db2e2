import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '@iescp/shared';

const ISSUER = 'iescp';
const AUDIENCE = 'iescp-api';

export interface AccessClaims {
  userId: string;
  role: Role;
  /**
   * The login session (refresh-token family) the token was issued for, as the `sid` claim: the
   * gate refuses the token as soon as that session has ended (logout, password change, reuse).
   */
  sessionId: string;
}

/** What a verified token says: its claims and when it stops being valid. */
export interface VerifiedAccessClaims extends AccessClaims {
  /** The token's `exp`: long-lived connections (Socket.IO) end at this instant. */
  expiresAt: Date;
}

/**
 * Short-lived signed access tokens; the user's current status and the session's are still
 * checked per request, so a token only ever says who is calling and in which session.
 */
export function createAccessTokens(secret: string, ttlSeconds: number) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,

    sign(claims: AccessClaims): Promise<string> {
      return new SignJWT({ role: claims.role, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },

    /** Undefined for anything not a valid, unexpired token of ours. */
    async verify(token: string): Promise<VerifiedAccessClaims | undefined> {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.role !== 'string') return undefined;
        // A token without a session (signed before sessions were named) cannot be ended early:
        // refused, the client refreshes once and gets one that can.
        if (typeof payload.sid !== 'string') return undefined;
        // Every token we sign expires; one without `exp` is not ours to honour forever.
        if (typeof payload.exp !== 'number') return undefined;
        return {
          userId: payload.sub,
          role: payload.role as Role,
          sessionId: payload.sid,
          expiresAt: new Date(payload.exp * 1000),
        };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** Refresh tokens are random and opaque; only their hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
