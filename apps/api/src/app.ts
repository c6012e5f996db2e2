import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LIMITS } from '@iescp/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import sjson from 'secure-json-parse';
import { trustProxy, type Config } from './config.js';
import type { Database } from './db/client.js';
import { loadSigningSecret } from './db/settings.js';
import { INVALIDATES, type AppEvent } from './events.js';
import queuePlugin, { jobSchedules } from './jobs/queue.js';
import { createAccessTokens } from './lib/access-tokens.js';
import { createEventBus } from './lib/events.js';
import { Problem } from './lib/schemas.js';
import { MODULES } from './modules/index.js';
import { setupOrder, type ModuleContext, type Services } from './modules/module.js';
import authPlugin from './plugins/auth.js';
import cachePlugin, { type CacheNamespace } from './plugins/cache.js';
import databasePlugin from './plugins/database.js';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import idempotencyPlugin from './plugins/idempotency.js';
import openapiPlugin from './plugins/openapi.js';
import rateLimitsPlugin from './plugins/rate-limits.js';
import realtimePlugin from './plugins/realtime.js';
import redisPlugin from './plugins/redis.js';
import shutdownPlugin from './plugins/shutdown.js';
import validationPlugin from './plugins/validation.js';
import webPlugin from './plugins/web.js';

export interface AppDeps {
  /** An opened and migrated database. */
  database: Database;
  redis: Redis | null;
  /** Whether closing the app closes the database and Redis (false when a test shares them). */
  ownsConnections?: boolean;
  /** Prefix of every Redis key, so test runs sharing a Redis server never see each other. */
  redisKeyPrefix?: string;
  logger?: boolean | object;
  /** The job queue: off unless asked for (tests run timers directly); workers per PROCESS_ROLE. */
  jobs?: {
    enabled: boolean;
    workers: boolean;
    /** How often workers ask whether a schedule is due (pg-boss's 30 s unless set; tests shorten it). */
    cronCheckSeconds?: number;
  };
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The whole HTTP application, used by the process entry and by every test. */
/** Responses smaller than this are not worth compressing (see bench: compression). */
export const COMPRESS_THRESHOLD_BYTES = 1024;

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      ...(process.stdout.isTTY && config.NODE_ENV !== 'production' ? { transport: { target: 'pino-pretty' } } : {}),
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustProxy(config),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { strict: false } },
    // What the router and Node's HTTP parser refuse (an over-long path parameter: 414; headers or
    // a query string over Node's 16 KiB: 431; bad URL encoding) is problem+json like the rest.
    routerOptions: { maxParamLength: 100 },
    frameworkErrors,
    clientErrorHandler,
    // While closing, the shutdown plugin answers with problem+json 503 instead (plugins/shutdown.ts).
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // An empty JSON body on an action (`POST /admin/users/:id/approve` with Content-Type JSON)
  // means "no input", not "malformed"; everything else goes through the poisoning-safe parser.
  // The API speaks JSON (and multipart for uploads): text bodies are refused with 415.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const err = error as Error & { statusCode?: number };
      err.statusCode = 400;
      // V8's parse messages quote the text around the fault: say where, never what. (The
      // poisoning refusals, "Object contains forbidden … property", quote nothing.)
      const poisoned = err.message.startsWith('Object contains forbidden');
      const at = /position (\d+)/.exec(err.message)?.[1];
      err.message = poisoned
        ? `Malformed JSON: ${err.message}`
        : `Malformed JSON${at === undefined ? '' : ` at position ${at}`}.`;
      done(err, undefined);
    }
  });

  // No body at all (a browser's bodiless POST) is the same as `{}`: body schemas then report
  // the fields that are required instead of "must be object".
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });

  await app.register(errorsPlugin);
  // Before every other plugin: its preClose hook must run first (see the plugin).
  await app.register(shutdownPlugin, { graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000 });
  await app.register(validationPlugin);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  if (config.CORS_ORIGINS) {
    await app.register(cors, { origin: config.CORS_ORIGINS.split(',').map((o) => o.trim()), credentials: true });
  }
  // JSON answers of a kilobyte or more go out Brotli- or gzip-compressed when the client accepts
  // it (a campaign page shrinks about sevenfold); smaller ones, which include every answer that
  // carries a token, are sent as they are: compressing them saves nothing and costs CPU. Built web
  // files carry their own precompressed copies and Content-Encoding, which this leaves alone.
  // Compressed request bodies are not accepted: no client of ours sends them, and inflating them
  // would only widen what a request can make the server do.
  // The web app's files are left out by route: the plugin compresses every stream whatever its
  // size, and those files either have their precompressed copies or are too small to gain.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) route.compress = false;
  });
  await app.register(compress, { threshold: COMPRESS_THRESHOLD_BYTES, globalDecompression: false });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: LIMITS.avatarBytes, files: 1 } });
  await app.register(databasePlugin, { database: deps.database, ownsDatabase: deps.ownsConnections ?? true });
  await app.register(redisPlugin, { redis: deps.redis, ownsRedis: deps.ownsConnections ?? true });
  await app.register(rateLimitsPlugin, { config, keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });
  await app.register(cachePlugin, { keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });

  const db = deps.database.db;
  const secret = config.JWT_SECRET ?? (await loadSigningSecret(db));
  const tokens = createAccessTokens(secret, config.ACCESS_TOKEN_TTL_SECONDS);
  // Modules are set up below; the gate and the socket handshake ask the accounts module at request time.
  const services = {} as Services;
  await app.register(authPlugin, {
    tokens,
    findActor: (id, sessionId) => services.accounts.actorOf(id, sessionId),
    activity: { seen: (id) => services.lastSeen.seen(id), settled: () => services.lastSeen.settled() },
  });
  await app.register(realtimePlugin, { keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });
  await app.register(idempotencyPlugin);
  await app.register(openapiPlugin);
  await app.register(queuePlugin, {
    database: deps.database,
    enabled: deps.jobs?.enabled ?? false,
    workers: deps.jobs?.workers ?? false,
    stopTimeoutMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
    schedules: jobSchedules(config),
    ...(deps.jobs?.cronCheckSeconds ? { cronCheckSeconds: deps.jobs.cronCheckSeconds } : {}),
  });

  const ctx: ModuleContext = {
    config,
    db,
    events: createEventBus<AppEvent, CacheNamespace>({
      db,
      realtime: app.realtime,
      invalidate: (...namespaces) => app.cache.invalidate(...namespaces),
      invalidates: INVALIDATES,
      log: app.log,
    }),
    cache: app.cache,
    realtime: app.realtime,
    rateLimits: app.rateLimits,
    tokens,
    jobs: app.jobs,
    services,
  };
  for (const module of setupOrder(MODULES)) await module.setup?.(ctx);
  app.decorate('services', services);
  app.decorate('events', ctx.events);
  app.addSchema(Problem);
  for (const module of MODULES) for (const schema of module.schemas ?? []) app.addSchema(schema);
  await app.register(
    async (api) => {
      for (const module of MODULES) if (module.routes) await api.register(module.routes, ctx);
    },
    { prefix: '/api/v1' },
  );

  await app.register(webPlugin, { root: config.WEB_DIST_DIR });
  return app;
}
