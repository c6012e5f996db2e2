import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@iescp/shared';
import type { AccessTokens } from '../lib/access-tokens.js';
import type { Actor } from '../lib/actor.js';
import { accountDeactivated, forbidden, unauthenticated } from '../lib/errors.js';

/** Who a token's subject is now (undefined: no such user); the accounts module answers it. */
export type ActorLookup = (userId: string) => Promise<Actor | undefined>;

/** A route's gate: absent = public, `'user'` = any signed-in user, or the roles allowed. */
export type AuthRequirement = 'user' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    tokens: AccessTokens;
    /** Reads a user's current role and status: the HTTP gate and the socket handshake both ask it. */
    findActor: ActorLookup;
  }
}

/** The signed-in actor of a gated route; the gate guarantees it is there. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * One onRequest gate for every route. The token only says who; status and role come from the
 * database each time, so deactivation takes effect on the very next request.
 */
export default fp(
  async function authPlugin(app: FastifyInstance, opts: { tokens: AccessTokens; findActor: ActorLookup }) {
    app.decorate('tokens', opts.tokens);
    app.decorate('findActor', opts.findActor);
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request) => {
      const requirement = request.routeOptions.config.auth;
      if (!requirement) return;
      const token = bearer(request);
      if (!token) throw unauthenticated();
      const claims = await opts.tokens.verify(token);
      if (!claims) throw unauthenticated('The access token is invalid or expired.');
      const row = await opts.findActor(claims.userId);
      if (!row) throw unauthenticated('The access token is invalid or expired.');
      if (row.status === 'deactivated') throw accountDeactivated();
      request.actor = row;
      if (requirement !== 'user' && !requirement.includes(row.role)) {
        throw forbidden(`This action is for ${requirement.join(' or ')} accounts.`);
      }
    });
  },
  { name: 'auth' },
);
