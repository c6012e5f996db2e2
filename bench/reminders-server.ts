/**
 * The process under load in the reminders scenario (bench/reminders.ts): the real app wired as
 * `main.ts` does with PROCESS_ROLE=all, so it serves the searches and runs the job workers that
 * deliver the reminder mails (to the bench's SMTP sink) in the same process, the default
 * deployment. `remind` runs the daily-reminders job in this process and times it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config.js';
import { connectServices } from '../apps/api/src/startup.js';

export type ToReminders =
  | { type: 'start'; databaseUrl: string; redisUrl: string; smtpUrl: string; viewerId: string; poolSize?: number }
  | { type: 'remind' }
  | { type: 'close' };

export type FromReminders =
  | { type: 'ready'; appUrl: string; token: string; poolSize: number }
  | { type: 'reminded'; ms: number; result: Record<string, number> }
  | { type: 'closed' }
  | { type: 'error'; message: string };

let app: FastifyInstance | undefined;
let cleanupRedis: (() => Promise<void>) | undefined;

function send(message: FromReminders) {
  process.send?.(message);
}

async function start(message: Extract<ToReminders, { type: 'start' }>) {
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PROCESS_ROLE: 'all',
      DATABASE_URL: message.databaseUrl,
      REDIS_URL: message.redisUrl,
      SMTP_URL: message.smtpUrl,
      PUBLIC_URL: 'https://iescp.example',
      WEB_DIST_DIR: '/nonexistent',
      ...(message.poolSize ? { DATABASE_POOL_SIZE: message.poolSize } : {}),
    },
  );
  const services = await connectServices(config);
  const redisKeyPrefix = `iescp-bench:${randomBytes(6).toString('hex')}:`;
  const redis = services.redis;
  cleanupRedis = async () => {
    if (!redis) return;
    for await (const keys of redis.scanStream({ match: `${redisKeyPrefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.del(...batch);
    }
  };
  app = await buildApp(config, { ...services, redisKeyPrefix, jobs: { enabled: true, workers: true } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { accessToken } = await app.services.sessions.issue(services.database.db, {
    id: message.viewerId,
    role: 'influencer',
  });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no TCP address');
  send({
    type: 'ready',
    appUrl: `http://127.0.0.1:${address.port}`,
    token: accessToken,
    poolSize: config.DATABASE_POOL_SIZE,
  });
}

async function remind() {
  const started = performance.now();
  // What the worker runs at REMINDER_HOUR (and the admin's "run now"), here on demand.
  const result = await app!.jobs.runHere('daily-reminders');
  send({ type: 'reminded', ms: performance.now() - started, result });
}

async function close() {
  await cleanupRedis?.().catch(() => undefined);
  // The app owns its connections: closing it stops the workers and closes the pool and Redis.
  await app?.close();
  send({ type: 'closed' });
  process.disconnect?.();
}

process.on('message', (raw) => {
  const message = raw as ToReminders;
  const fail = (error: unknown) =>
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  if (message.type === 'start') start(message).catch(fail);
  else if (message.type === 'remind') remind().catch(fail);
  else if (message.type === 'close') close().catch(fail);
});

// Never outlive the bench: if the parent goes away, so does the server.
process.on('disconnect', () => process.exit(0));
