import { inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AD_REQUEST_STATUSES,
  AD_REQUEST_TRANSITIONS,
  TERMINAL_STATUSES,
  canAct,
  type AdRequestStatus,
  type Party,
} from '@iescp/shared';
import { adRequests, campaigns, transactions } from '../../../src/db/schema/index.js';
import { createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import {
  ACTORS,
  API_ACTIONS,
  TABLE_ACTION,
  act,
  ageRequest,
  bodyFor,
  nextFacts,
  postAr,
  runJob,
  type ActorName,
  type ApiAction,
} from '../../support/fixtures/ad-requests.js';

/**
 * STYLE.md rule 21: random sequences of offer actions by random actors (both parties, other
 * sponsors and influencers, an admin), plus new requests and the timers, over several requests
 * on two campaigns whose budgets are smaller than the offers on them. After every step the
 * ledger invariants of API.md hold, the money matches the request statuses, terminal states stay
 * terminal, and the API's answer is the one the transition table gives.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let sponsor: TestUser;
let otherSponsor: TestUser;
let admin: TestUser;
let pool: TestUser[];
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [sponsor, otherSponsor, admin, ...pool] = await Promise.all([
    f.sponsor(),
    f.sponsor(),
    f.admin(),
    f.influencer(),
    f.influencer(),
    f.influencer(),
  ]);
});
afterAll(async () => ctx?.close());

const BUDGET = 15_000;
const OPEN: AdRequestStatus[] = ['pending', 'negotiating'];
const LIVE: AdRequestStatus[] = ['pending', 'negotiating', 'accepted', 'delivered'];

type Step =
  | {
      kind: 'act';
      req: number;
      actor: ActorName;
      action: ApiAction;
      amount: number;
      stale: boolean;
      /** Guided steps pick among the moves the table allows now, so runs get deep into deals. */
      guided: boolean;
      pick: number;
    }
  | { kind: 'create'; campaign: number; influencer: number; invite: boolean; amount: number }
  | { kind: 'timer'; req: number; days: number; job: 'expire-offers' | 'auto-complete' };

const amount = fc.integer({ min: 1_000, max: 15_000 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      req: fc.nat(20),
      actor: fc.constantFrom(...ACTORS),
      action: fc.constantFrom(...API_ACTIONS),
      amount,
      stale: fc.nat(3).map((n) => n === 0),
      guided: fc.boolean(),
      pick: fc.nat(99),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      campaign: fc.nat(1),
      influencer: fc.nat(2),
      invite: fc.boolean(),
      amount,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('timer' as const),
      req: fc.nat(20),
      days: fc.constantFrom(3, 8, 15),
      job: fc.constantFrom('expire-offers' as const, 'auto-complete' as const),
    }),
  },
);

interface Tracked {
  id: string;
  campaignId: string;
  influencer: TestUser;
}

type Row = typeof adRequests.$inferSelect;

/** How often a guided step picks each allowed move: deals should get to delivery and payment. */
const FORWARD: Record<ApiAction, number> = {
  accept: 4,
  deliver: 4,
  complete: 4,
  counter: 2,
  'request-revision': 1,
  edit: 1,
  cancel: 1,
  reject: 1,
  withdraw: 1,
  delete: 1,
};

/** Answers seen across all runs, so the last test can show the runs were not idle. */
const seen = new Map<string, number>();
const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

