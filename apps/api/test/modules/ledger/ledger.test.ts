import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactions } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { walk } from '../../support/fixtures/search-support.js';
import {
  auditRows,
  createCampaign,
  expectLedgerConsistent,
  invite,
  ledgerRowsOf,
  listAll,
  makeCast,
  must,
  type Cast,
} from '../../support/fixtures/ad-requests.js';

/**
 * The money ledger as its parties see it (GET /transactions), an influencer's earnings
 * (GET /earnings), the audit rows money movements leave, and the database's refusal to rewrite
 * ledger rows. The deals are made through the API; the expected rows are written out here.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let cast: Cast;
let second: TestUser; // a second influencer of the sponsor
let bystander: TestUser; // an influencer with no deals
let pendingSponsor: TestUser;

/** Campaigns: c1, c2 of cast.sponsor; c3 of cast.otherSponsor. Deals r1..r5 as below. */
const c: Record<'c1' | 'c2' | 'c3', string> = { c1: '', c2: '', c3: '' };
const r: Record<'r1' | 'r2' | 'r3' | 'r4' | 'r5', string> = { r1: '', r2: '', r3: '', r4: '', r5: '' };
type Expected = {
  kind: string;
  amountCents: number;
  campaignId: string;
  adRequestId: string;
  sponsorId: string;
  influencerId: string;
};
const expected: Expected[] = [];

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  cast = await makeCast(ctx);
  [second, bystander, pendingSponsor] = await Promise.all([f.influencer(), f.influencer(), f.pendingSponsor()]);
  const S = cast.sponsor;
  const O = cast.otherSponsor;
  const I = cast.influencer;
  const X = cast.otherInfluencer;
  c.c1 = (await createCampaign(ctx, S, { budgetCents: 100_000 })).id;
  c.c2 = (await createCampaign(ctx, S, { budgetCents: 50_000, visibility: 'private' })).id;
  c.c3 = (await createCampaign(ctx, O, { budgetCents: 80_000 })).id;
  const row = (
    kind: string,
    amountCents: number,
    campaignId: string,
    adRequestId: string,
    sponsor: TestUser,
    influencer: TestUser,
  ) =>
    expected.push({
      kind,
      amountCents,
      campaignId,
      adRequestId,
      sponsorId: sponsor.user.id,
      influencerId: influencer.user.id,
    });

  // r1: S–I on c1, completed: reserve + release 10,000.
  r.r1 = (await invite(ctx, S, c.c1, I, { paymentCents: 10_000 })).id;
  await must(ctx, I, r.r1, 'accept');
  row('reserve', 10_000, c.c1, r.r1, S, I);
  await must(ctx, I, r.r1, 'deliver');
  await must(ctx, S, r.r1, 'complete');
  row('release', 10_000, c.c1, r.r1, S, I);
  // r2: S–second on c1, cancelled: reserve + refund 7,000.
  r.r2 = (await invite(ctx, S, c.c1, second, { paymentCents: 7_000 })).id;
  await must(ctx, second, r.r2, 'accept');
  row('reserve', 7_000, c.c1, r.r2, S, second);
  await must(ctx, second, r.r2, 'cancel');
  row('refund', 7_000, c.c1, r.r2, S, second);
  // r3: S–I on c2, accepted after a counter: reserve 4,500.
  r.r3 = (await invite(ctx, S, c.c2, I, { paymentCents: 4_000 })).id;
  await must(ctx, I, r.r3, 'counter', { paymentCents: 4_500 });
  await must(ctx, S, r.r3, 'accept');
  row('reserve', 4_500, c.c2, r.r3, S, I);
  // r4: O–X on c3, completed: reserve + release 20,000.
  r.r4 = (await invite(ctx, O, c.c3, X, { paymentCents: 20_000 })).id;
  await must(ctx, X, r.r4, 'accept');
  row('reserve', 20_000, c.c3, r.r4, O, X);
  await must(ctx, X, r.r4, 'deliver');
  await must(ctx, O, r.r4, 'complete');
  row('release', 20_000, c.c3, r.r4, O, X);
  // r5: I applies to c3, O accepts and I delivers: reserve 3,000.
  r.r5 = (
    await call(ctx, 'POST', '/api/v1/ad-requests', { auth: I, body: { campaignId: c.c3, paymentCents: 3_000 } })
  ).json().id;
  await must(ctx, O, r.r5, 'accept');
  row('reserve', 3_000, c.c3, r.r5, O, I);
  await must(ctx, I, r.r5, 'deliver');
  // Open offers move no money.
  await invite(ctx, S, c.c1, bystander, { paymentCents: 99_000 });
});
afterAll(async () => ctx?.close());

