import { and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adRequests, campaigns, transactions } from '../../db/schema/index.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';

export type LedgerRow = typeof transactions.$inferSelect & { campaignName: string };
export type NewLedgerEntry = typeof transactions.$inferInsert;

/** The only code that touches the ledger, which is append-only (a trigger refuses the rest). */
export const ledgerRepository = {
  newestKeys: newestFirst<LedgerRow>(transactions.createdAt, transactions.id, (r) => ({ at: r.createdAt, id: r.id })),

  async insert(db: DbOrTx, entry: NewLedgerEntry): Promise<void> {
    await db.insert(transactions).values(entry);
  },

  async page(
    db: DbOrTx,
    f: {
      sponsorId?: string | undefined;
      influencerId?: string | undefined;
      kind?: NewLedgerEntry['kind'] | undefined;
      /** Undefined: any campaign; null: a malformed id, so nothing. */
      campaignId?: string | null | undefined;
    },
    keys: SortKey<LedgerRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<LedgerRow[]> {
    const conditions: (SQL | undefined)[] = [
      f.sponsorId ? eq(transactions.sponsorId, f.sponsorId) : undefined,
      f.influencerId ? eq(transactions.influencerId, f.influencerId) : undefined,
      f.kind ? eq(transactions.kind, f.kind) : undefined,
      f.campaignId === null ? sql`false` : f.campaignId ? eq(transactions.campaignId, f.campaignId) : undefined,
    ];
    return db
      .select({ ...getTableColumns(transactions), campaignName: campaigns.name })
      .from(transactions)
      .innerJoin(campaigns, eq(campaigns.id, transactions.campaignId))
      .where(and(...conditions, cursor ? after(keys, cursor) : undefined))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  /** Paid so far, completed deals, money reserved for open work, and paid per month (last 12). */
  async earningsOf(db: DbOrTx, influencerId: string) {
    const [totals] = await db
      .select({
        earned:
          sql<number>`coalesce(sum(${transactions.amountCents}) filter (where ${transactions.kind} = 'release'), 0)::bigint`.mapWith(
            Number,
          ),
        completed: sql<number>`count(*) filter (where ${transactions.kind} = 'release')`.mapWith(Number),
      })
      .from(transactions)
      .where(eq(transactions.influencerId, influencerId));
    const [pending] = await db
      .select({ cents: sql<number>`coalesce(sum(${adRequests.paymentCents}), 0)::bigint`.mapWith(Number) })
      .from(adRequests)
      .where(and(eq(adRequests.influencerId, influencerId), sql`${adRequests.status} in ('accepted', 'delivered')`));
    const byMonth = await db
      .select({
        month: sql<string>`to_char(date_trunc('month', ${transactions.createdAt} at time zone 'utc'), 'YYYY-MM')`,
        cents: sql<number>`sum(${transactions.amountCents})::bigint`.mapWith(Number),
      })
      .from(transactions)
      .where(
        and(
          eq(transactions.influencerId, influencerId),
          eq(transactions.kind, 'release'),
          sql`${transactions.createdAt} >= now() - interval '12 months'`,
        ),
      )
      .groupBy(sql`1`)
      .orderBy(desc(sql`1`));
    return {
      earnedCents: totals?.earned ?? 0,
      pendingCents: pending?.cents ?? 0,
      completedCount: totals?.completed ?? 0,
      byMonth: byMonth.reverse(),
    };
  },
};
