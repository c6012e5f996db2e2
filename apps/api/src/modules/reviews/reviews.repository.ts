import { aliasedTable, and, eq, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { adRequests, campaigns, influencerProfiles, reviews, sponsorProfiles, users } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export type ReviewRow = typeof reviews.$inferSelect;
export type NewReview = typeof reviews.$inferInsert;

/** A review with the names it is shown with. */
export type ReviewView = ReviewRow & { authorName: string; subjectName: string };

const author = aliasedTable(users, 'author');
const subject = aliasedTable(users, 'subject');
const authorSponsor = aliasedTable(sponsorProfiles, 'author_sponsor');
const subjectSponsor = aliasedTable(sponsorProfiles, 'subject_sponsor');

/** Sponsors are known by their company, as everywhere in the app. */
const viewColumns = {
  review: reviews,
  authorName: sql<string>`coalesce(${authorSponsor.companyName}, ${author.displayName})`,
  subjectName: sql<string>`coalesce(${subjectSponsor.companyName}, ${subject.displayName})`,
};

function views(db: DbOrTx) {
  return db
    .select(viewColumns)
    .from(reviews)
    .innerJoin(author, eq(author.id, reviews.authorId))
    .leftJoin(authorSponsor, eq(authorSponsor.userId, reviews.authorId))
    .innerJoin(subject, eq(subject.id, reviews.subjectId))
    .leftJoin(subjectSponsor, eq(subjectSponsor.userId, reviews.subjectId));
}

const flatten = (r: { review: ReviewRow; authorName: string; subjectName: string }): ReviewView => ({
  ...r.review,
  authorName: r.authorName,
  subjectName: r.subjectName,
});

/** What a review needs to know of its deal. */
export interface DealFacts {
  id: string;
  sponsorId: string;
  influencerId: string;
  status: string;
  /** When the deal reached its status: for a completed deal, when it completed. */
  statusChangedAt: Date;
  campaignName: string;
  sponsorName: string;
  influencerName: string;
}

export interface AdminReviewFilters {
  published?: boolean | undefined;
  hidden?: boolean | undefined;
  subjectId?: string | undefined;
  authorId?: string | undefined;
  adRequestId?: string | undefined;
  rating?: number | undefined;
}

/** One rating summary: average (2 decimals), count and how many of each star, of what counts. */
export interface RatingSummary {
  ratingAvg: number | null;
  ratingCount: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** What counts in a summary and shows on a profile: published and not hidden. */
const counts = and(isNotNull(reviews.publishedAt), isNull(reviews.hiddenAt))!;

const sponsorUser = aliasedTable(users, 'deal_sponsor');
const influencerUser = aliasedTable(users, 'deal_influencer');

export const reviewsRepository = {
  newestKeys: newestFirst<ReviewView>(reviews.createdAt, reviews.id, (r) => ({ at: r.createdAt, id: r.id })),

  /**
   * The deal, with its row locked when `lock`: both parties' reviews of one deal are written
   * one after the other, so the second always sees the first and publishes both.
   */
  async deal(db: DbOrTx, id: string, lock = false): Promise<DealFacts | undefined> {
    const query = db
      .select({
        id: adRequests.id,
        sponsorId: adRequests.sponsorId,
        influencerId: adRequests.influencerId,
        status: adRequests.status,
        statusChangedAt: adRequests.statusChangedAt,
        campaignName: campaigns.name,
        sponsorName: sql<string>`coalesce(${sponsorProfiles.companyName}, ${sponsorUser.displayName})`,
        influencerName: influencerUser.displayName,
      })
      .from(adRequests)
      .innerJoin(campaigns, eq(campaigns.id, adRequests.campaignId))
      .innerJoin(sponsorUser, eq(sponsorUser.id, adRequests.sponsorId))
      .leftJoin(sponsorProfiles, eq(sponsorProfiles.userId, adRequests.sponsorId))
      .innerJoin(influencerUser, eq(influencerUser.id, adRequests.influencerId))
      .where(and(eq(adRequests.id, id), isNull(adRequests.deletedAt)));
    const [row] = lock ? await query.for('update', { of: adRequests }) : await query;
    return row;
  },

  async insert(tx: Tx, review: NewReview): Promise<ReviewRow> {
    const [row] = await tx
      .insert(reviews)
      .values({ ...review, createdAt: sql`clock_timestamp()` })
      .returning();
    return row!;
  },

  async find(db: DbOrTx, id: string): Promise<ReviewView | undefined> {
    const [row] = await views(db).where(eq(reviews.id, id));
    return row ? flatten(row) : undefined;
  },

  async ofDeal(db: DbOrTx, adRequestId: string): Promise<ReviewView[]> {
    return (await views(db).where(eq(reviews.adRequestId, adRequestId)).orderBy(reviews.createdAt)).map(flatten);
  },

  /** Publishes the deal's unpublished reviews (all of them, or those whose window closed by `dueBy`). */
  async publish(tx: Tx, adRequestId: string, at: Date, dueBy?: Date): Promise<ReviewRow[]> {
    return tx
      .update(reviews)
      .set({ publishedAt: at })
      .where(
        and(
          eq(reviews.adRequestId, adRequestId),
          isNull(reviews.publishedAt),
          dueBy ? lte(reviews.windowClosesAt, dueBy) : undefined,
        ),
      )
      .returning();
  },

  /** Deals with an unpublished review whose window has closed by `now` (the job's work list). */
  async dealsDue(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
    const rows = await db
      .selectDistinct({ id: reviews.adRequestId })
      .from(reviews)
      .where(and(isNull(reviews.publishedAt), lte(reviews.windowClosesAt, now)))
      .limit(limit);
    return rows.map((r) => r.id);
  },

  /**
   * Rewrites the stored average and count of `userId` from the reviews that count, on whichever
   * profile table holds them (an influencer's or a sponsor's). Recomputed, never incremented, so
   * a summary cannot drift from its reviews.
   */
  async refreshSummary(tx: Tx, userId: string): Promise<void> {
    const [agg] = await tx
      .select({
        avg: sql<string | null>`round(avg(${reviews.rating}), 2)`,
        count: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(reviews)
      .where(and(eq(reviews.subjectId, userId), counts));
    const values = {
      ratingAvg: agg?.avg === null || agg?.avg === undefined ? null : Number(agg.avg),
      ratingCount: agg?.count ?? 0,
    };
    await tx.update(influencerProfiles).set(values).where(eq(influencerProfiles.userId, userId));
    await tx.update(sponsorProfiles).set(values).where(eq(sponsorProfiles.userId, userId));
  },

  /** The stored summary of a user, with the distribution counted from the reviews themselves. */
  async summary(db: DbOrTx, userId: string): Promise<RatingSummary> {
    const [stored] = await db
      .select({
        ratingAvg: sql<string | null>`coalesce(${influencerProfiles.ratingAvg}, ${sponsorProfiles.ratingAvg})::text`,
        ratingCount:
          sql<number>`coalesce(${influencerProfiles.ratingCount}, ${sponsorProfiles.ratingCount}, 0)`.mapWith(Number),
      })
      .from(users)
      .leftJoin(influencerProfiles, eq(influencerProfiles.userId, users.id))
      .leftJoin(sponsorProfiles, eq(sponsorProfiles.userId, users.id))
      .where(eq(users.id, userId));
    const rows = await db
      .select({ rating: reviews.rating, n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(reviews)
      .where(and(eq(reviews.subjectId, userId), counts))
      .groupBy(reviews.rating);
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const r of rows) distribution[String(r.rating) as keyof typeof distribution] = r.n;
    return {
      ratingAvg: stored?.ratingAvg == null ? null : Number(stored.ratingAvg),
      ratingCount: stored?.ratingCount ?? 0,
      distribution,
    };
  },

  /** A page of the published, unhidden reviews a user received, newest first. */
  async pageReceived(
    db: DbOrTx,
    subjectId: string,
    keys: SortKey<ReviewView>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<ReviewView[]> {
    const rows = await views(db)
      .where(and(eq(reviews.subjectId, subjectId), counts, cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
    return rows.map(flatten);
  },

  /** The admin's list: every review, filtered, newest first. */
  async page(
    db: DbOrTx,
    f: AdminReviewFilters,
    keys: SortKey<ReviewView>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<ReviewView[]> {
    const conditions: (SQL | undefined)[] = [];
    if (f.published !== undefined)
      conditions.push(f.published ? isNotNull(reviews.publishedAt) : isNull(reviews.publishedAt));
    if (f.hidden !== undefined) conditions.push(f.hidden ? isNotNull(reviews.hiddenAt) : isNull(reviews.hiddenAt));
    if (f.subjectId) conditions.push(eq(reviews.subjectId, f.subjectId));
    if (f.authorId) conditions.push(eq(reviews.authorId, f.authorId));
    if (f.adRequestId) conditions.push(eq(reviews.adRequestId, f.adRequestId));
    if (f.rating !== undefined) conditions.push(eq(reviews.rating, f.rating));
    if (cursor) conditions.push(after(keys, cursor));
    const rows = await views(db)
      .where(and(...conditions))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
    return rows.map(flatten);
  },

  /** Hides a review once; undefined when it was already hidden (or does not exist). */
  async hide(tx: Tx, id: string, reason: string, by: string, at: Date): Promise<ReviewRow | undefined> {
    const [row] = await tx
      .update(reviews)
      .set({ hiddenAt: at, hiddenReason: reason, hiddenBy: by })
      .where(and(eq(reviews.id, id), isNull(reviews.hiddenAt)))
      .returning();
    return row;
  },
};
