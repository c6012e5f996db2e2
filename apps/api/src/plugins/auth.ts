import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role, UserStatus } from '@iescp/shared';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema/index.js';
import { accountDeactivated, forbidden, unauthenticated } from '../lib/errors.js';
import type { AccessTokens } from '../modules/auth/tokens.js';

/** Who is calling, as read from the database on this very request. */
export interface Actor {
  id: string;
  role: Role;
  status: UserStatus;
}

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
  async function authPlugin(app: FastifyInstance, opts: { tokens: AccessTokens }) {
    app.decorate('tokens', opts.tokens);
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request) => {
      const requirement = request.routeOptions.config.auth;
      if (!requirement) return;
      const token = bearer(request);
      if (!token) throw unauthenticated();
      const claims = await opts.tokens.verify(token);
      if (!claims) throw unauthenticated('The access token is invalid or expired.');
      const [row] = await app.database.db
        .select({ id: users.id, role: users.role, status: users.status })
        .from(users)
        .where(eq(users.id, claims.userId))
        .limit(1);
      if (!row) throw unauthenticated('The access token is invalid or expired.');
      if (row.status === 'deactivated') throw accountDeactivated();
      request.actor = row;
      if (requirement !== 'user' && !requirement.includes(row.role)) {
        throw forbidden(`This action is for ${requirement.join(' or ')} accounts.`);
      }
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
