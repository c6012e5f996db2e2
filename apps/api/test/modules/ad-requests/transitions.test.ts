import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AD_REQUEST_ACTIONS, AD_REQUEST_TRANSITIONS, type Party } from '@iescp/shared';
import { call, createTestApp, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem } from '../../support/fixtures/http.js';
import {
  ABILITY,
  ACTORS,
  API_ACTIONS,
  SCENARIOS,
  TABLE_ACTION,
  act,
  auditRows,
  bodyFor,
  buildFromFactory,
  campaignMoney,
  createCampaign,
  eventsOf,
  expectLedgerConsistent,
  expectedOutcome,
  getAr,
  ledgerRowsOf,
  listAll,
  makeCast,
  nextFacts,
  requestRow,
  viewAr,
  type ActorName,
  type ApiAction,
  type Cast,
  type Scenario,
} from '../../support/fixtures/ad-requests.js';

/**
 * Every (state, action, actor) cell of the ad-request state machine, over the real API (STYLE.md
 * rule 7). Each state is reached once through the API (expiry through the timer) to show that
 * the scenarios are real; the cells, which test the action that follows, start from the
 * factories' copy of the state (factories.test.ts shows the rows are the same). Each cell's
 * expected answer comes from the shared table, and a block of cells is also written out
 * literally from API.md so that a wrong table fails too. Allowed cells must reach exactly the table's next
 * state and move exactly the table's money; refused cells must change nothing at all.
 */

let ctx: TestContext;
let cast: Cast;
beforeAll(async () => {
  ctx = await createTestApp();
  cast = await makeCast(ctx);
});
afterAll(async () => ctx?.close());

const NEW_PAYMENT = 7_000;
const who = (name: ActorName): TestUser => cast[name];

interface Built {
  id: string;
  campaignId: string;
}

/** A fresh request in the scenario's state, from the factories (the cells test what follows). */
async function build(scenario: Scenario): Promise<Built> {
  return buildFromFactory(ctx, cast, scenario);
}

/** The same, driven there through the API. */
async function buildThroughApi(scenario: Scenario): Promise<Built> {
  const campaign = await createCampaign(ctx, cast.sponsor, { budgetCents: 1_000_000 });
  const id = await scenario.build(ctx, cast, campaign.id);
  return { id, campaignId: campaign.id };
}

/** Everything a refused call must leave as it was. */
async function snapshot(b: Built) {
  // Each request has a campaign of its own, so its ledger rows are the campaign's.
  const [sponsorView, influencerView, row, events, ledger, money] = await Promise.all([
    viewAr(ctx, cast.sponsor, b.id),
    viewAr(ctx, cast.influencer, b.id),
    requestRow(ctx, b.id),
    eventsOf(ctx, b.id),
    ledgerRowsOf(ctx, b.id),
    campaignMoney(ctx, b.campaignId),
  ]);
  return { sponsorView, influencerView, row, events: events.length, ledger, money };
}

/** Checks the abilities the actor is shown against what the cell expects the API to allow. */
async function expectAbility(b: Built, actor: ActorName, action: ApiAction, allowed: boolean) {
  if (actor === 'otherSponsor' || actor === 'otherInfluencer') {
    expectProblem(await getAr(ctx, who(actor), b.id), 404, 'not_found');
    return;
  }
  const view = await viewAr(ctx, who(actor), b.id);
  expect(view.abilities[ABILITY[action]], `abilities.${ABILITY[action]} for ${actor}`).toBe(allowed);
  if (actor === 'admin') expect(Object.values(view.abilities).every((v) => v === false)).toBe(true);
}

