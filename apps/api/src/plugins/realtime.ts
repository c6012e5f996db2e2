import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { Server, type DefaultEventsMap, type ExtendedError, type Socket } from 'socket.io';
import type { RealtimeEvent, RealtimeHub } from '../lib/realtime.js';

/** What the server emits; clients send nothing but the handshake. */
export type RealtimeEmits = Record<RealtimeEvent, (payload: unknown) => void>;

export interface RealtimeSocketData {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

export type RealtimeServer = Server<DefaultEventsMap, RealtimeEmits, DefaultEventsMap, RealtimeSocketData>;
type RealtimeSocket = Socket<DefaultEventsMap, RealtimeEmits, DefaultEventsMap, RealtimeSocketData>;

/** Real-time pushes to users, whichever instance (API or worker) they are connected to. */
export interface Realtime extends RealtimeHub {
  /** Disconnects every socket of this user on every instance (deactivation). Never rejects. */
  disconnectUser(userId: string): Promise<void>;
  /** Disconnects every socket of these login sessions on every instance (session ended). Never rejects. */
  disconnectSessions(sessionIds: readonly string[]): Promise<void>;
  /** The Socket.IO server itself, for tests. */
  readonly io: RealtimeServer;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

/** Why a handshake was refused: the client's `connect_error` has this message and `data.code`. */
export type RealtimeRefusal = 'unauthenticated' | 'account_deactivated' | 'unavailable';

const userRoom = (userId: string) => `user:${userId}`;
/** Each socket also joins its login session's room, so ending one session closes only its sockets. */
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** A refused handshake; Socket.IO sends `message` and `data` to the client as its connect_error. */
class Refusal extends Error implements ExtendedError {
  readonly data: { code: RealtimeRefusal };
  constructor(code: RealtimeRefusal) {
    super(code);
    this.data = { code };
  }
}

/** setTimeout's ceiling (~24.8 days); longer delays would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Two dedicated connections for the adapter: a subscriber cannot issue other commands. They
 * inherit the app client's options (no offline queue, one retry), so they are made lazy and
 * connected here, before the adapter subscribes.
 */
async function adapterClients(redis: Redis, log: FastifyInstance['log']): Promise<{ pub: Redis; sub: Redis }> {
  const pub = redis.duplicate({ lazyConnect: true });
  const sub = redis.duplicate({ lazyConnect: true });
  for (const [name, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    client.on('error', (err: Error) => log.warn({ err: err.message, client: name }, 'realtime redis error'));
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`realtime: cannot connect to Redis: ${(error as Error).message}`, { cause: error });
  }
  // The adapter publishes without handling the promise; while Redis is down (no offline queue)
  // that promise rejects, and an unhandled rejection would end the process. A push lost then
  // costs little: the rows are durable and clients refetch on reconnect.
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  Object.assign(pub, {
    publish: (channel: string, message: string | Buffer) =>
      publish(channel, message).catch((err: Error) => {
        log.warn({ err: err.message }, 'realtime: publish failed; the push reached this instance only');
        return 0;
      }),
  });
  return { pub, sub };
}

async function quit(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}

/**
 * Socket.IO at `/socket.io` (API.md "Messages and notifications"). A socket authenticates with
 * an access token in its handshake, joins its user's room, and is dropped when that token
 * expires (the client reconnects with a fresh one). With Redis, emits and disconnects reach the
 * sockets of every instance, including from a worker process that never listens.
 */
export default fp(
  async function realtimePlugin(app: FastifyInstance, opts: { keyPrefix: string }) {
    const io: RealtimeServer = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      // Clients only ever send the handshake (a token): no reason to accept large frames.
      maxHttpBufferSize: 16 * 1024,
    });

