import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { AppEvents } from '../events.js';
import type { Jobs } from '../jobs/queue.js';
import type { AccessTokens } from '../lib/access-tokens.js';
import type { Cache } from '../plugins/cache.js';
import type { RateLimits } from '../plugins/rate-limits.js';
import type { Realtime } from '../plugins/realtime.js';

/**
 * The services modules publish for each other, by name. Each module adds its own entries with
 * `declare module '../module.js' { interface Services { … } }` in its `*.module.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the modules built, for the process entry (demo data) and tests. */
    services: Services;
    events: AppEvents;
  }
}

/** What every module is built from: the infrastructure, and the services of the modules it needs. */
export interface ModuleContext {
  config: Config;
  db: Db;
  events: AppEvents;
  cache: Cache;
  realtime: Realtime;
  rateLimits: RateLimits;
  tokens: AccessTokens;
  jobs: Jobs;
  services: Services;
}

/**
 * A feature module: the one thing `buildApp` registers for it (see MODULES in modules/index.ts).
 * `setup` builds its services and subscribes to events; `buildApp` runs it after the setups of
 * the modules named in `needs`, so a module only ever uses services that exist, and a cycle
 * stops the start. Schemas and routes are registered in the order of MODULES (it is the order
 * of the OpenAPI document, and so of the generated client).
 */
export interface AppModule {
  name: string;
  needs?: readonly string[];
  /** Shared schemas (with `$id`) that routes reference with `Ref(…)`. */
  schemas?: readonly TSchema[];
  setup?: (ctx: ModuleContext) => void | Promise<void>;
  /** The module's routes, mounted under /api/v1 with the context as options. */
  routes?: FastifyPluginAsyncTypebox<ModuleContext>;
}

/** Orders modules so that each comes after the ones it needs; throws on an unknown name or a cycle. */
export function setupOrder(modules: readonly AppModule[]): AppModule[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: AppModule[] = [];
  function visit(m: AppModule, path: string[]) {
    if (done.has(m.name)) return;
    if (visiting.has(m.name)) throw new Error(`module cycle: ${[...path, m.name].join(' → ')}`);
    visiting.add(m.name);
    for (const name of m.needs ?? []) {
      const needed = byName.get(name);
      if (!needed) throw new Error(`module ${m.name} needs ${name}, which is not registered`);
      visit(needed, [...path, m.name]);
    }
    visiting.delete(m.name);
    done.add(m.name);
    order.push(m);
  }
  for (const m of modules) visit(m, []);
  return order;
}
