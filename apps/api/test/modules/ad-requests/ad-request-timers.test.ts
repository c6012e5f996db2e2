import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem } from '../../support/fixtures/http.js';
import {
  ageRequest,
  auditRows,
  endCampaign,
  eventsOf,
  expectLedgerConsistent,
  invite,
  ledgerRowsOf,
  makeCast,
  must,
  requestRow,
  runJob,
  viewAr,
  type Cast,
} from '../../support/fixtures/ad-requests.js';

/**
 * The scheduled transitions (API.md "expire" and "auto-complete"): open offers expire after
 * OFFER_TTL_DAYS without activity or when their campaign ends; delivered work is completed and
 * paid after AUTO_COMPLETE_DAYS. Rows are aged by moving `status_changed_at` (the timers' clock)
 * back in the database. Every test runs the job and checks that a second run changes nothing.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let cast: Cast;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  cast = await makeCast(ctx);
});
afterAll(async () => ctx?.close());

/** Everything the parties could observe about a request, and its money. */
async function observe(id: string, campaignId: string) {
  const [sponsorView, adminView, row, events, ledger, money] = await Promise.all([
    viewAr(ctx, cast.sponsor, id),
    viewAr(ctx, cast.admin, id),
    requestRow(ctx, id),
    eventsOf(ctx, id),
    ledgerRowsOf(ctx, id),
    expectLedgerConsistent(ctx, campaignId),
  ]);
  return { sponsorView, adminView, row, events, ledger, money };
}

