import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when REDIS_URL is unset: callers fall back to in-memory implementations. */
    redis: Redis | null;
  }
}

export function connectRedis(url: string): Redis {
  return new Redis(url, {
    // Fail fast instead of queueing commands forever while Redis is down; callers fall back.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3_000,
    lazyConnect: true,
  });
}

export default fp(
  async function redisPlugin(app: FastifyInstance, opts: { redis: Redis | null; ownsRedis: boolean }) {
    app.decorate('redis', opts.redis);
    const redis = opts.redis;
    if (redis) {
      redis.on('error', (err: Error) => app.log.warn({ err: err.message }, 'redis error'));
      if (opts.ownsRedis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
    }
  },
  { name: 'redis' },
);