/** The answer to an allowed action must be exactly the table's next state, with its money. */
async function expectAllowed(b: Built, scenario: Scenario, actor: Party, action: ApiAction) {
  const before = await snapshot(b);
  const body = bodyFor(action, NEW_PAYMENT);
  const res = await act(ctx, who(actor), b.id, action, body);
  const tableAction = TABLE_ACTION[action];
  const payment = before.row!.paymentCents;

  if (action === 'delete') {
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    for (const viewer of [cast.sponsor, cast.influencer, cast.admin])
      expectProblem(await getAr(ctx, viewer, b.id), 404, 'not_found');
    for (const viewer of [cast.sponsor, cast.influencer, cast.admin]) {
      const ids = (await listAll(ctx, viewer, '/api/v1/ad-requests', `campaignId=${b.campaignId}`)).map((r) => r.id);
      expect(ids, 'a deleted request is gone from lists').not.toContain(b.id);
    }
    // Every action on it is now a 404 for its parties too.
    expectProblem(await act(ctx, cast.influencer, b.id, 'accept'), 404, 'not_found');
    const row = await requestRow(ctx, b.id);
    expect(row!.deletedAt).not.toBeNull();
    // A deleted pending invitation must not stay acceptable: it becomes withdrawn.
    expect(row!.status).toBe(before.row!.status === 'pending' ? 'withdrawn' : before.row!.status);
  } else {
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    const next = nextFacts(action, actor, scenario);
    expect(after.id).toBe(b.id);
    expect(after.status).toBe(next.status);
    expect(after.awaitingParty).toBe(next.awaitingParty);
    expect(after.initiatedBy).toBe(scenario.initiatedBy);
    const addsOffer = action === 'edit' || action === 'counter';
    expect(after.offerVersion).toBe(before.sponsorView.offerVersion + (addsOffer ? 1 : 0));
    expect(after.offers).toHaveLength(before.sponsorView.offers.length + (addsOffer ? 1 : 0));
    // Earlier offers never change.
    expect(after.offers.slice(0, before.sponsorView.offers.length)).toEqual(before.sponsorView.offers);
    if (addsOffer) {
      const latest = after.offers.at(-1);
      expect(latest).toMatchObject({ version: after.offerVersion, by: actor, paymentCents: NEW_PAYMENT });
      expect(after.paymentCents).toBe(NEW_PAYMENT);
    } else {
      expect(after.paymentCents).toBe(payment);
    }
    if (action === 'deliver') expect(after.deliverableUrl).toBe('https://example.com/post/1');
    // The other party and the admin see the same state.
    for (const viewer of [cast.sponsor, cast.influencer, cast.admin]) {
      const seen = await viewAr(ctx, viewer, b.id);
      expect({ status: seen.status, awaitingParty: seen.awaitingParty, offerVersion: seen.offerVersion }).toEqual({
        status: after.status,
        awaitingParty: after.awaitingParty,
        offerVersion: after.offerVersion,
      });
    }
  }

  // One event row for the transition, by this actor.
  const events = await eventsOf(ctx, b.id);
  expect(events).toHaveLength(before.events + 1);
  expect(events.at(-1)).toMatchObject({
    action: tableAction,
    actorId: who(actor).user.id,
    fromStatus: before.row!.status,
  });

  // Money: exactly the table's movement, on the ledger and on the campaign.
  const money = AD_REQUEST_TRANSITIONS[tableAction].money;
  const m = await expectLedgerConsistent(ctx, b.campaignId);
  const rows = await ledgerRowsOf(ctx, b.id);
  const delta = { reserve: 0, release: 0, refund: 0 };
  if (money) delta[money] = payment;
  expect(m.reservedCents).toBe(before.money.reservedCents + delta.reserve - delta.release - delta.refund);
  expect(m.spentCents).toBe(before.money.spentCents + delta.release);
  expect(rows).toHaveLength(before.ledger.length + (money ? 1 : 0));
  expect(rows.slice(0, before.ledger.length)).toEqual(before.ledger);
  if (money) {
    expect(rows.at(-1)).toMatchObject({
      kind: money,
      amountCents: payment,
      campaignId: b.campaignId,
      adRequestId: b.id,
      sponsorId: cast.sponsor.user.id,
      influencerId: cast.influencer.user.id,
    });
    const audit = (await auditRows(ctx, cast.admin)).filter(
      (r: { subjectId: string; action: string }) => r.subjectId === b.id && r.action === `money.${money}`,
    );
    expect(audit, `one money.${money} audit row`).toHaveLength(1);
    expect(audit[0].actorId).toBe(who(actor).user.id);
  }
}

/** A refused action answers the expected problem and changes nothing anyone can see. */
async function expectRefused(b: Built, actor: ActorName, action: ApiAction, status: number, code: string) {
  const before = await snapshot(b);
  const res = await act(ctx, who(actor), b.id, action, bodyFor(action, NEW_PAYMENT));
  expectProblem(res, status, code);
  const after = await snapshot(b);
  expect(after).toEqual(before);
  await expectLedgerConsistent(ctx, b.campaignId);
}