/** One run: two fresh campaigns of one sponsor, three influencers, a few opening requests. */
async function runSequence(initial: Step[], steps: Step[]) {
  const campaignIds = [
    (await f.campaign({ sponsor, budgetCents: BUDGET })).id,
    (await f.campaign({ sponsor, budgetCents: BUDGET })).id,
  ];
  const requests: Tracked[] = [];
  const lastStatus = new Map<string, AdRequestStatus>();

  const rowsNow = async (): Promise<Map<string, Row>> => {
    const rows = await ctx.db.select().from(adRequests).where(inArray(adRequests.campaignId, campaignIds));
    return new Map(rows.map((r) => [r.id, r]));
  };

  const actorFor = (name: ActorName, t: Tracked): TestUser => {
    switch (name) {
      case 'sponsor':
        return sponsor;
      case 'influencer':
        return t.influencer;
      case 'otherSponsor':
        return otherSponsor;
      case 'otherInfluencer':
        return pool[(pool.indexOf(t.influencer) + 1) % pool.length]!;
      case 'admin':
        return admin;
    }
  };

  async function remaining(campaignId: string) {
    const [c] = await ctx.db
      .select({ b: campaigns.budgetCents, r: campaigns.reservedCents, s: campaigns.spentCents })
      .from(campaigns)
      .where(sql`${campaigns.id} = ${campaignId}`);
    return c!.b - c!.r - c!.s;
  }

  /** The invariants after every step. */
  async function checkInvariants(label: string) {
    const rows = await rowsNow();
    const camps = await ctx.db.select().from(campaigns).where(inArray(campaigns.id, campaignIds));
    const ledger = await ctx.db
      .select({
        campaignId: transactions.campaignId,
        adRequestId: transactions.adRequestId,
        kind: transactions.kind,
        cents: transactions.amountCents,
      })
      .from(transactions)
      .where(inArray(transactions.campaignId, campaignIds));
    for (const c of camps) {
      const sum = (kind: string) =>
        ledger.filter((l) => l.campaignId === c.id && l.kind === kind).reduce((a, l) => a + l.cents, 0);
      expect(sum('reserve') - sum('release') - sum('refund'), `${label}: reserve − release − refund = reserved`).toBe(
        c.reservedCents,
      );
      expect(sum('release'), `${label}: Σ release = spent`).toBe(c.spentCents);
      expect(c.reservedCents + c.spentCents, `${label}: reserved + spent ≤ budget`).toBeLessThanOrEqual(c.budgetCents);
      // The money matches the deals: accepted and delivered work is reserved, completed work paid.
      const deals = [...rows.values()].filter((r) => r.campaignId === c.id);
      const paid = (statuses: AdRequestStatus[]) =>
        deals.filter((r) => statuses.includes(r.status)).reduce((a, r) => a + r.paymentCents, 0);
      expect(c.reservedCents, `${label}: reserved = Σ accepted/delivered payments`).toBe(
        paid(['accepted', 'delivered']),
      );
      expect(c.spentCents, `${label}: spent = Σ completed payments`).toBe(paid(['completed']));
    }
    for (const r of rows.values()) {
      expect(AD_REQUEST_STATUSES, `${label}: a status of the table`).toContain(r.status);
      const before = lastStatus.get(r.id);
      if (before && TERMINAL_STATUSES.includes(before))
        expect(r.status, `${label}: ${r.id} left terminal ${before}`).toBe(before);
      lastStatus.set(r.id, r.status);
      const mine = ledger.filter((l) => l.adRequestId === r.id);
      const n = (kind: string) => mine.filter((l) => l.kind === kind).length;
      expect(n('reserve'), `${label}: reserved at most once`).toBeLessThanOrEqual(1);
      expect(n('release') + n('refund'), `${label}: settled at most once`).toBeLessThanOrEqual(n('reserve'));
    }
  }

  async function create(step: Extract<Step, { kind: 'create' }>) {
    const campaignId = campaignIds[step.campaign]!;
    const influencer = pool[step.influencer]!;
    const rows = [...(await rowsNow()).values()].filter(
      (r) => r.campaignId === campaignId && r.influencerId === influencer.user.id,
    );
    const res = step.invite
      ? await postAr(ctx, sponsor, {
          campaignId,
          influencerId: influencer.user.id,
          requirements: 'A post',
          paymentCents: step.amount,
        })
      : await postAr(ctx, influencer, { campaignId, paymentCents: step.amount });
    const label = `create ${step.invite ? 'invite' : 'apply'} → ${res.statusCode} ${res.body.slice(0, 200)}`;
    if (rows.some((r) => OPEN.includes(r.status))) {
      expect([res.statusCode, res.json().code], label).toEqual([409, 'conflict']);
    } else if (rows.some((r) => LIVE.includes(r.status))) {
      // A running deal: whether it blocks a new offer is the implementation's choice.
      expect([201, 409], label).toContain(res.statusCode);
    } else {
      expect(res.statusCode, label).toBe(201);
    }
    note(`create ${res.statusCode}`);
    if (res.statusCode === 201) {
      expect(res.json()).toMatchObject({ status: 'pending', offerVersion: 1 });
      requests.push({ id: res.json().id, campaignId, influencer });
    }
  }

  async function actOn(planned: Extract<Step, { kind: 'act' }>) {
    let step = planned;
    if (requests.length === 0) return;
    const t = requests[step.req % requests.length]!;
    const before = (await rowsNow()).get(t.id)!;
    if (step.guided && !before.deletedAt) {
      const moves = (['sponsor', 'influencer'] as const).flatMap((p) =>
        API_ACTIONS.filter((a) => canAct(TABLE_ACTION[a], p, before)).flatMap((a) =>
          Array.from({ length: FORWARD[a] }, () => [p, a] as const),
        ),
      );
      if (moves.length > 0) {
        const [p, a] = moves[step.pick % moves.length]!;
        step = { ...step, actor: p, action: a };
      }
    }
    const who = actorFor(step.actor, t);
    let body = bodyFor(step.action, step.amount);
    const staleVersion = before.offerVersion > 1 ? before.offerVersion - 1 : before.offerVersion + 1;
    if (step.action === 'accept' && step.stale) body = { offerVersion: staleVersion };
    else if (step.action === 'accept' && !step.stale) body = { offerVersion: before.offerVersion };
    const room = await remaining(t.campaignId);
    const res = await act(ctx, who, t.id, step.action, body);
    const label = `${step.actor} ${step.action} on ${before.status}/${before.awaitingParty}/${before.initiatedBy}${before.deletedAt ? '/deleted' : ''} → ${res.statusCode} ${res.body.slice(0, 200)}`;

    const party: Party | null =
      step.actor === 'sponsor' ? 'sponsor' : step.actor === 'influencer' ? 'influencer' : null;
    const allowed = party !== null && !before.deletedAt && canAct(TABLE_ACTION[step.action], party, before);
    const after = (await rowsNow()).get(t.id)!;
    const unchanged = () => expect(after, `${label}: a refused action changes nothing`).toEqual(before);
    note(res.statusCode < 300 ? `${res.statusCode} ${step.action}` : `${res.statusCode} ${res.json().code}`);

    if (before.deletedAt || step.actor === 'otherSponsor' || step.actor === 'otherInfluencer') {
      expect([res.statusCode, res.json().code], label).toEqual([404, 'not_found']);
      return unchanged();
    }
    if (!allowed) {
      expect([res.statusCode, res.json().code], label).toEqual([409, 'invalid_transition']);
      return unchanged();
    }
    if (step.action === 'accept' && step.stale) {
      expect(res.statusCode, label).toBe(409);
      expect(['conflict', 'budget_exceeded'], label).toContain(res.json().code);
      return unchanged();
    }
    if (step.action === 'accept' && before.paymentCents > room) {
      expect([res.statusCode, res.json().code], label).toEqual([409, 'budget_exceeded']);
      return unchanged();
    }
    expect(res.statusCode, label).toBe(step.action === 'delete' ? 204 : 200);
    if (step.action === 'delete') {
      expect(after.deletedAt, label).not.toBeNull();
      expect(after.status, label).toBe(before.status === 'pending' ? 'withdrawn' : before.status);
      return;
    }
    const next = nextFacts(step.action, party!, before);
    expect({ status: after.status, awaitingParty: after.awaitingParty }, label).toEqual(next);
    expect(res.json()).toMatchObject({ status: next.status, awaitingParty: next.awaitingParty });
    const addsOffer = step.action === 'edit' || step.action === 'counter';
    expect(after.offerVersion, label).toBe(before.offerVersion + (addsOffer ? 1 : 0));
    expect(after.paymentCents, label).toBe(addsOffer ? step.amount : before.paymentCents);
    expect(AD_REQUEST_TRANSITIONS[TABLE_ACTION[step.action]].to ?? before.status).toBe(after.status);
  }

  async function timer(step: Extract<Step, { kind: 'timer' }>) {
    if (requests.length === 0) return;
    const t = requests[step.req % requests.length]!;
    await ageRequest(ctx, t.id, step.days);
    const before = await rowsNow();
    // What is due, judged here from every row of the database (earlier runs may have left aged
    // requests behind; all campaigns of this suite are running, so only age matters).
    const ttl = step.job === 'expire-offers' ? 14 : 7;
    const dueStatuses: AdRequestStatus[] = step.job === 'expire-offers' ? OPEN : ['delivered'];
    const cutoff = Date.now() - ttl * 86_400_000;
    const due = (await ctx.db.select().from(adRequests)).filter(
      (r) => !r.deletedAt && dueStatuses.includes(r.status) && r.statusChangedAt.getTime() < cutoff,
    );
    const result = await runJob(ctx, step.job);
    if (result.changed > 0) note(step.job);
    expect(result.changed, `${step.job} after aging ${step.days} days`).toBe(due.length);
    const after = await rowsNow();
    for (const [id, row] of before) {
      const now = after.get(id)!;
      if (due.some((d) => d.id === id)) {
        expect(now.status).toBe(step.job === 'expire-offers' ? 'expired' : 'completed');
        expect(now.awaitingParty).toBeNull();
      } else {
        expect(now, `${step.job} leaves requests that are not due alone`).toEqual(row);
      }
    }
    expect(await runJob(ctx, step.job), 'a second run changes nothing').toEqual({ changed: 0, skipped: 0 });
  }

  for (const step of [...initial, ...steps]) {
    if (step.kind === 'create') await create(step);
    else if (step.kind === 'act') await actOn(step);
    else await timer(step);
    await checkInvariants(JSON.stringify(step));
  }
}

