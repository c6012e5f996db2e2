import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { adRequests, campaigns, transactions } from '../../db/schema/index.js';
import { after, decodeKeyset, keysetPage, orderBy, type SortKey } from '../../lib/keyset.js';
import { Page, PageQuery } from '../../lib/pagination.js';
import { errors, Id, StringEnum, Timestamp } from '../../lib/schemas.js';
import { actorOf, type Actor } from '../../plugins/auth.js';
import { isUuid } from '../accounts/accounts.repository.js';

const KINDS = ['reserve', 'release', 'refund'] as const;

export const LedgerEntry = Type.Object(
  {
    id: Id,
    kind: StringEnum(KINDS),
    amountCents: Type.Integer(),
    campaignId: Id,
    adRequestId: Id,
    sponsorId: Id,
    influencerId: Id,
    campaign: Type.Object({ id: Id, name: Type.String() }),
    createdAt: Timestamp,
  },
  { $id: 'LedgerEntry' },
);

const LedgerQuery = Type.Object(
  { kind: Type.Optional(StringEnum(KINDS)), campaignId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);

const Earnings = Type.Object({
  earnedCents: Type.Integer({ description: 'Sum of releases to the influencer' }),
  pendingCents: Type.Integer({ description: 'Reserved for accepted or delivered work, paid on completion' }),
  completedCount: Type.Integer(),
  byMonth: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM' }), cents: Type.Integer() })),
});

type Row = typeof transactions.$inferSelect & { campaignName: string };
const KEYS: SortKey<Row>[] = [
  { expr: transactions.createdAt, dir: 'desc', kind: 'timestamp', of: (r) => r.createdAt.toISOString() },
  { expr: transactions.id, dir: 'desc', kind: 'uuid', of: (r) => r.id },
];

/** The ledger as its parties see it, and an influencer's earnings. Read-only by design. */
export function createLedgerService(db: Db) {
  return {
    async list(actor: Actor, query: Static<typeof LedgerQuery>) {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', KEYS) : undefined;
      const conditions: (SQL | undefined)[] = [];
      if (actor.role === 'sponsor') conditions.push(eq(transactions.sponsorId, actor.id));
      if (actor.role === 'influencer') conditions.push(eq(transactions.influencerId, actor.id));
      if (query.kind) conditions.push(eq(transactions.kind, query.kind));
      if (query.campaignId)
        conditions.push(isUuid(query.campaignId) ? eq(transactions.campaignId, query.campaignId) : sql`false`);
      const rows = await db
        .select({ ...getTableColumns(transactions), campaignName: campaigns.name })
        .from(transactions)
        .innerJoin(campaigns, eq(campaigns.id, transactions.campaignId))
        .where(and(...conditions, cursor ? after(KEYS, cursor) : undefined))
        .orderBy(...orderBy(KEYS))
        .limit(limit + 1);
      return keysetPage(rows, limit, KEYS, 'newest', ({ campaignName, ...r }) => ({
        ...r,
        campaign: { id: r.campaignId, name: campaignName },
        createdAt: r.createdAt.toISOString(),
      }));
    },

    async earnings(actor: Actor) {
      const [totals] = await db
        .select({
          earned:
            sql<number>`coalesce(sum(${transactions.amountCents}) filter (where ${transactions.kind} = 'release'), 0)::bigint`.mapWith(
              Number,
            ),
          completed: sql<number>`count(*) filter (where ${transactions.kind} = 'release')`.mapWith(Number),
        })
        .from(transactions)
        .where(eq(transactions.influencerId, actor.id));
      const [pending] = await db
        .select({ cents: sql<number>`coalesce(sum(${adRequests.paymentCents}), 0)::bigint`.mapWith(Number) })
        .from(adRequests)
        .where(and(eq(adRequests.influencerId, actor.id), sql`${adRequests.status} in ('accepted', 'delivered')`));
      const byMonth = await db
        .select({
          month: sql<string>`to_char(date_trunc('month', ${transactions.createdAt} at time zone 'utc'), 'YYYY-MM')`,
          cents: sql<number>`sum(${transactions.amountCents})::bigint`.mapWith(Number),
        })
        .from(transactions)
        .where(
          and(
            eq(transactions.influencerId, actor.id),
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
}

export const ledgerRoutes: FastifyPluginAsyncTypebox<{ ledger: ReturnType<typeof createLedgerService> }> = async (
  app,
  { ledger },
) => {
  const security = [{ bearer: [] }];
  app.get(
    '/transactions',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['ledger'],
        summary: 'Ledger rows (reserve, release, refund) where the caller is a party; admins see all',
        security,
        querystring: LedgerQuery,
        response: { 200: Page(LedgerEntry), ...errors(400, 401, 403) },
      },
    },
    async (request) => ledger.list(actorOf(request), request.query),
  );
  app.get(
    '/earnings',
    {
      config: { auth: ['influencer'] },
      schema: {
        tags: ['ledger'],
        summary: "The influencer's earnings: paid (sum of releases), pending (reserved), per month",
        security,
        response: { 200: Earnings, ...errors(401, 403) },
      },
    },
    async (request) => ledger.earnings(actorOf(request)),
  );
};
