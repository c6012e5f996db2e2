import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { AD_REQUEST_ACTIONS, AD_REQUEST_STATUSES, PARTIES } from '@iescp/shared';
import { campaigns } from './campaigns.js';
import { ts, users } from './users.js';

export const adRequestStatusEnum = pgEnum('ad_request_status', AD_REQUEST_STATUSES);
export const partyEnum = pgEnum('party', PARTIES);
export const adRequestActionEnum = pgEnum('ad_request_action', ['create', ...AD_REQUEST_ACTIONS]);
export const ledgerKindEnum = pgEnum('ledger_kind', ['reserve', 'release', 'refund']);

/**
 * One sponsor–influencer deal on a campaign. `payment_cents`/`requirements` mirror the latest
 * offer; the offers themselves are immutable rows in `ad_request_offers`.
 */
export const adRequests = pgTable(
  'ad_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    sponsorId: uuid('sponsor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    influencerId: uuid('influencer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    status: adRequestStatusEnum('status').notNull(),
    initiatedBy: partyEnum('initiated_by').notNull(),
    awaitingParty: partyEnum('awaiting_party'),
    offerVersion: integer('offer_version').notNull().default(1),
    paymentCents: bigint('payment_cents', { mode: 'number' }).notNull(),
    requirements: text('requirements').notNull().default(''),
    deliverableUrl: text('deliverable_url'),
    deliveryNote: text('delivery_note'),
    /** When the status last changed: the timers (expiry, auto-completion) count from here. */
    statusChangedAt: ts('status_changed_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('ad_requests_sponsor_idx').on(t.sponsorId, t.createdAt, t.id),
    index('ad_requests_influencer_idx').on(t.influencerId, t.createdAt, t.id),
    index('ad_requests_campaign_idx').on(t.campaignId, t.status),
    index('ad_requests_status_changed_idx').on(t.status, t.statusChangedAt),
    // One open deal per influencer and campaign: a second application or invite is a conflict.
    uniqueIndex('ad_requests_one_open_per_pair')
      .on(t.campaignId, t.influencerId)
      .where(sql`status in ('pending', 'negotiating', 'accepted', 'delivered')`),
    check('ad_requests_payment_positive', sql`${t.paymentCents} > 0`),
    check('ad_requests_awaiting', sql`(${t.status} in ('pending', 'negotiating')) = (${t.awaitingParty} is not null)`),
  ],
);

/** Immutable offer history: version 1 is the opening offer; edits and counters add versions. */
export const adRequestOffers = pgTable(
  'ad_request_offers',
  {
    adRequestId: uuid('ad_request_id')
      .notNull()
      .references(() => adRequests.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    by: partyEnum('by').notNull(),
    paymentCents: bigint('payment_cents', { mode: 'number' }).notNull(),
    requirements: text('requirements').notNull(),
    message: text('message'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.adRequestId, t.version] }),
    check('offers_payment_positive', sql`${t.paymentCents} > 0`),
  ],
);

/** Every transition, in the transaction that made it: the source of chat events, notifications and audit. */
export const adRequestEvents = pgTable(
  'ad_request_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    adRequestId: uuid('ad_request_id')
      .notNull()
      .references(() => adRequests.id, { onDelete: 'cascade' }),
    /** Null for the system (timers). */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: adRequestActionEnum('action').notNull(),
    fromStatus: adRequestStatusEnum('from_status'),
    toStatus: adRequestStatusEnum('to_status').notNull(),
    paymentCents: bigint('payment_cents', { mode: 'number' }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('ad_request_events_request_idx').on(t.adRequestId, t.createdAt)],
);

/**
 * The money ledger, append-only (a trigger refuses UPDATE and DELETE). For every campaign:
 * reserve − release − refund = reserved_cents and Σ release = spent_cents.
 */
export const transactions = pgTable(
  'transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: ledgerKindEnum('kind').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    adRequestId: uuid('ad_request_id')
      .notNull()
      .references(() => adRequests.id, { onDelete: 'restrict' }),
    sponsorId: uuid('sponsor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    influencerId: uuid('influencer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('transactions_sponsor_idx').on(t.sponsorId, t.createdAt, t.id),
    index('transactions_influencer_idx').on(t.influencerId, t.createdAt, t.id),
    index('transactions_campaign_idx').on(t.campaignId),
    index('transactions_ad_request_idx').on(t.adRequestId),
    check('transactions_amount_positive', sql`${t.amountCents} > 0`),
  ],
);