/** Answers the runs must have produced, so a green run also shows the generator reached them. */
const MUST_SEE = [
  '200 accept',
  '200 deliver',
  '200 complete',
  '200 cancel',
  '200 counter',
  '204 delete',
  '409 budget_exceeded',
  '409 conflict',
  '409 invalid_transition',
  '404 not_found',
  'expire-offers',
  'create 409',
];

describe('random offer sequences never break the ledger', () => {
  it('holds the invariants after every step, and the runs reach every kind of move', { timeout: 180_000 }, async () => {
    const opening = fc.array(
      fc.record({
        kind: fc.constant('create' as const),
        campaign: fc.nat(1),
        influencer: fc.nat(2),
        invite: fc.boolean(),
        amount,
      }),
      { minLength: 3, maxLength: 5 },
    );
    // FC_SEED (and FC_PATH) replay a reported failure; shrinking stops after ~100 s so that a
    // failure is reported in reasonable time (each try replays a whole sequence over HTTP).
    const replay = process.env.FC_SEED
      ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) }
      : {};
    await fc.assert(
      fc.asyncProperty(opening, fc.array(stepArb, { minLength: 20, maxLength: 40 }), async (initial, steps) => {
        await runSequence(initial, steps);
      }),
      { numRuns: 35, interruptAfterTimeLimit: 100_000, ...replay },
    );

    if (process.env.PROPERTY_STATS) console.log(Object.fromEntries([...seen].sort()));
    if (process.env.FC_SEED) return;
    for (const key of MUST_SEE) expect(seen.get(key) ?? 0, `runs produced "${key}"`).toBeGreaterThan(0);
    const [counts] = await ctx.db
      .select({
        reserve: sql<number>`count(*) filter (where kind = 'reserve')`.mapWith(Number),
        release: sql<number>`count(*) filter (where kind = 'release')`.mapWith(Number),
        refund: sql<number>`count(*) filter (where kind = 'refund')`.mapWith(Number),
      })
      .from(transactions);
    expect(counts!.reserve).toBeGreaterThan(10);
    expect(counts!.release).toBeGreaterThan(0);
    expect(counts!.refund).toBeGreaterThan(0);
    const statuses = await ctx.db.select({ s: adRequests.status }).from(adRequests).groupBy(adRequests.status);
    expect(statuses.map((s) => s.s)).toEqual(
      expect.arrayContaining(['accepted', 'completed', 'expired', 'negotiating', 'rejected', 'withdrawn']),
    );
  });
});
