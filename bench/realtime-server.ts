/**
 * One API instance of the real-time bench; bench/realtime.ts starts two. It wires the real app
 * as `main.ts` does (connectServices + buildApp) and listens on 127.0.0.1. Both instances share
 * the database, Redis, the Redis key prefix and the signing secret, like replicas behind a load
 * balancer; each runs in its own process, apart from the sockets and the load generator.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config.js';
import { connectServices } from '../apps/api/src/startup.js';

export type ToInstance =
  | { type: 'start'; databaseUrl: string; redisUrl: string; redisKeyPrefix: string; jwtSecret: string }
  | { type: 'close' };

export type FromInstance = { type: 'ready'; url: string } | { type: 'closed' } | { type: 'error'; message: string };

let app: FastifyInstance | undefined;

function send(message: FromInstance) {
  process.send?.(message);
}

async function start(message: Extract<ToInstance, { type: 'start' }>) {
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PROCESS_ROLE: 'api',
      DATABASE_URL: message.databaseUrl,
      REDIS_URL: message.redisUrl,
      JWT_SECRET: message.jwtSecret,
      WEB_DIST_DIR: '/nonexistent',
      // The bench users chat far faster than people do; the spam brake is not what is measured.
      MESSAGES_PER_MINUTE: 1_000_000,
    },
  );
  const services = await connectServices(config);
  // The app owns the connections: closing it closes the pool and Redis.
  app = await buildApp(config, { ...services, redisKeyPrefix: message.redisKeyPrefix });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no TCP address');
  send({ type: 'ready', url: `http://127.0.0.1:${address.port}` });
}

async function close() {
  await app?.close();
  send({ type: 'closed' });
  process.disconnect?.();
}

process.on('message', (raw) => {
  const message = raw as ToInstance;
  const fail = (error: unknown) =>
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  if (message.type === 'start') start(message).catch(fail);
  else if (message.type === 'close') close().catch(fail);
});

// Never outlive the bench: if the parent goes away, so does the instance.
process.on('disconnect', () => process.exit(0));
