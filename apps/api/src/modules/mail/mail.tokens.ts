import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long the unsubscribe link of a mail works (mail is read late; old links still unsubscribe). */
export const UNSUBSCRIBE_TTL_DAYS = 365;

export interface UnsubscribeClaim {
  userId: string;
  kind: string;
}

/**
 * Signed one-click unsubscribe tokens (RFC 8058): who and which kind of mail, and when it was
 * issued, HMAC-SHA256 with a key derived from the app's signing secret (so an access token can
 * never pass for one, nor the reverse).
 */
export function createUnsubscribeTokens(secret: string) {
  const key = createHmac('sha256', secret).update('iescp/unsubscribe/v1').digest();
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();

  return {
    sign(claim: UnsubscribeClaim, issuedAt: Date = new Date()): string {
      const payload = Buffer.from(
        JSON.stringify({ u: claim.userId, k: claim.kind, i: Math.floor(issuedAt.getTime() / 1000) }),
      ).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },

    /** The claim of a genuine, unexpired token; undefined for anything else. */
    verify(token: string, now: Date = new Date()): UnsubscribeClaim | undefined {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return undefined;
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const { u, k, i } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
        if (typeof u !== 'string' || typeof k !== 'string' || typeof i !== 'number') return undefined;
        if (now.getTime() / 1000 - i > UNSUBSCRIBE_TTL_DAYS * 86_400) return undefined;
        return { userId: u, kind: k };
      } catch {
        return undefined;
      }
    },
  };
}

export type UnsubscribeTokens = ReturnType<typeof createUnsubscribeTokens>;
