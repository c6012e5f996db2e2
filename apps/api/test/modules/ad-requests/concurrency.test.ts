import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, transactions } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';

/**
 * Money under concurrency. PGlite runs one connection at a time, so the parallel part only
 * means something on the PostgreSQL server (DATABASE_URL); it runs there in CI.
 */
let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

const today = () => new Date().toISOString().slice(0, 10);
const nextYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

async function campaignOf(sponsor: TestUser, budgetCents: number): Promise<string> {
  const res = await call(ctx, 'POST', '/api/v1/campaigns', {
    auth: sponsor,
    body: {
      name: 'Concurrency test',
      niche: 'tech',
      startDate: today(),
      endDate: nextYear(),
      budgetCents,
      visibility: 'public',
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function ledgerConsistent(campaignId: string) {
  const [c] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  const [sums] = await ctx.db
    .select({
      reserve: sql<number>`coalesce(sum(amount_cents) filter (where kind = 'reserve'), 0)::bigint`.mapWith(Number),
      release: sql<number>`coalesce(sum(amount_cents) filter (where kind = 'release'), 0)::bigint`.mapWith(Number),
      refund: sql<number>`coalesce(sum(amount_cents) filter (where kind = 'refund'), 0)::bigint`.mapWith(Number),
    })
    .from(transactions)
    .where(eq(transactions.campaignId, campaignId));
  expect(sums!.reserve - sums!.release - sums!.refund).toBe(c!.reservedCents);
  expect(sums!.release).toBe(c!.spentCents);
  expect(c!.reservedCents + c!.spentCents).toBeLessThanOrEqual(c!.budgetCents);
  return c!;
}

describe('parallel accepts against one budget', () => {
  it('12 accepts of 10,000-cent offers on a 50,000-cent campaign: exactly 5 accepted, 7 budget_exceeded', async () => {
    const sponsor = await f.sponsor();
    const campaignId = await campaignOf(sponsor, 50_000);
    const influencers = await Promise.all(Array.from({ length: 12 }, () => f.influencer()));
    const ids: string[] = [];
    for (const influencer of influencers) {
      const res = await call(ctx, 'POST', '/api/v1/ad-requests', {
        auth: sponsor,
        body: { campaignId, influencerId: influencer.user.id, requirements: 'One reel', paymentCents: 10_000 },
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const answers = await Promise.all(
      ids.map((id, i) => call(ctx, 'POST', `/api/v1/ad-requests/${id}/accept`, { auth: influencers[i]!, body: {} })),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().code)).toEqual(
      Array(7).fill('budget_exceeded'),
    );
    const c = await ledgerConsistent(campaignId);
    expect(c.reservedCents).toBe(50_000);
    const reserves = await ctx.db.select().from(transactions).where(eq(transactions.campaignId, campaignId));
    expect(reserves).toHaveLength(5);
  });

  it('a retried accept with the same Idempotency-Key reserves once', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const campaignId = await campaignOf(sponsor, 50_000);
    const created = await call(ctx, 'POST', '/api/v1/ad-requests', {
      auth: sponsor,
      body: { campaignId, influencerId: influencer.user.id, requirements: 'Two stories', paymentCents: 20_000 },
    });
    const id = created.json().id;
    const headers = { 'idempotency-key': `accept-${id}` };
    const first = await call(ctx, 'POST', `/api/v1/ad-requests/${id}/accept`, { auth: influencer, body: {}, headers });
    const retries = await Promise.all(
      Array.from({ length: 3 }, () =>
        call(ctx, 'POST', `/api/v1/ad-requests/${id}/accept`, { auth: influencer, body: {}, headers }),
      ),
    );
    expect(first.statusCode).toBe(200);
    for (const r of retries) {
      // A retry either replays the first answer or, while the first is still running, says so.
      expect([200, 409]).toContain(r.statusCode);
      if (r.statusCode === 200) expect(r.headers['idempotent-replayed']).toBe('true');
      else expect(r.json().code).toBe('conflict');
    }
    const c = await ledgerConsistent(campaignId);
    expect(c.reservedCents).toBe(20_000);
  });
});
