import { aliasedTable, and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { AdRequestAction, AdRequestStatus, Party } from '@iescp/shared';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  adRequestEvents,
  adRequestOffers,
  adRequests,
  campaigns,
  sponsorProfiles,
  users,
} from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';
import { campaignStatus, utcToday } from '../../db/derived.js';

export type AdRequestRow = typeof adRequests.$inferSelect;
export type NewAdRequest = typeof adRequests.$inferInsert;
export type OfferRow = typeof adRequestOffers.$inferSelect;

const sponsorUser = aliasedTable(users, 'sponsor_user');
const influencerUser = aliasedTable(users, 'influencer_user');

/**
 * One ad-request change as the service made it, in the transaction that wrote its
 * `ad_request_events` row: the payload of the `ad_request.changed` event.
 */
export interface AdRequestTransition {
  /** The row after the transition. */
  request: AdRequestRow;
  action: 'create' | AdRequestAction;
  fromStatus: AdRequestStatus | null;
  /** Who acted; `system` for the timers. */
  by: Party | 'system';
  actorId: string | null;
  details: { message?: string; note?: string; reason?: string };
}

/** What a timer looks for: open offers idle for `days` (or on an ended campaign), or delivered work unanswered. */
export type DueRule = { action: 'expire' | 'auto_complete'; days: number };

function dueCondition(rule: DueRule): SQL {
  if (rule.action === 'expire') {
    return sql`${adRequests.status} in ('pending', 'negotiating') and (${adRequests.statusChangedAt} < now() - make_interval(days => ${rule.days}) or exists (select 1 from ${campaigns} c where c.id = ${adRequests.campaignId} and (c.end_date < ${utcToday} or c.deleted_at is not null)))`;
  }
  return sql`${adRequests.status} = 'delivered' and ${adRequests.statusChangedAt} < now() - make_interval(days => ${rule.days})`;
}

const detailColumns = {
  request: adRequests,
  campaignName: campaigns.name,
  /** Null once the campaign is deleted. */
  campaignStatus: sql<
    'upcoming' | 'active' | 'ended' | null
  >`case when ${campaigns.deletedAt} is not null then null else ${campaignStatus} end`,
  sponsorName: sponsorUser.displayName,
  companyName: sponsorProfiles.companyName,
  influencerName: influencerUser.displayName,
};

export type AdRequestDetailRow = {
  request: AdRequestRow;
  campaignName: string;
  /** Accepting needs a running campaign; abilities must say so before the expiry timer runs. */
  campaignStatus: 'upcoming' | 'active' | 'ended' | null;
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
  newestKeys: newestFirst<AdRequestDetailRow>(adRequests.createdAt, adRequests.id, (r) => ({
    at: r.request.createdAt,
    id: r.request.id,
  })),

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

  /** A page of the requests where `party` is this user (everyone's for an admin), with filters. */
  async page(
    db: DbOrTx,
    f: {
      sponsorId?: string | undefined;
      influencerId?: string | undefined;
      statuses?: AdRequestStatus[] | undefined;
      /** Undefined: any campaign; null: a malformed id, so nothing. */
      campaignId?: string | null | undefined;
      awaiting?: Party | null | undefined;
    },
    keys: SortKey<AdRequestDetailRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<AdRequestDetailRow[]> {
    const conditions: (SQL | undefined)[] = [
      f.sponsorId ? eq(adRequests.sponsorId, f.sponsorId) : undefined,
      f.influencerId ? eq(adRequests.influencerId, f.influencerId) : undefined,
      f.statuses ? inArray(adRequests.status, f.statuses) : undefined,
      f.campaignId === null ? sql`false` : f.campaignId ? eq(adRequests.campaignId, f.campaignId) : undefined,
      f.awaiting === null ? sql`false` : f.awaiting ? eq(adRequests.awaitingParty, f.awaiting) : undefined,
    ];
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
  async dueIds(db: DbOrTx, rule: DueRule, limit: number): Promise<string[]> {
    const rows = await db
      .select({ id: adRequests.id })
      .from(adRequests)
      .innerJoin(campaigns, eq(campaigns.id, adRequests.campaignId))
      .where(and(isNull(adRequests.deletedAt), dueCondition(rule)))
      .orderBy(asc(adRequests.statusChangedAt))
      .limit(limit);
    return rows.map((r) => r.id);
  },

  /** Whether the (locked) request is still due under `rule`: another run may have got there first. */
  async isStillDue(tx: Tx, id: string, rule: DueRule): Promise<boolean> {
    const rows = await tx
      .select({ id: adRequests.id })
      .from(adRequests)
      .where(and(eq(adRequests.id, id), dueCondition(rule)));
    return rows.length > 0;
  },
};
