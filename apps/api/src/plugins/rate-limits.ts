import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { rateLimited } from '../lib/errors.js';

/**
 * Named limiters over Redis when configured (shared by every instance), in memory otherwise.
 * A Redis outage falls back to an in-memory "insurance" limiter rather than failing requests.
 */
export interface RateLimits {
  /** Counts a hit; throws 429 `rate_limited` with Retry-After when the key is over its limit. */
  consume(name: LimiterName, key: string): Promise<void>;
  /** Throws 429 if the key is already at its limit, without counting a hit. */
  assertUnder(name: LimiterName, key: string): Promise<void>;
  reset(name: LimiterName, key: string): Promise<void>;
}

export type LimiterName = 'loginFailures' | 'loginFailuresPerEmail' | 'loginPerIp' | 'signupPerIp' | 'messagesPerUser';

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: RateLimits;
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export default fp(
  async function rateLimitsPlugin(app: FastifyInstance, opts: { config: Config; keyPrefix: string }) {
    const { config } = opts;
    const specs: Record<LimiterName, { points: number; duration: number }> = {
      // Keyed by email + client address: a stranger's guesses lock out only the stranger…
      loginFailures: { points: config.LOGIN_MAX_FAILURES, duration: config.LOGIN_FAILURE_WINDOW_SECONDS },
      // …while a much higher ceiling per email still stops guessing spread over many addresses.
      loginFailuresPerEmail: {
        points: config.LOGIN_MAX_FAILURES_PER_EMAIL,
        duration: config.LOGIN_FAILURE_WINDOW_SECONDS,
      },
      loginPerIp: { points: config.LOGIN_PER_IP_PER_HOUR, duration: 3600 },
      signupPerIp: { points: config.SIGNUP_PER_IP_PER_HOUR, duration: 3600 },
      messagesPerUser: { points: config.MESSAGES_PER_MINUTE, duration: 60 },
    };
    const limiters = {} as Record<LimiterName, RateLimiterAbstract>;
    for (const [name, spec] of Object.entries(specs) as [LimiterName, (typeof specs)[LimiterName]][]) {
      const keyPrefix = `${opts.keyPrefix}rl:${name}`;
      const memory = new RateLimiterMemory({ ...spec, keyPrefix });
      limiters[name] = app.redis
        ? new RateLimiterRedis({
            ...spec,
            keyPrefix,
            storeClient: app.redis,
            useRedisPackage: false,
            insuranceLimiter: memory,
          })
        : memory;
    }

    const rateLimits: RateLimits = {
      async consume(name, key) {
        try {
          await limiters[name].consume(key);
        } catch (res) {
          if (res instanceof RateLimiterRes) throw rateLimited(retryAfter(res));
          throw res;
        }
      },
      async assertUnder(name, key) {
        const res = await limiters[name].get(key);
        if (res && res.consumedPoints >= specs[name].points) throw rateLimited(retryAfter(res));
      },
      async reset(name, key) {
        await limiters[name].delete(key);
      },
    };
    app.decorate('rateLimits', rateLimits);
  },
  { name: 'rate-limits', dependencies: ['redis'] },
);
