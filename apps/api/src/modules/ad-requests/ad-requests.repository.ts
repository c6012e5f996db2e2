import { aliasedTable, and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  adRequestEvents,
  adRequestOffers,
  adRequests,
  campaigns,
  sponsorProfiles,
  transactions,
  users,
} from '../../db/schema/index.js';
import { after, orderBy, type SortKey } from '../../lib/keyset.js';

export type AdRequestRow = typeof adRequests.$inferSelect;
export type NewAdRequest = typeof adRequests.$inferInsert;
export type OfferRow = typeof adRequestOffers.$inferSelect;

const sponsorUser = aliasedTable(users, 'sponsor_user');
const influencerUser = aliasedTable(users, 'influencer_user');

const detailColumns = {
  request: adRequests,
  campaignName: campaigns.name,
  campaignEnded: sql<boolean>`(${campaigns.endDate} < (now() at time zone 'utc')::date or ${campaigns.deletedAt} is not null)`,
  sponsorName: sponsorUser.displayName,
  companyName: sponsorProfiles.companyName,
  influencerName: influencerUser.displayName,
};

export type AdRequestDetailRow = {
  request: AdRequestRow;
  campaignName: string;
  /** Accepting needs a running campaign; abilities must say so before the expiry timer runs. */
  campaignEnded: boolean;
  sponsorName: string;
  companyName: string;
  influencerName: string;
};

function detail(db: DbOrTx) {
  return db
    .select(detailColumns)
    .from(adRequests)
    .innerJoin(campaigns, eq(campaigns.id, adRequests.campaignId))
    .innerJoin(sponsorUser, eq(sponsorUser.id, adRequests.sponsorId))
    .innerJoin(sponsorProfiles, eq(sponsorProfiles.userId, adRequests.sponsorId))
    .innerJoin(influencerUser, eq(influencerUser.id, adRequests.influencerId));
}

/** The only code that touches ad requests, their offers, events and the ledger. */
export const adRequestsRepository = {
  async insert(db: DbOrTx, values: NewAdRequest): Promise<AdRequestRow> {
    const [row] = await db.insert(adRequests).values(values).returning();
    return row!;
  },

  /** The row locked for this transaction: concurrent actions on one request take turns. */
  async lock(db: DbOrTx, id: string): Promise<AdRequestRow | undefined> {
    const [row] = await db
      .select()
      .from(adRequests)
      .where(and(eq(adRequests.id, id), isNull(adRequests.deletedAt)))
      .for('update');
    return row;
  },

  /** `withDeleted`: also a request just removed from the lists (its delete event still reads it). */
  async findDetail(
    db: DbOrTx,
    id: string,
    options: { withDeleted?: boolean } = {},
  ): Promise<AdRequestDetailRow | undefined> {
    const [row] = await detail(db).where(
      and(eq(adRequests.id, id), options.withDeleted ? undefined : isNull(adRequests.deletedAt)),
    );
    return row;
  },

  async page(
    db: DbOrTx,
    conditions: (SQL | undefined)[],
    keys: SortKey<AdRequestDetailRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<AdRequestDetailRow[]> {
    return detail(db)
      .where(and(isNull(adRequests.deletedAt), ...conditions, cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  async update(db: DbOrTx, id: string, values: Partial<NewAdRequest>): Promise<AdRequestRow> {
    const now = new Date();
    const [row] = await db
      .update(adRequests)
      .set({ ...values, updatedAt: now, statusChangedAt: now })
      .where(eq(adRequests.id, id))
      .returning();
    return row!;
  },

  async addOffer(db: DbOrTx, offer: typeof adRequestOffers.$inferInsert): Promise<void> {
    await db.insert(adRequestOffers).values(offer);
  },

  async offersOf(db: DbOrTx, ids: string[]): Promise<Map<string, OfferRow[]>> {
    const map = new Map<string, OfferRow[]>();
    if (ids.length === 0) return map;
    const rows = await db
      .select()
      .from(adRequestOffers)
      .where(inArray(adRequestOffers.adRequestId, ids))
      .orderBy(asc(adRequestOffers.adRequestId), asc(adRequestOffers.version));
    for (const r of rows) map.set(r.adRequestId, [...(map.get(r.adRequestId) ?? []), r]);
    return map;
  },

  async recordEvent(db: DbOrTx, event: typeof adRequestEvents.$inferInsert): Promise<void> {
    await db.insert(adRequestEvents).values(event);
  },

  async recordMoney(db: DbOrTx, entry: typeof transactions.$inferInsert): Promise<void> {
    await db.insert(transactions).values(entry);
  },

  /** Open requests (pending or negotiating) of a campaign, locked, e.g. to withdraw them. */
  async lockOpenOfCampaign(db: DbOrTx, campaignId: string): Promise<AdRequestRow[]> {
    return db
      .select()
      .from(adRequests)
      .where(
        and(
          eq(adRequests.campaignId, campaignId),
          inArray(adRequests.status, ['pending', 'negotiating']),
          isNull(adRequests.deletedAt),
        ),
      )
      .for('update');
  },

  async countByStatus(db: DbOrTx, campaignId: string, statuses: AdRequestRow['status'][]): Promise<number> {
    const rows = await db
      .select({ id: adRequests.id })
      .from(adRequests)
      .where(and(eq(adRequests.campaignId, campaignId), inArray(adRequests.status, statuses)));
    return rows.length;
  },

  /** Ids of requests a timer may act on; each is re-checked under lock before it changes. */
  async dueIds(db: DbOrTx, where: SQL, limit: number): Promise<string[]> {
    const rows = await db
      .select({ id: adRequests.id })
      .from(adRequests)
      .innerJoin(campaigns, eq(campaigns.id, adRequests.campaignId))
      .where(and(isNull(adRequests.deletedAt), where))
      .orderBy(asc(adRequests.statusChangedAt))
      .limit(limit);
    return rows.map((r) => r.id);
  },

  newestFirst: [desc(adRequests.createdAt), desc(adRequests.id)],
};