async function earnings(who: TestUser) {
  const res = await call(ctx, 'GET', '/api/v1/earnings', { auth: who });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Runs a job, expects `changed`, then runs it again and expects nothing more to happen. */
async function runTwice(name: 'expire-offers' | 'auto-complete', changed: number, watch: [string, string][]) {
  const first = await runJob(ctx, name);
  expect(first, `${name} first run`).toEqual({ changed, skipped: 0 });
  const after = await Promise.all(watch.map(([id, c]) => observe(id, c)));
  const second = await runJob(ctx, name);
  expect(second, `${name} second run`).toEqual({ changed: 0, skipped: 0 });
  expect(await Promise.all(watch.map(([id, c]) => observe(id, c)))).toEqual(after);
}

// ---------------------------------------------------------------------------------------------
describe('expire-offers', () => {
  it('expires pending and negotiating requests after OFFER_TTL_DAYS (14) without activity', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const pending = await f.adRequest({ campaign: c, influencer: cast.influencer });
    const negotiating = await f.adRequest({
      campaign: c,
      influencer: cast.otherInfluencer,
      initiatedBy: 'influencer',
      status: 'negotiating',
      counters: [3_000],
    });
    await ageRequest(ctx, pending.id, 14, 1);
    await ageRequest(ctx, negotiating.id, 30);
    const money = await expectLedgerConsistent(ctx, c.id);
    await runTwice('expire-offers', 2, [[pending.id, c.id]]);
    for (const [id, viewer] of [
      [pending.id, cast.influencer],
      [negotiating.id, cast.otherInfluencer],
    ] as const) {
      const r = await viewAr(ctx, viewer, id);
      expect(r).toMatchObject({ status: 'expired', awaitingParty: null });
      expect(
        Object.values(r.abilities).every((v) => v === false),
        'nothing left to do for the influencer',
      ).toBe(true);
      const events = await eventsOf(ctx, id);
      expect(events.at(-1)).toMatchObject({ action: 'expire', actorId: null, toStatus: 'expired' });
    }
    expect((await viewAr(ctx, cast.sponsor, pending.id)).abilities).toMatchObject({ delete: true, accept: false });
    expect(await expectLedgerConsistent(ctx, c.id)).toEqual(money);
    // Expired is final: nobody can accept it any more.
    expectProblem(
      await call(ctx, 'POST', `/api/v1/ad-requests/${pending.id}/accept`, { auth: cast.influencer, body: {} }),
      409,
      'invalid_transition',
    );
  });

  it('leaves requests younger than 14 days alone, and counts from the last action', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const young = await f.adRequest({ campaign: c, influencer: cast.influencer });
    await ageRequest(ctx, young.id, 13, 23);
    const revived = await invite(ctx, cast.sponsor, c.id, cast.otherInfluencer);
    await ageRequest(ctx, revived.id, 20);
    // A counter is activity: the clock starts again.
    await must(ctx, cast.otherInfluencer, revived.id, 'counter', { paymentCents: 9_000 });
    const fresh = await f.adRequest({ campaign: c, influencer: await f.influencer(), initiatedBy: 'influencer' });
    const before = await Promise.all([young, revived].map((r) => observe(r.id, c.id)));
    expect(await runJob(ctx, 'expire-offers')).toEqual({ changed: 0, skipped: 0 });
    expect(await Promise.all([young, revived].map((r) => observe(r.id, c.id)))).toEqual(before);
    expect((await requestRow(ctx, fresh.id))!.status).toBe('pending');
  });

  it('expires open requests as soon as their campaign has ended, and nothing else there', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const [i1, i2, i3] = await Promise.all([f.influencer(), f.influencer(), f.influencer()]);
    const pending = await f.adRequest({ campaign: c, influencer: cast.influencer });
    const negotiating = await f.adRequest({ campaign: c, influencer: i1, status: 'negotiating', counters: [6_000] });
    const accepted = await f.adRequest({ campaign: c, influencer: i2, status: 'accepted' });
    const delivered = await f.adRequest({ campaign: c, influencer: i3, status: 'delivered' });
    const other = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const elsewhere = await f.adRequest({ campaign: other, influencer: cast.influencer });
    await endCampaign(ctx, c.id);
    const keep = await Promise.all([accepted, delivered, elsewhere].map((r) => requestRow(ctx, r.id)));
    await runTwice('expire-offers', 2, [[pending.id, c.id]]);
    expect((await requestRow(ctx, pending.id))!.status).toBe('expired');
    expect((await requestRow(ctx, negotiating.id))!.status).toBe('expired');
    expect(await Promise.all([accepted, delivered, elsewhere].map((r) => requestRow(ctx, r.id)))).toEqual(keep);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 10_000, spentCents: 0 });
  });

  it('an offer on an ended campaign cannot be accepted, even before the timer runs: 409, nothing reserved', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const r = await f.adRequest({ campaign: c, influencer: cast.influencer });
    await endCampaign(ctx, c.id);
    const before = await observe(r.id, c.id);
    const res = await call(ctx, 'POST', `/api/v1/ad-requests/${r.id}/accept`, { auth: cast.influencer, body: {} });
    expect(res.statusCode, res.body).toBe(409);
    expect(['conflict', 'invalid_transition']).toContain(res.json().code);
    expect(await observe(r.id, c.id)).toEqual(before);
    await runTwice('expire-offers', 1, [[r.id, c.id]]);
  });

  it('…and its abilities no longer offer accept (abilities match what the API allows)', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const r = await f.adRequest({ campaign: c, influencer: cast.influencer });
    await endCampaign(ctx, c.id);
    try {
      const view = await viewAr(ctx, cast.influencer, r.id);
      const res = await call(ctx, 'POST', `/api/v1/ad-requests/${r.id}/accept`, { auth: cast.influencer, body: {} });
      expect({ ability: view.abilities.accept, answer: res.statusCode }).toEqual({
        ability: res.statusCode === 200,
        answer: res.statusCode,
      });
    } finally {
      // Expire it either way, so later tests start with nothing due.
      await runJob(ctx, 'expire-offers');
    }
  });

  it('never touches accepted, delivered or closed requests, however old', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const people = await Promise.all(Array.from({ length: 5 }, () => f.influencer()));
    const ids: string[] = [];
    const flows: ((id: string, who: TestUser) => Promise<unknown>)[] = [
      (id, who) => must(ctx, who, id, 'accept'),
      async (id, who) => {
        await must(ctx, who, id, 'accept');
        await must(ctx, cast.sponsor, id, 'cancel');
      },
      (id, who) => must(ctx, who, id, 'reject'),
      (id) => must(ctx, cast.sponsor, id, 'withdraw'),
      async (id, who) => {
        await must(ctx, who, id, 'accept');
        await must(ctx, who, id, 'deliver');
        await must(ctx, cast.sponsor, id, 'complete');
      },
    ];
    for (const [i, flow] of flows.entries()) {
      const r = await invite(ctx, cast.sponsor, c.id, people[i]!);
      await flow(r.id, people[i]!);
      await ageRequest(ctx, r.id, 400);
      ids.push(r.id);
    }
    const before = await Promise.all(ids.map((id) => requestRow(ctx, id)));
    expect(await runJob(ctx, 'expire-offers')).toEqual({ changed: 0, skipped: 0 });
    expect(await Promise.all(ids.map((id) => requestRow(ctx, id)))).toEqual(before);
  });

  it('honours a configured OFFER_TTL_DAYS', async () => {
    const other = await createTestApp({ OFFER_TTL_DAYS: 3 });
    try {
      const g = factories(other);
      const [s, i] = await Promise.all([g.sponsor(), g.influencer()]);
      const res = await call(other, 'POST', '/api/v1/campaigns', {
        auth: s,
        body: {
          name: 'Short fuse',
          niche: 'tech',
          startDate: new Date().toISOString().slice(0, 10),
          endDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
          budgetCents: 10_000,
          visibility: 'public',
        },
      });
      const cid = res.json().id;
      const made = await call(other, 'POST', '/api/v1/ad-requests', {
        auth: s,
        body: { campaignId: cid, influencerId: i.user.id, requirements: 'A post', paymentCents: 100 },
      });
      const id = made.json().id;
      await ageRequest(other, id, 2, 23);
      expect(await runJob(other, 'expire-offers')).toEqual({ changed: 0, skipped: 0 });
      await ageRequest(other, id, 3, 1);
      expect(await runJob(other, 'expire-offers')).toEqual({ changed: 1, skipped: 0 });
      expect((await requestRow(other, id))!.status).toBe('expired');
    } finally {
      await other.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('auto-complete', () => {
  it('completes and pays work left delivered for AUTO_COMPLETE_DAYS (7): ledger release, spend, earnings', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 50_000 });
    const influencer = await f.influencer();
    const r = await f.adRequest({ campaign: c, influencer, paymentCents: 12_500, status: 'delivered' });
    expect(await earnings(influencer)).toMatchObject({ earnedCents: 0, pendingCents: 12_500, completedCount: 0 });
    await ageRequest(ctx, r.id, 7, 1);
    const auditBefore = (await auditRows(ctx, cast.admin)).length;

    const first = await runJob(ctx, 'auto-complete');
    expect(first).toEqual({ changed: 1, skipped: 0 });
    const done = await viewAr(ctx, cast.sponsor, r.id);
    expect(done).toMatchObject({ status: 'completed', awaitingParty: null, paymentCents: 12_500 });
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({
      reservedCents: 0,
      spentCents: 12_500,
      reserve: 12_500,
      release: 12_500,
    });
    const rows = await ledgerRowsOf(ctx, r.id);
    expect(rows.map((x) => [x.kind, x.amountCents])).toEqual([
      ['reserve', 12_500],
      ['release', 12_500],
    ]);
    expect(rows[1]).toMatchObject({
      influencerId: influencer.user.id,
      sponsorId: cast.sponsor.user.id,
      campaignId: c.id,
    });
    const e = await earnings(influencer);
    expect(e).toMatchObject({ earnedCents: 12_500, pendingCents: 0, completedCount: 1 });
    expect(e.byMonth).toEqual([{ month: new Date().toISOString().slice(0, 7), cents: 12_500 }]);
    expect((await eventsOf(ctx, r.id)).at(-1)).toMatchObject({
      action: 'auto_complete',
      actorId: null,
      fromStatus: 'delivered',
      toStatus: 'completed',
    });
    const audit = (await auditRows(ctx, cast.admin)).filter((a: { subjectId: string }) => a.subjectId === r.id);
    expect(audit.filter((a: { action: string }) => a.action === 'money.release')).toHaveLength(1);
    expect((await auditRows(ctx, cast.admin)).length).toBe(auditBefore + 1);
    const campaign = (await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: cast.sponsor })).json();
    expect(campaign).toMatchObject({ reservedCents: 0, spentCents: 12_500, remainingCents: 37_500 });

    // Again: nothing more is paid.
    const snapshot = [await viewAr(ctx, cast.sponsor, r.id), await ledgerRowsOf(ctx, r.id), await earnings(influencer)];
    expect(await runJob(ctx, 'auto-complete')).toEqual({ changed: 0, skipped: 0 });
    expect([await viewAr(ctx, cast.sponsor, r.id), await ledgerRowsOf(ctx, r.id), await earnings(influencer)]).toEqual(
      snapshot,
    );
  });

  it('leaves delivered work younger than 7 days, and accepted work however old, alone', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const young = await f.adRequest({ campaign: c, influencer: cast.influencer, status: 'delivered' });
    await ageRequest(ctx, young.id, 6, 23);
    const accepted = await f.adRequest({ campaign: c, influencer: cast.otherInfluencer, status: 'accepted' });
    await ageRequest(ctx, accepted.id, 60);
    const before = await Promise.all([young, accepted].map((r) => requestRow(ctx, r.id)));
    const money = await expectLedgerConsistent(ctx, c.id);
    expect(await runJob(ctx, 'auto-complete')).toEqual({ changed: 0, skipped: 0 });
    expect(await runJob(ctx, 'expire-offers')).toEqual({ changed: 0, skipped: 0 });
    expect(await Promise.all([young, accepted].map((r) => requestRow(ctx, r.id)))).toEqual(before);
    expect(await expectLedgerConsistent(ctx, c.id)).toEqual(money);
  });

  it('a revision request restarts the clock: redelivered work waits another 7 days', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000_000 });
    const r = await f.adRequest({ campaign: c, influencer: cast.influencer, status: 'delivered' });
    await ageRequest(ctx, r.id, 10);
    await must(ctx, cast.sponsor, r.id, 'request-revision');
    await must(ctx, cast.influencer, r.id, 'deliver');
    expect(await runJob(ctx, 'auto-complete')).toEqual({ changed: 0, skipped: 0 });
    expect((await requestRow(ctx, r.id))!.status).toBe('delivered');
    await ageRequest(ctx, r.id, 8);
    await runTwice('auto-complete', 1, [[r.id, c.id]]);
    expect((await requestRow(ctx, r.id))!.status).toBe('completed');
  });

  it('pays every due request of a campaign once, even when two runs overlap', async () => {
    const c = await f.campaign({ sponsor: cast.sponsor, budgetCents: 100_000 });
    const people = await Promise.all(Array.from({ length: 6 }, () => f.influencer()));
    const ids: string[] = [];
    for (const p of people) {
      const r = await f.adRequest({ campaign: c, influencer: p, paymentCents: 5_000, status: 'delivered' });
      await ageRequest(ctx, r.id, 9);
      ids.push(r.id);
    }
    const results = await Promise.all([runJob(ctx, 'auto-complete'), runJob(ctx, 'auto-complete')]);
    expect(results[0]!.changed + results[1]!.changed).toBe(6);
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({
      reservedCents: 0,
      spentCents: 30_000,
      release: 30_000,
    });
    for (const id of ids) expect((await ledgerRowsOf(ctx, id)).filter((x) => x.kind === 'release')).toHaveLength(1);
    expect(await runJob(ctx, 'auto-complete')).toEqual({ changed: 0, skipped: 0 });
  });
});
