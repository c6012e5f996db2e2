import { existsSync } from 'node:fs';
import './lib/formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * The one reader of process.env. Parsed once, validated, frozen; a bad value stops the process
 * with one line that names the variable.
 */
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PROCESS_ROLE: Type.Union([Type.Literal('all'), Type.Literal('api'), Type.Literal('worker')], { default: 'all' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  /** Where the app is reached from outside (links in mail); default http://localhost:PORT. */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** The sender of every mail: an address, or `Name <address>`. */
  MAIL_FROM: Type.String({ minLength: 3, default: 'IESCP <no-reply@iescp.local>' }),
  /** Delivery retries after the first failed attempt, then the mail is `failed`. */
  MAIL_RETRY_LIMIT: Type.Integer({ minimum: 0, maximum: 20, default: 5 }),
  /** Seconds before the first retry; each later one waits about twice as long. */
  MAIL_RETRY_DELAY_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  /** Hosts a user's chat webhook URL may point at (comma-separated), so it never points inside. */
  WEBHOOK_ALLOWED_HOSTS: Type.String({ default: 'chat.googleapis.com' }),
  /**
   * Tests only (refused unless NODE_ENV=test): also accept plain http and a port on an allowed
   * host, so a local server on 127.0.0.1 can stand in for the chat service.
   */
  WEBHOOK_ALLOW_HTTP: Type.Optional(Type.Boolean()),
  /** Chat messages are mailed this many seconds after the first unread one: a burst becomes one mail. */
  CHAT_MAIL_DELAY_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  /** The hour (0–23, in REMINDER_TIMEZONE) at which the daily reminders go out. */
  REMINDER_HOUR: Type.Integer({ minimum: 0, maximum: 23, default: 18 }),
  /** An IANA time zone (`Europe/Berlin`): the reminder hour and the reminder day are read in it. */
  REMINDER_TIMEZONE: Type.String({ minLength: 1, default: 'UTC' }),
  /** An influencer who has not visited for this many days gets a reminder even with nothing waiting. */
  REMINDER_INACTIVE_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 7 }),
  CORS_ORIGINS: Type.Optional(Type.String()),
  /** Which proxies may set X-Forwarded-For: `true`, or comma-separated addresses/CIDRs. */
  TRUST_PROXY: Type.Optional(Type.String()),
  WEB_DIST_DIR: Type.Optional(Type.String()),
  DEMO_DATA: Type.Optional(Type.Boolean()),
  ADMIN_EMAIL: Type.Optional(Type.String({ format: 'email' })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10, maxLength: 128 })),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 86_400, default: 900 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  /** Failed logins for one email from one client address before that pair is locked out. */
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 10 }),
  /** Failed logins for one email across all addresses before every address is locked out. */
  LOGIN_MAX_FAILURES_PER_EMAIL: Type.Integer({ minimum: 1, default: 100 }),
  LOGIN_FAILURE_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  LOGIN_PER_IP_PER_HOUR: Type.Integer({ minimum: 1, default: 600 }),
  SIGNUP_PER_IP_PER_HOUR: Type.Integer({ minimum: 1, default: 200 }),
  /** Chat messages one user may send per minute, over all conversations (spam brake). */
  MESSAGES_PER_MINUTE: Type.Integer({ minimum: 1, default: 30 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  /** On SIGTERM/SIGINT: how long requests in progress and a running job may take to finish. */
  SHUTDOWN_GRACE_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
  OFFER_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
  AUTO_COMPLETE_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 7 }),
  /** Days after completion during which a review stays with its author unless both parties reviewed. */
  REVIEW_WINDOW_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

export class ConfigError extends Error {}

/** Empty strings count as unset, so `FOO=` in a .env file means "use the default". */
function pickEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Reads `.env` from the working directory into the environment (variables already set win),
 * the same way for every entry point: the server, the worker and the admin CLI.
 */
export function loadEnvFile(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw = { ...pickEnv(env), ...overrides };
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const first = Value.Errors(ConfigSchema, withDefaults).First();
  if (first) {
    const name = first.path.replace(/^\//, '') || 'configuration';
    throw new ConfigError(`invalid configuration: ${name} ${first.message}`);
  }
  if (
    withDefaults &&
    typeof withDefaults === 'object' &&
    'ADMIN_EMAIL' in withDefaults !== 'ADMIN_PASSWORD' in withDefaults
  ) {
    throw new ConfigError('invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  const config = withDefaults as Static<typeof ConfigSchema>;
  if (config.WEBHOOK_ALLOW_HTTP && config.NODE_ENV !== 'test') {
    throw new ConfigError('invalid configuration: WEBHOOK_ALLOW_HTTP is for tests only (NODE_ENV=test)');
  }
  if (!isTimeZone(config.REMINDER_TIMEZONE)) {
    throw new ConfigError('invalid configuration: REMINDER_TIMEZONE is not a known IANA time zone');
  }
  return Object.freeze(config);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Fastify's `trustProxy` from TRUST_PROXY; off by default so clients cannot forge their address. */
export function trustProxy(config: Config): boolean | string[] {
  const value = config.TRUST_PROXY?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  return value.split(',').map((v) => v.trim());
}
