import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * What a cached read depends on. A write bumps its namespace's version; keys carry the version,
 * so every entry written before the bump is unreachable at once (and expires by TTL).
 */
export type CacheNamespace = 'campaigns' | 'users';

/** A cached answer, kept and sent as its JSON text: a hit is neither parsed nor re-serialized. */
export interface Cached {
  json: string;
  hit: boolean;
}

export interface Cache {
  /**
   * The cached JSON for `key`, or `compute()`'s value stored for `ttlSeconds`; `hit` says which.
   * `key` lists everything the answer depends on (who asks, the query); it is hashed here.
   */
  wrap(
    ns: CacheNamespace,
    key: readonly unknown[],
    ttlSeconds: number,
    compute: () => Promise<unknown>,
  ): Promise<Cached>;
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

export function memoryStore(): Store {
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

const NAMESPACES: CacheNamespace[] = ['campaigns', 'users'];

export interface CacheController extends Cache {
  /** Retries invalidations that failed while the store was unreachable; true when none remain. */
  flushPending(): Promise<boolean>;
}

export function createCache(store: Store, log: FastifyInstance['log']): CacheController {
  // Namespaces whose invalidation failed (store down). Until they are bumped, this instance
  // reads around the cache: an entry from before the outage may hide a write made during it.
  const pending = new Set<CacheNamespace>();

  async function flushPending(): Promise<boolean> {
    for (const ns of [...pending]) {
      await store.bump(ns);
      pending.delete(ns);
    }
    return true;
  }

  return {
    flushPending: () => flushPending().catch(() => false),
    async wrap(ns, keyParts, ttlSeconds, compute) {
      const key = createHash('sha256').update(JSON.stringify(keyParts)).digest('base64url');
      let fullKey: string;
      try {
        if (pending.size > 0) await flushPending();
        // The version is read before the database, so a write that lands meanwhile bumps past it.
        fullKey = `c:${ns}:${await store.version(ns)}:${key}`;
        const cached = await store.get(fullKey);
        if (cached !== null) return { json: cached, hit: true };
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'cache unavailable; reading from the database');
        return { json: JSON.stringify(await compute()), hit: false };
      }
      const json = JSON.stringify(await compute());
      store.set(fullKey, json, ttlSeconds).catch((err: Error) => {
        log.warn({ err: err.message }, 'cache write failed');
      });
      return { json, hit: false };
    },
    async invalidate(...namespaces) {
      for (const ns of namespaces) {
        try {
          await store.bump(ns);
        } catch (err) {
          pending.add(ns);
          log.error({ err: (err as Error).message, ns }, 'cache invalidation failed; retrying when the cache is back');
        }
      }
    },
  };
}

/**
 * Sends a cached answer with `X-Cache`. The JSON was built by the route's presenter, so it is
 * sent as text; the route's response schema still documents its shape.
 */
export function sendCached(reply: FastifyReply, cached: Cached) {
  return reply
    .header('x-cache', cached.hit ? 'hit' : 'miss')
    .type('application/json; charset=utf-8')
    .send(cached.json);
}

export default fp(
  async function cachePlugin(app: FastifyInstance, opts: { keyPrefix: string }) {
    const redis = app.redis;
    const store = redis ? redisStore(redis, `${opts.keyPrefix}cache:`) : memoryStore();
    const cache = createCache(store, app.log);
    if (redis) {
      // Other instances may have written while Redis was away and failed to invalidate: after
      // any reconnection, everything cached before is suspect, so every namespace moves on.
      let lost = false;
      redis.on('error', () => (lost = true));
      redis.on('close', () => (lost = true));
      redis.on('ready', () => {
        if (!lost) return;
        lost = false;
        void Promise.all(NAMESPACES.map((ns) => cache.invalidate(ns))).then(() => cache.flushPending());
      });
    }
    app.decorate('cache', cache);
  },
  { name: 'cache', dependencies: ['redis'] },
);
