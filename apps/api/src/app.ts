import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import sjson from 'secure-json-parse';
import { trustProxy, type Config } from './config.js';
import type { Database } from './db/client.js';
import { LIMITS } from '@iescp/shared';
import { ACCOUNT_SCHEMAS } from './modules/accounts/accounts.schemas.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { createAccountsService } from './modules/accounts/accounts.service.js';
import { createAvatarsService } from './modules/accounts/avatars.service.js';
import { createAdminUsersService } from './modules/admin/admin-users.service.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { Sessions } from './modules/auth/sessions.js';
import { AccessTokens } from './modules/auth/tokens.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { AD_REQUEST_SCHEMAS } from './modules/ad-requests/ad-requests.schemas.js';
import { adRequestsRoutes } from './modules/ad-requests/ad-requests.routes.js';
import { createAdRequestsService } from './modules/ad-requests/ad-requests.service.js';
import { createLedgerService, LedgerEntry, ledgerRoutes } from './modules/ledger/ledger.routes.js';
import { createAdRequestTimers } from './modules/ad-requests/ad-request-timers.js';
import queuePlugin from './jobs/queue.js';
import { CAMPAIGN_SCHEMAS } from './modules/campaigns/campaigns.schemas.js';
import { campaignsRoutes } from './modules/campaigns/campaigns.routes.js';
import { createCampaignsService } from './modules/campaigns/campaigns.service.js';
import { DIRECTORY_SCHEMAS } from './modules/directory/directory.schemas.js';
import { directoryRoutes } from './modules/directory/directory.routes.js';
import { createDirectoryService } from './modules/directory/directory.service.js';
import { Problem } from './lib/schemas.js';
import authPlugin from './plugins/auth.js';
import cachePlugin from './plugins/cache.js';
import databasePlugin from './plugins/database.js';
import errorsPlugin from './plugins/errors.js';
import idempotencyPlugin from './plugins/idempotency.js';
import openapiPlugin from './plugins/openapi.js';
import rateLimitsPlugin from './plugins/rate-limits.js';
import redisPlugin from './plugins/redis.js';
import validationPlugin from './plugins/validation.js';
import webPlugin from './plugins/web.js';
import realtimePlugin from './plugins/realtime.js';
import { MESSAGING_SCHEMAS } from './modules/messaging/messaging.schemas.js';
import { conversationsRoutes } from './modules/messaging/conversations.routes.js';
import { createConversationsService } from './modules/messaging/conversations.service.js';
import { NOTIFICATION_SCHEMAS } from './modules/notifications/notifications.schemas.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { loadSigningSecret } from './modules/auth/signing-secret.js';

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
  jobs?: { enabled: boolean; workers: boolean };
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The whole HTTP application, used by the process entry and by every test. */
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
      err.message = `Malformed JSON: ${err.message}`;
      done(err, undefined);
    }
  });

  // No body at all (a browser's bodiless POST) is the same as `{}`: body schemas then report
  // the fields that are required instead of "must be object".
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });

  await app.register(errorsPlugin);
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
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: LIMITS.avatarBytes, files: 1 } });
  await app.register(databasePlugin, { database: deps.database, ownsDatabase: deps.ownsConnections ?? true });
  await app.register(redisPlugin, { redis: deps.redis, ownsRedis: deps.ownsConnections ?? true });
  await app.register(rateLimitsPlugin, { config, keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });
  await app.register(cachePlugin, { keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });

  const secret = config.JWT_SECRET ?? (await loadSigningSecret(deps.database.db));
  const tokens = new AccessTokens(secret, config.ACCESS_TOKEN_TTL_SECONDS);
  await app.register(authPlugin, { tokens });
  await app.register(realtimePlugin, { keyPrefix: deps.redisKeyPrefix ?? 'iescp:' });
  await app.register(idempotencyPlugin);
  await app.register(openapiPlugin);

  const db = deps.database.db;
  const sessions = new Sessions(db, tokens, config.REFRESH_TOKEN_TTL_DAYS);
  const { cache, realtime } = app;
  const accounts = createAccountsService({ db, sessions, rateLimits: app.rateLimits, cache });
  const avatars = createAvatarsService({ db, cache });
  const adminUsers = createAdminUsersService({ db, sessions, cache, realtime });
  const directory = createDirectoryService({ db, cache });
  const adRequests = createAdRequestsService({ db, cache, realtime });
  const timers = createAdRequestTimers({
    db,
    service: adRequests,
    offerTtlDays: config.OFFER_TTL_DAYS,
    autoCompleteDays: config.AUTO_COMPLETE_DAYS,
  });
  await app.register(queuePlugin, {
    database: deps.database,
    enabled: deps.jobs?.enabled ?? false,
    workers: deps.jobs?.workers ?? false,
    handlers: {
      'expire-offers': async () => ({ ...(await timers.expireOffers()) }),
      'auto-complete': async () => ({ ...(await timers.autoComplete()) }),
    },
  });
  const campaigns = createCampaignsService({
    db,
    cache,
    realtime,
    withdrawOpenAdRequests: (tx, fanout, actor, id) => adRequests.withdrawOpenOfCampaign(tx, fanout, actor, id),
  });

  for (const schema of [
    Problem,
    ...ACCOUNT_SCHEMAS,
    ...CAMPAIGN_SCHEMAS,
    ...DIRECTORY_SCHEMAS,
    ...AD_REQUEST_SCHEMAS,
    ...MESSAGING_SCHEMAS,
    ...NOTIFICATION_SCHEMAS,
    LedgerEntry,
  ])
    app.addSchema(schema);

  await app.register(
    async (api) => {
      await api.register(systemRoutes);
      await api.register(accountsRoutes, { config, accounts, avatars, sessions });
      await api.register(adminRoutes, { adminUsers, audit: createAuditService({ db }) });
      await api.register(campaignsRoutes, { campaigns });
      await api.register(directoryRoutes, { directory });
      await api.register(adRequestsRoutes, { adRequests });
      await api.register(ledgerRoutes, { ledger: createLedgerService(db) });
      await api.register(conversationsRoutes, {
        conversations: createConversationsService({ db, rateLimits: app.rateLimits, realtime }),
      });
      await api.register(notificationsRoutes, { notifications: createNotificationsService({ db }) });
    },
    { prefix: '/api/v1' },
  );

  await app.register(webPlugin, { root: config.WEB_DIST_DIR });
  return app;
}