const txList = (who: TestUser | null, query = '') =>
  call(ctx, 'GET', `/api/v1/transactions${query ? `?${query}` : ''}`, { auth: who });
const rowsOf = (who: TestUser, query = '') => listAll(ctx, who, '/api/v1/transactions', query);
const strip = (items: any[]) =>
  items
    .map(({ kind, amountCents, campaignId, adRequestId, sponsorId, influencerId }) => ({
      kind,
      amountCents,
      campaignId,
      adRequestId,
      sponsorId,
      influencerId,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const expectRows = (items: any[], where: (e: Expected) => boolean) =>
  expect(strip(items)).toEqual(strip(expected.filter(where)));

// ---------------------------------------------------------------------------------------------
describe('GET /transactions', () => {
  it('requires authentication', async () => {
    expectProblem(await txList(null), 401, 'unauthenticated');
  });

  it('the deals left consistent ledgers on every campaign', async () => {
    expect(await expectLedgerConsistent(ctx, c.c1)).toMatchObject({ reservedCents: 0, spentCents: 10_000 });
    expect(await expectLedgerConsistent(ctx, c.c2)).toMatchObject({ reservedCents: 4_500, spentCents: 0 });
    expect(await expectLedgerConsistent(ctx, c.c3)).toMatchObject({ reservedCents: 3_000, spentCents: 20_000 });
  });

  it('a row has the contract’s fields (more may be added)', async () => {
    const items = await rowsOf(cast.sponsor, `kind=release`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: expect.any(String),
      kind: 'release',
      amountCents: 10_000,
      campaignId: c.c1,
      adRequestId: r.r1,
      sponsorId: cast.sponsor.user.id,
      influencerId: cast.influencer.user.id,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });

  it('each party sees exactly its own rows', async () => {
    expectRows(await rowsOf(cast.sponsor), (e) => e.sponsorId === cast.sponsor.user.id);
    expectRows(await rowsOf(cast.otherSponsor), (e) => e.sponsorId === cast.otherSponsor.user.id);
    expectRows(await rowsOf(cast.influencer), (e) => e.influencerId === cast.influencer.user.id);
    expectRows(await rowsOf(cast.otherInfluencer), (e) => e.influencerId === cast.otherInfluencer.user.id);
    expectRows(await rowsOf(second), (e) => e.influencerId === second.user.id);
    expect(await rowsOf(bystander)).toEqual([]);
    expect(await rowsOf(pendingSponsor)).toEqual([]);
  });

  it('admins see every row', async () => {
    const all = await rowsOf(cast.admin);
    expectRows(all, () => true);
    expect(all).toHaveLength(8);
  });

  it('filters by kind and campaignId, within what the caller may see', async () => {
    expectRows(
      await rowsOf(cast.sponsor, 'kind=reserve'),
      (e) => e.sponsorId === cast.sponsor.user.id && e.kind === 'reserve',
    );
    expectRows(await rowsOf(cast.sponsor, 'kind=refund'), (e) => e.kind === 'refund');
    expectRows(await rowsOf(cast.sponsor, `campaignId=${c.c1}`), (e) => e.campaignId === c.c1);
    expectRows(
      await rowsOf(cast.sponsor, `campaignId=${c.c1}&kind=release`),
      (e) => e.campaignId === c.c1 && e.kind === 'release',
    );
    expect(await rowsOf(cast.sponsor, `campaignId=${c.c3}`)).toEqual([]);
    expectRows(await rowsOf(cast.influencer, `campaignId=${c.c3}`), (e) => e.adRequestId === r.r5);
    expectRows(await rowsOf(cast.influencer, 'kind=release'), (e) => e.adRequestId === r.r1 && e.kind === 'release');
    expectRows(await rowsOf(cast.admin, `campaignId=${c.c3}`), (e) => e.campaignId === c.c3);
    expectRows(await rowsOf(cast.admin, 'kind=refund'), (e) => e.kind === 'refund');
    expect(await rowsOf(cast.admin, `campaignId=${randomUUID()}`)).toEqual([]);
  });

  it('validates the query', async () => {
    for (const q of ['kind=payout', 'limit=0', 'limit=101', 'cursor=nope', 'sponsorId=x'])
      expectValidation(await txList(cast.sponsor, q));
  });

  it('pages newest first by cursor without repeats', async () => {
    const { items, pages } = await walk(ctx, cast.admin, '/api/v1/transactions', {}, 3);
    expect(items).toHaveLength(8);
    expect(pages).toBe(3);
    const times = items.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expectRows(items, () => true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /earnings', () => {
  it('is for influencers only', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/earnings'), 401, 'unauthenticated');
    expectProblem(await call(ctx, 'GET', '/api/v1/earnings', { auth: cast.sponsor }), 403, 'forbidden');
    expectProblem(await call(ctx, 'GET', '/api/v1/earnings', { auth: cast.admin }), 403, 'forbidden');
  });

  it('sums releases as earned, accepted and delivered work as pending, per month', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const get = async (who: TestUser) => {
      const res = await call(ctx, 'GET', '/api/v1/earnings', { auth: who });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await get(cast.influencer)).toEqual({
      earnedCents: 10_000,
      pendingCents: 4_500 + 3_000,
      completedCount: 1,
      byMonth: [{ month, cents: 10_000 }],
    });
    expect(await get(cast.otherInfluencer)).toEqual({
      earnedCents: 20_000,
      pendingCents: 0,
      completedCount: 1,
      byMonth: [{ month, cents: 20_000 }],
    });
    // A cancelled deal earns nothing; an open offer is not pending money.
    expect(await get(second)).toEqual({ earnedCents: 0, pendingCents: 0, completedCount: 0, byMonth: [] });
    expect(await get(bystander)).toEqual({ earnedCents: 0, pendingCents: 0, completedCount: 0, byMonth: [] });
  });
});

// ---------------------------------------------------------------------------------------------
describe('the audit log', () => {
  it('records every money movement with its actor (money.reserve, money.release, money.refund)', async () => {
    const audit = await auditRows(ctx, cast.admin);
    const money = audit
      .filter((a: { action: string }) => a.action.startsWith('money.'))
      .map((a: { action: string; subjectId: string; actorId: string }) => [a.action, a.subjectId, a.actorId]);
    const want = [
      ['money.reserve', r.r1, cast.influencer.user.id],
      ['money.release', r.r1, cast.sponsor.user.id],
      ['money.reserve', r.r2, second.user.id],
      ['money.refund', r.r2, second.user.id],
      ['money.reserve', r.r3, cast.sponsor.user.id],
      ['money.reserve', r.r4, cast.otherInfluencer.user.id],
      ['money.release', r.r4, cast.otherSponsor.user.id],
      ['money.reserve', r.r5, cast.otherSponsor.user.id],
    ];
    const key = (x: string[]) => x.join('|');
    expect(money.map(key).sort()).toEqual(want.map(key).sort());
  });
});

// ---------------------------------------------------------------------------------------------
describe('the ledger is append-only, even for direct SQL', () => {
  /** The database's message (Drizzle wraps it as the cause of "Failed query: …"). */
  async function refusal(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, 'the statement must be refused').toBeInstanceOf(Error);
    const messages: string[] = [];
    for (let e: any = error; e; e = e.cause) messages.push(String(e.message));
    return messages.join(' <- ');
  }
  const snapshot = async () => (await ctx.db.select().from(transactions)).sort((a, b) => a.id.localeCompare(b.id));

  it('UPDATE is refused', async () => {
    const before = await snapshot();
    expect(await refusal(ctx.db.execute(sql`update transactions set amount_cents = amount_cents + 1`))).toMatch(
      /append-only/,
    );
    expect(
      await refusal(ctx.db.update(transactions).set({ kind: 'refund' }).where(eq(transactions.adRequestId, r.r1))),
    ).toMatch(/append-only/);
    expect(await snapshot()).toEqual(before);
  });

  it('DELETE is refused', async () => {
    const before = await snapshot();
    expect(await refusal(ctx.db.execute(sql`delete from transactions where ad_request_id = ${r.r1}`))).toMatch(
      /append-only/,
    );
    expect(await refusal(ctx.db.delete(transactions))).toMatch(/append-only/);
    expect(await snapshot()).toEqual(before);
    expect(await ledgerRowsOf(ctx, r.r1)).toHaveLength(2);
  });

  it('TRUNCATE (deleting every row at once) is refused too', async () => {
    const before = await snapshot();
    const rollback = new Error('rollback');
    let truncated = false;
    // Inside a transaction that is always rolled back, so a missing guard cannot wipe the suite's rows.
    const outcome = await ctx.db
      .transaction(async (tx) => {
        await tx.execute(sql`truncate transactions`);
        truncated = true;
        throw rollback;
      })
      .catch((e: unknown) => e);
    expect(await snapshot()).toEqual(before);
    expect(truncated, 'TRUNCATE transactions must be refused').toBe(false);
    expect(outcome).not.toBe(rollback);
  });

  it('new rows still append, so the API keeps working', async () => {
    const rr = await invite(ctx, cast.sponsor, c.c1, cast.otherInfluencer, { paymentCents: 1_000 });
    await must(ctx, cast.otherInfluencer, rr.id, 'accept');
    expect(await ledgerRowsOf(ctx, rr.id)).toHaveLength(1);
    await expectLedgerConsistent(ctx, c.c1);
  });
});
