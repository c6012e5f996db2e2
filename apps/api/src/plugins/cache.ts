import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * What a cached read depends on. A write bumps its namespace's version; keys carry the version,
 * so every entry written before the bump is unreachable at once (and expires by TTL).
 */
export type CacheNamespace = 'campaigns' | 'users';

export interface Cache {
  /** The cached value for `key`, or `compute()` stored for `ttlSeconds`; `hit` says which. */
  wrap<T>(
    ns: CacheNamespace,
    key: string,
    ttlSeconds: number,
    compute: () => Promise<T>,
  ): Promise<{ value: T; hit: boolean }>;
  /** Call after the write committed, so the next read sees it. */
  invalidate(...namespaces: CacheNamespace[]): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cache: Cache;
  }
}

interface Store {
  version(ns: CacheNamespace): Promise<number>;
  bump(ns: CacheNamespace): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

function memoryStore(): Store {
  const versions = new Map<CacheNamespace, number>();
  const entries = new LRUCache<string, string>({ max: 10_000, ttlAutopurge: false });
  return {
    version: async (ns) => versions.get(ns) ?? 0,
    bump: async (ns) => void versions.set(ns, (versions.get(ns) ?? 0) + 1),
    get: async (key) => entries.get(key) ?? null,
    set: async (key, value, ttl) => void entries.set(key, value, { ttl: ttl * 1000 }),
  };
}

function redisStore(redis: Redis, prefix: string): Store {
  return {
    version: async (ns) => Number((await redis.get(`${prefix}ver:${ns}`)) ?? 0),
    bump: async (ns) => void (await redis.incr(`${prefix}ver:${ns}`)),
    get: (key) => redis.get(`${prefix}${key}`),
    set: async (key, value, ttl) => void (await redis.set(`${prefix}${key}`, value, 'EX', ttl)),
  };
}

export function createCache(store: Store, log: FastifyInstance['log']): Cache {
  return {
    async wrap<T>(ns: CacheNamespace, key: string, ttlSeconds: number, compute: () => Promise<T>) {
      let fullKey: string | undefined;
      try {
        // The version is read before the database, so a write that lands meanwhile bumps past it.
        fullKey = `c:${ns}:${await store.version(ns)}:${key}`;
        const cached = await store.get(fullKey);
        if (cached !== null) return { value: JSON.parse(cached) as T, hit: true };
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'cache unavailable; reading from the database');
        return { value: await compute(), hit: false };
      }
      const value = await compute();
      store.set(fullKey, JSON.stringify(value), ttlSeconds).catch((err: Error) => {
        log.warn({ err: err.message }, 'cache write failed');
      });
      return { value, hit: false };
    },
    async invalidate(...namespaces) {
      for (const ns of namespaces) {
        try {
          await store.bump(ns);
        } catch (err) {
          // Entries expire by TTL; until then a stale read is possible, so say so loudly.
          log.error({ err: (err as Error).message, ns }, 'cache invalidation failed');
        }
      }
    },
  };
}

export default fp(
  async function cachePlugin(app: FastifyInstance, opts: { keyPrefix: string }) {
    const store = app.redis ? redisStore(app.redis, `${opts.keyPrefix}cache:`) : memoryStore();
    app.decorate('cache', createCache(store, app.log));
  },
  { name: 'cache', dependencies: ['redis'] },
);