    let clients: { pub: Redis; sub: Redis } | undefined;
    if (app.redis) {
      clients = await adapterClients(app.redis, app.log);
      try {
        io.adapter(createAdapter(clients.pub, clients.sub, { key: `${opts.keyPrefix}socket.io` }));
        // The adapter subscribes without waiting; replies come in order, so once this PING is
        // answered the subscriptions are live and no emit from another instance is missed.
        await clients.sub.ping();
      } catch (error) {
        clients.pub.disconnect();
        clients.sub.disconnect();
        io.engine.close();
        throw error;
      }
    }

    /**
     * Why this socket may not stay, read now as HTTP reads it on every request (the user's status
     * and whether the token's session is still open), or undefined when it may.
     */
    async function refusalFor(userId: string, sessionId: string): Promise<RealtimeRefusal | undefined> {
      const found = await app.findActor(userId, sessionId);
      if (!found) return 'unauthenticated';
      if (found.actor.status === 'deactivated') return 'account_deactivated';
      if (!found.sessionOpen) return 'unauthenticated';
      return undefined;
    }

    async function authenticate(socket: RealtimeSocket): Promise<void> {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      if (typeof token !== 'string' || token === '') throw new Refusal('unauthenticated');
      const claims = await app.tokens.verify(token);
      if (!claims) throw new Refusal('unauthenticated');
      // As over HTTP, the token only says who and in which session: both are checked now.
      const refusal = await refusalFor(claims.userId, claims.sessionId);
      if (refusal) throw new Refusal(refusal);
      socket.data.userId = claims.userId;
      socket.data.sessionId = claims.sessionId;
      socket.data.expiresAt = claims.expiresAt;
    }

    io.use((socket, next) => {
      authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          if (error instanceof Refusal) return next(error);
          // The database is unreachable, say: the client retries later.
          app.log.error({ err: error }, 'realtime: handshake failed');
          next(new Refusal('unavailable'));
        },
      );
    });

    io.on('connection', (socket) => {
      const { userId, sessionId, expiresAt } = socket.data;
      void socket.join([userRoom(userId), sessionRoom(sessionId)]);
      // A deactivation or a session's end that committed between the handshake's read and the
      // join above would have missed this socket: read again now that the socket is reachable.
      refusalFor(userId, sessionId).then(
        (refusal) => {
          if (refusal) socket.disconnect(true);
        },
        (error: unknown) => app.log.warn({ err: error }, 'realtime: status re-check failed'),
      );
      const delay = Math.min(Math.max(0, expiresAt.getTime() - Date.now()), MAX_TIMER_MS);
      const expiry = setTimeout(() => socket.disconnect(true), delay);
      expiry.unref();
      socket.once('disconnect', () => clearTimeout(expiry));
    });

    const realtime: Realtime = {
      io,
      toUsers(userIds, event, payload) {
        if (userIds.length === 0) return;
        try {
          io.to(userIds.map(userRoom)).emit(event, payload);
        } catch (error) {
          // Runs after a commit: the write stands whatever happens to the push.
          app.log.error({ err: error, event }, 'realtime: emit failed');
        }
      },
      async disconnectUser(userId) {
        try {
          io.in(userRoom(userId)).disconnectSockets(true);
        } catch (error) {
          app.log.error({ err: error }, 'realtime: disconnect failed');
        }
      },
      async disconnectSessions(sessionIds) {
        if (sessionIds.length === 0) return;
        try {
          io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
        } catch (error) {
          app.log.error({ err: error }, 'realtime: disconnect failed');
        }
      },
    };
    app.decorate('realtime', realtime);

    // Open sockets keep the HTTP server from closing, so they go first. `io.close()` is not used:
    // it would also close the HTTP server, which Fastify closes itself (listening or not).
    app.addHook('preClose', async () => {
      io.local.disconnectSockets(true);
      io.engine.close();
    });
    app.addHook('onClose', async () => {
      if (clients) await Promise.all([quit(clients.pub), quit(clients.sub)]);
    });
  },
  { name: 'realtime', dependencies: ['redis', 'auth'] },
);
