import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@iescp/shared';
import type { AccessTokens } from '../lib/access-tokens.js';
import type { Actor, SessionActor } from '../lib/actor.js';
import { accountDeactivated, forbidden, unauthenticated } from '../lib/errors.js';

/**
 * Who a token's subject is now and whether the token's session is still open (undefined: no
 * such user); the accounts module answers it.
 */
export type ActorLookup = (userId: string, sessionId: string) => Promise<SessionActor | undefined>;

/** A route's gate: absent = public, `'user'` = any signed-in user, or the roles allowed. */
export type AuthRequirement = 'user' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The login session of the caller's access token (its `sid`), on gated routes. */
    sessionId: string | null;
  }
  interface FastifyInstance {
    tokens: AccessTokens;
    /**
     * Reads a user's current role and status and whether a session is open: the HTTP gate and
     * the socket handshake both ask it.
     */
    findActor: ActorLookup;
  }
}

/** The signed-in actor of a gated route; the gate guarantees it is there. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/** The login session the caller's access token belongs to, on a gated route. */
export function sessionOf(request: FastifyRequest): string {
  if (!request.sessionId) throw unauthenticated();
  return request.sessionId;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * One onRequest gate for every route. The token only says who and in which session; status,
 * role and whether the session is still open come from the database each time (one indexed
 * statement), so a deactivation, a logout, a password change or a detected refresh-token reuse
 * takes effect on the very next request, on every instance, and after any restart.
 */
/** Told about each signed-in caller once their answer is sent (the admin's "last seen"). */
export interface ActivityRecorder {
  /** Records activity; may be throttled; a rejection is logged, never a request's failure. */
  seen(userId: string): Promise<void>;
  /** Resolves when the writes started so far are done (before the database closes). */
  settled(): Promise<void>;
}

export default fp(
  async function authPlugin(
    app: FastifyInstance,
    opts: { tokens: AccessTokens; findActor: ActorLookup; activity?: ActivityRecorder },
  ) {
    app.decorate('tokens', opts.tokens);
    app.decorate('findActor', opts.findActor);
    app.decorateRequest('actor', null);
    app.decorateRequest('sessionId', null);

    app.addHook('onRequest', async (request) => {
      const requirement = request.routeOptions.config.auth;
      if (!requirement) return;
      const token = bearer(request);
      if (!token) throw unauthenticated();
      const claims = await opts.tokens.verify(token);
      if (!claims) throw unauthenticated('The access token is invalid or expired.');
      const found = await opts.findActor(claims.userId, claims.sessionId);
      if (!found) throw unauthenticated('The access token is invalid or expired.');
      const row = found.actor;
      // Deactivation also ends the sessions: say why, as API.md asks (403, not 401).
      if (row.status === 'deactivated') throw accountDeactivated();
      if (!found.sessionOpen) throw unauthenticated('This session has ended; sign in again.');
      request.actor = row;
      request.sessionId = claims.sessionId;
      if (requirement !== 'user' && !requirement.includes(row.role)) {
        throw forbidden(`This action is for ${requirement.join(' or ')} accounts.`);
      }
    });

    const activity = opts.activity;
    if (activity) {
      // After the answer is on its way, and not awaited: recording activity adds no latency.
      app.addHook('onResponse', async (request) => {
        if (!request.actor) return;
        activity.seen(request.actor.id).catch((err: unknown) => request.log.warn({ err }, 'could not record activity'));
      });
      // Registered after the database plugin, so this runs before the database closes.
      app.addHook('onClose', async () => activity.settled());
    }
  },
  { name: 'auth' },
);
