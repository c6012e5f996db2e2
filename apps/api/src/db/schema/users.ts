import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { NICHES, PLATFORMS, ROLES, USER_STATUSES } from '@iescp/shared';

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const roleEnum = pgEnum('user_role', ROLES);
export const userStatusEnum = pgEnum('user_status', USER_STATUSES);
export const nicheEnum = pgEnum('niche', NICHES);
export const platformEnum = pgEnum('platform', PLATFORMS);

/** Timestamps are stored to the millisecond, the precision of a JS Date (keyset cursors rely on it). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
};

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; the CHECK makes a mixed-case duplicate impossible even by a bug. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: roleEnum('role').notNull(),
    status: userStatusEnum('status').notNull(),
    flagged: boolean('flagged').notNull().default(false),
    flagReason: text('flag_reason'),
    deactivationReason: text('deactivation_reason'),
    displayName: text('display_name').notNull(),
    avatarKey: text('avatar_key'),
    /** Set once an admin approves a sponsor; reactivation returns an unapproved sponsor to pending. */
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date', precision: 3 }),
    /** Last successful login (password), and last authenticated request: written at most every few minutes. */
    lastLoginAt: ts('last_login_at'),
    lastActiveAt: ts('last_active_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_created_id_idx').on(t.createdAt, t.id),
    index('users_role_status_idx').on(t.role, t.status),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
    check('users_flag_reason', sql`${t.flagged} = false or ${t.flagReason} is not null`),
  ],
);

export const influencerProfiles = pgTable(
  'influencer_profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    bio: text('bio').notNull().default(''),
    niche: nicheEnum('niche').notNull(),
    country: text('country'),
    rateCents: bigint('rate_cents', { mode: 'number' }),
    engagementRate: numeric('engagement_rate', { precision: 5, scale: 2, mode: 'number' }),
    /** Sum of the platforms' followers, kept by the service in the same transaction. */
    reach: bigint('reach', { mode: 'number' }).notNull().default(0),
    /**
     * Full-text document over name and handles (A) and bio (B). It spans three tables, so the
     * repository rewrites it whenever one of them changes (`refreshSearch`).
     */
    search: tsvector('search'),
    /** Kept by the reviews module; null until the first review. */
    ratingAvg: numeric('rating_avg', { precision: 3, scale: 2, mode: 'number' }),
    ratingCount: integer('rating_count').notNull().default(0),
  },
  (t) => [
    index('influencer_search_idx').using('gin', t.search),
    index('influencer_reach_idx').on(t.reach, t.userId),
    index('influencer_niche_reach_idx').on(t.niche, t.reach),
    check('influencer_reach_nonneg', sql`${t.reach} >= 0`),
    check('influencer_rate_nonneg', sql`${t.rateCents} is null or ${t.rateCents} >= 0`),
    check('influencer_country_iso', sql`${t.country} is null or ${t.country} ~ '^[A-Z]{2}$'`),
    // The directory's rating sort (and minRating filter).
    index('influencer_rating_idx').on(sql`coalesce(${t.ratingAvg}, 0) desc`, t.ratingCount.desc(), t.userId.desc()),
  ],
);

export const influencerPlatforms = pgTable(
  'influencer_platforms',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    platform: platformEnum('platform').notNull(),
    handle: text('handle').notNull(),
    followers: bigint('followers', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.position] }),
    index('influencer_platforms_platform_idx').on(t.platform, t.userId),
    check('influencer_followers_nonneg', sql`${t.followers} >= 0`),
  ],
);

export const sponsorProfiles = pgTable(
  'sponsor_profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    companyName: text('company_name').notNull(),
    industry: text('industry').notNull(),
    website: text('website'),
    bio: text('bio'),
    budgetCents: bigint('budget_cents', { mode: 'number' }),
    /** Kept by the reviews module, as on influencer profiles; null until the first published review. */
    ratingAvg: numeric('rating_avg', { precision: 3, scale: 2, mode: 'number' }),
    ratingCount: integer('rating_count').notNull().default(0),
  },
  (t) => [check('sponsor_budget_nonneg', sql`${t.budgetCents} is null or ${t.budgetCents} >= 0`)],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Avatars live in the database, not on local disk, so every instance behind a load balancer
 * serves the same images. The key is the content hash, which makes URLs cacheable forever.
 */
export const avatars = pgTable('avatars', {
  key: text('key').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  createdAt: timestamps.createdAt,
});

/** Refresh tokens are stored hashed; a family is one login, rotated on every refresh. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date', precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
  ],
);

/** Every admin action and (later) every money movement: who did what to which subject, when. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('audit_log_created_id_idx').on(t.createdAt, t.id)],
);

/** Small process-wide values every instance must agree on (e.g. the generated signing secret). */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
