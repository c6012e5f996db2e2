import { sql, type SQL } from 'drizzle-orm';
import { bigint, boolean, check, date, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { CAMPAIGN_VISIBILITIES } from '@iescp/shared';
import { nicheEnum, ts, tsvector, users } from './users.js';

export const campaignVisibilityEnum = pgEnum('campaign_visibility', CAMPAIGN_VISIBILITIES);

/**
 * A sponsor's campaign. Money columns are integer cents; the CHECKs make overspending and
 * negative amounts impossible even by a bug. `status` is derived from the dates, never stored.
 * Deleting only sets `deleted_at`: offers and ledger rows keep pointing at the row.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sponsorId: uuid('sponsor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    niche: nicheEnum('niche').notNull(),
    goals: text('goals').notNull().default(''),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    budgetCents: bigint('budget_cents', { mode: 'number' }).notNull(),
    reservedCents: bigint('reserved_cents', { mode: 'number' }).notNull().default(0),
    spentCents: bigint('spent_cents', { mode: 'number' }).notNull().default(0),
    visibility: campaignVisibilityEnum('visibility').notNull(),
    flagged: boolean('flagged').notNull().default(false),
    flagReason: text('flag_reason'),
    /** Weighted full-text document: name (A), goals (B), description (C); 'simple' = no stemming, any language. */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('simple', coalesce(${campaigns.name}, '')), 'A') || setweight(to_tsvector('simple', coalesce(${campaigns.goals}, '')), 'B') || setweight(to_tsvector('simple', coalesce(${campaigns.description}, '')), 'C')`,
      ),
    deletedAt: ts('deleted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('campaigns_search_idx').using('gin', t.search),
    index('campaigns_sponsor_created_idx').on(t.sponsorId, t.createdAt, t.id),
    index('campaigns_created_idx').on(t.createdAt, t.id),
    index('campaigns_budget_idx').on(t.budgetCents, t.id),
    index('campaigns_end_date_idx').on(t.endDate, t.id),
    index('campaigns_niche_created_idx').on(t.niche, t.createdAt, t.id),
    check('campaigns_budget_positive', sql`${t.budgetCents} > 0`),
    check('campaigns_money_nonneg', sql`${t.reservedCents} >= 0 and ${t.spentCents} >= 0`),
    check('campaigns_not_overspent', sql`${t.reservedCents} + ${t.spentCents} <= ${t.budgetCents}`),
    check('campaigns_dates', sql`${t.endDate} >= ${t.startDate}`),
    check('campaigns_flag_reason', sql`${t.flagged} = false or ${t.flagReason} is not null`),
  ],
);