// ---------------------------------------------------------------------------------------------
describe('the shared table is the one API.md describes', () => {
  /** API.md's table, transcribed by hand: from-states, who, result, money. */
  const CONTRACT = {
    edit: { from: ['pending'], to: null, who: 'initiator' },
    counter: { from: ['negotiating', 'pending'], to: 'negotiating', who: 'awaiting' },
    accept: { from: ['negotiating', 'pending'], to: 'accepted', who: 'awaiting', money: 'reserve' },
    reject: { from: ['negotiating', 'pending'], to: 'rejected', who: 'awaiting' },
    withdraw: { from: ['negotiating', 'pending'], to: 'withdrawn', who: 'either' },
    deliver: { from: ['accepted'], to: 'delivered', who: 'influencer' },
    request_revision: { from: ['delivered'], to: 'accepted', who: 'sponsor' },
    complete: { from: ['delivered'], to: 'completed', who: 'sponsor', money: 'release' },
    cancel: { from: ['accepted'], to: 'cancelled', who: 'either', money: 'refund' },
    expire: { from: ['negotiating', 'pending'], to: 'expired', who: 'system' },
    auto_complete: { from: ['delivered'], to: 'completed', who: 'system', money: 'release' },
    delete: { from: ['expired', 'pending', 'rejected', 'withdrawn'], to: null, who: 'sponsor' },
  };

  it('has exactly API.md’s rows', () => {
    const normalized = Object.fromEntries(
      AD_REQUEST_ACTIONS.map((a) => {
        const t = AD_REQUEST_TRANSITIONS[a];
        return [a, { ...t, from: [...t.from].sort() }];
      }),
    );
    expect(normalized).toEqual(CONTRACT);
  });

  it('the scenarios reach the states they name, through the API', async () => {
    for (const scenario of SCENARIOS) {
      const b = await buildThroughApi(scenario);
      const view = await viewAr(ctx, cast.sponsor, b.id);
      expect(
        {
          status: view.status,
          awaitingParty: view.awaitingParty,
          initiatedBy: view.initiatedBy,
          offers: view.offers.length,
        },
        scenario.name,
      ).toEqual({
        status: scenario.status,
        awaitingParty: scenario.awaitingParty,
        initiatedBy: scenario.initiatedBy,
        offers: scenario.versions,
      });
      expect(view.offerVersion).toBe(scenario.versions);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe.each(SCENARIOS.map((s) => [s.name, s] as const))('in state %s', (_name, scenario) => {
  // Refused cells share one request (nothing may change it); allowed cells each get a fresh one.
  let shared: Promise<Built> | undefined;
  const sharedRequest = () => (shared ??= build(scenario));

  const cells = API_ACTIONS.flatMap((action) => ACTORS.map((actor) => [action, actor] as const));
  const rows = cells.map(([action, actor]) => {
    const expected = expectedOutcome(action, actor, scenario);
    const label = expected.allowed ? `${expected.status}` : `${expected.status} ${expected.code}`;
    return [actor, action, label, expected] as const;
  });
  it.each(rows)('%s %s → %s', async (actor, action, _label, expected) => {
    if (expected.allowed) {
      const b = await build(scenario);
      await expectAbility(b, actor, action, true);
      await expectAllowed(b, scenario, actor as Party, action);
    } else {
      const b = await sharedRequest();
      try {
        await expectAbility(b, actor, action, false);
        await expectRefused(b, actor, action, expected.status, expected.code!);
      } catch (error) {
        // The request may have changed: later cells get a fresh one, so one bug fails one cell.
        shared = undefined;
        throw error;
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('key cells, written out from API.md', () => {
  const byName = (prefix: string) => {
    const s = SCENARIOS.find((x) => x.name.startsWith(prefix));
    if (!s) throw new Error(`no scenario ${prefix}`);
    return s;
  };
  type Cell = [
    scenario: string,
    actor: ActorName,
    action: ApiAction,
    status: number,
    next?: string,
    awaiting?: Party | null,
  ];
  const CELLS: Cell[] = [
    ['pending (sponsor invited)', 'influencer', 'accept', 200, 'accepted', null],
    ['pending (sponsor invited)', 'sponsor', 'accept', 409],
    ['pending (sponsor invited)', 'influencer', 'counter', 200, 'negotiating', 'sponsor'],
    ['pending (sponsor invited)', 'sponsor', 'counter', 409],
    ['pending (sponsor invited)', 'sponsor', 'edit', 200, 'pending', 'influencer'],
    ['pending (sponsor invited)', 'influencer', 'edit', 409],
    ['pending (sponsor invited)', 'influencer', 'reject', 200, 'rejected', null],
    ['pending (sponsor invited)', 'sponsor', 'withdraw', 200, 'withdrawn', null],
    ['pending (sponsor invited)', 'sponsor', 'delete', 204],
    ['pending (sponsor invited)', 'influencer', 'delete', 409],
    ['pending (sponsor invited)', 'admin', 'withdraw', 409],
    ['pending (sponsor invited)', 'otherSponsor', 'withdraw', 404],
    ['pending (sponsor invited)', 'otherInfluencer', 'accept', 404],
    ['pending (influencer applied)', 'sponsor', 'accept', 200, 'accepted', null],
    ['pending (influencer applied)', 'influencer', 'accept', 409],
    ['pending (influencer applied)', 'influencer', 'edit', 200, 'pending', 'sponsor'],
    ['pending (influencer applied)', 'sponsor', 'edit', 409],
    ['pending (influencer applied)', 'sponsor', 'delete', 204],
    ['negotiating (invited; influencer countered', 'sponsor', 'edit', 409],
    ['negotiating (invited; influencer countered', 'influencer', 'accept', 409],
    ['negotiating (invited; influencer countered', 'influencer', 'withdraw', 200, 'withdrawn', null],
    ['negotiating (invited; influencer countered', 'sponsor', 'counter', 200, 'negotiating', 'influencer'],
    ['negotiating (invited; influencer countered', 'sponsor', 'delete', 409],
    ['negotiating (applied; sponsor countered', 'influencer', 'accept', 200, 'accepted', null],
    ['accepted (invitation', 'influencer', 'deliver', 200, 'delivered', null],
    ['accepted (invitation', 'sponsor', 'deliver', 409],
    ['accepted (invitation', 'influencer', 'cancel', 200, 'cancelled', null],
    ['accepted (application', 'sponsor', 'cancel', 200, 'cancelled', null],
    ['accepted (invitation', 'sponsor', 'withdraw', 409],
    ['accepted (invitation', 'sponsor', 'complete', 409],
    ['accepted (invitation', 'sponsor', 'delete', 409],
    ['delivered', 'sponsor', 'complete', 200, 'completed', null],
    ['delivered', 'influencer', 'complete', 409],
    ['delivered', 'sponsor', 'request-revision', 200, 'accepted', null],
    ['delivered', 'influencer', 'request-revision', 409],
    ['delivered', 'sponsor', 'cancel', 409],
    ['delivered', 'influencer', 'deliver', 409],
    ['completed', 'sponsor', 'delete', 409],
    ['completed', 'sponsor', 'cancel', 409],
    ['rejected', 'sponsor', 'delete', 204],
    ['rejected', 'influencer', 'accept', 409],
    ['withdrawn', 'sponsor', 'delete', 204],
    ['withdrawn', 'influencer', 'delete', 409],
    ['cancelled', 'sponsor', 'delete', 409],
    ['cancelled', 'influencer', 'deliver', 409],
    ['expired', 'sponsor', 'delete', 204],
    ['expired', 'influencer', 'accept', 409],
    ['expired', 'sponsor', 'counter', 409],
  ];
  const shared = new Map<string, Promise<Built>>();

  it.each(CELLS)('%s: %s %s → %i', async (prefix, actor, action, status, next, awaiting) => {
    const scenario = byName(prefix);
    // The shared table must agree with the literal cell (same status code).
    expect(expectedOutcome(action, actor, scenario).status, 'the shared table agrees with API.md').toBe(status);
    if (status === 200 || status === 204) {
      const b = await build(scenario);
      const res = await act(ctx, who(actor), b.id, action, bodyFor(action, NEW_PAYMENT));
      expect(res.statusCode, res.body).toBe(status);
      if (status === 200) expect(res.json()).toMatchObject({ status: next, awaitingParty: awaiting });
      else expectProblem(await getAr(ctx, cast.sponsor, b.id), 404, 'not_found');
      return;
    }
    if (!shared.has(prefix)) shared.set(prefix, build(scenario));
    const b = await shared.get(prefix)!;
    try {
      await expectRefused(b, actor, action, status, status === 404 ? 'not_found' : 'invalid_transition');
    } catch (error) {
      shared.delete(prefix);
      throw error;
    }
  });

  it('money moves with accept, complete and cancel by the payment of the accepted offer', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor, { budgetCents: 20_000 });
    const invited = await call(ctx, 'POST', '/api/v1/ad-requests', {
      auth: cast.sponsor,
      body: {
        campaignId: campaign.id,
        influencerId: cast.influencer.user.id,
        requirements: 'A post',
        paymentCents: 9_000,
      },
    });
    const id = invited.json().id;
    await act(ctx, cast.influencer, id, 'counter', { paymentCents: 12_000 });
    const accepted = await act(ctx, cast.sponsor, id, 'accept', { offerVersion: 2 });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await campaignMoney(ctx, campaign.id)).toMatchObject({ reservedCents: 12_000, spentCents: 0 });
    await act(ctx, cast.influencer, id, 'deliver');
    const done = await act(ctx, cast.sponsor, id, 'complete');
    expect(done.statusCode, done.body).toBe(200);
    expect(await campaignMoney(ctx, campaign.id)).toMatchObject({ reservedCents: 0, spentCents: 12_000 });
    const res = await call(ctx, 'GET', `/api/v1/campaigns/${campaign.id}`, { auth: cast.sponsor });
    expect(res.json()).toMatchObject({ reservedCents: 0, spentCents: 12_000, remainingCents: 8_000 });
    expect((await ledgerRowsOf(ctx, id)).map((r) => [r.kind, r.amountCents])).toEqual([
      ['reserve', 12_000],
      ['release', 12_000],
    ]);
  });
});
