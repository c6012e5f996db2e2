import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { LIMITS } from '@iescp/shared';
import { adRequests } from './ad-requests.js';
import { ts, users } from './users.js';

/**
 * One party's review of the other after a completed ad request (API.md "Reviews, reports,
 * moderation"). Double-blind: `published_at` stays null until both parties reviewed or
 * `window_closes_at` passed (the `publish-reviews` job); only published, unhidden reviews count
 * in the rating summaries kept on the profile tables.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    adRequestId: uuid('ad_request_id')
      .notNull()
      .references(() => adRequests.id, { onDelete: 'restrict' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    /** Completion + REVIEW_WINDOW_DAYS, fixed when the review is written. */
    windowClosesAt: ts('window_closes_at').notNull(),
    publishedAt: ts('published_at'),
    hiddenAt: ts('hidden_at'),
    hiddenReason: text('hidden_reason'),
    hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reviews_one_per_party').on(t.adRequestId, t.authorId),
    // A profile's received reviews, newest first (and its summary).
    index('reviews_subject_idx').on(t.subjectId, t.createdAt, t.id),
    // The admin list, newest first.
    index('reviews_created_idx').on(t.createdAt, t.id),
    // The publish-reviews job: unpublished reviews by window end.
    index('reviews_unpublished_idx')
      .on(t.windowClosesAt)
      .where(sql`published_at is null`),
    check(
      'reviews_rating_range',
      sql`${t.rating} between ${sql.raw(String(LIMITS.reviewRating.min))} and ${sql.raw(String(LIMITS.reviewRating.max))}`,
    ),
    check('reviews_comment_length', sql`char_length(${t.comment}) <= ${sql.raw(String(LIMITS.reviewComment.max))}`),
    check('reviews_not_self', sql`${t.authorId} <> ${t.subjectId}`),
    check('reviews_hidden_reason', sql`(${t.hiddenAt} is null) = (${t.hiddenReason} is null)`),
  ],
);
