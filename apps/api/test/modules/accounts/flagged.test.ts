import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adRequestOffers, adRequests, campaigns, conversations, messages } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { adminTools } from '../../support/fixtures/admin.js';
import { expectProblem } from '../../support/fixtures/http.js';
import {
  act,
  applyTo,
  campaignMoney,
  createCampaign,
  expectLedgerConsistent,
  invite,
  must,
  postAr,
  requestRow,
  viewAr,
} from '../../support/fixtures/ad-requests.js';
import { campaignBody } from '../../support/fixtures/search-campaigns.js';

/**
 * Flagged users take no part (API.md "Reviews, reports, moderation"): a flagged sponsor or
 * influencer may sign in, read and finish accepted deals, but every route that starts or changes
 * a commitment answers 403 `account_flagged` and writes nothing. The flag is read with the
 * caller on every request, so the same access token is refused right after the flag and
 * accepted again right after the unflag.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  admin = await f.admin();
});
afterAll(async () => ctx?.close());

const { action } = adminTools(() => ({ ctx, admin }));
async function flag(who: TestUser, reason = 'Fake followers') {
  expect((await action(admin, who.user.id, 'flag', { reason })).statusCode).toBe(200);
}
async function unflag(who: TestUser) {
  expect((await action(admin, who.user.id, 'unflag')).statusCode).toBe(200);
}

const count = async (table: typeof campaigns | typeof adRequests | typeof conversations, where: any) =>
  (
    await ctx.db
      .select()
      .from(table as typeof campaigns)
      .where(where)
  ).length;
const offersOf = async (id: string) =>
  (await ctx.db.select().from(adRequestOffers).where(eq(adRequestOffers.adRequestId, id))).length;
const startConversation = (who: TestUser, participantId: string) =>
  call(ctx, 'POST', '/api/v1/conversations', { auth: who, body: { participantId } });

describe('a flagged sponsor', () => {
  it('is refused creating and editing a campaign (403 account_flagged, nothing written); deleting stays open', async () => {
    const sponsor = await f.sponsor();
    const c = await createCampaign(ctx, sponsor, { name: 'Before the flag' });
    await flag(sponsor);

    expectProblem(
      await call(ctx, 'POST', '/api/v1/campaigns', { auth: sponsor, body: campaignBody() }),
      403,
      'account_flagged',
    );
    expect(await count(campaigns, eq(campaigns.sponsorId, sponsor.user.id))).toBe(1);

    expectProblem(
      await call(ctx, 'PATCH', `/api/v1/campaigns/${c.id}`, { auth: sponsor, body: { name: 'After the flag' } }),
      403,
      'account_flagged',
    );
    const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, c.id));
    expect(row!.name).toBe('Before the flag');

    // It reads its own campaign, and the abilities say what is left.
    const seen = await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: sponsor });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().abilities).toMatchObject({ edit: false, delete: true });

    expect((await call(ctx, 'DELETE', `/api/v1/campaigns/${c.id}`, { auth: sponsor })).statusCode).toBe(204);
  });

  it('is refused inviting, with nothing written', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    await flag(sponsor);
    expectProblem(
      await postAr(ctx, sponsor, {
        campaignId: c.id,
        influencerId: influencer.user.id,
        requirements: 'One reel',
        paymentCents: 5_000,
      }),
      403,
      'account_flagged',
    );
    expect(await count(adRequests, eq(adRequests.campaignId, c.id))).toBe(0);
  });

  it('is refused countering, editing and accepting offers, but may reject one', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const application = (await applyTo(ctx, influencer, c.id)).id as string;
    const invitation = (await invite(ctx, sponsor, c.id, await f.influencer())).id as string;
    await flag(sponsor);

    for (const [id, verb] of [
      [application, 'counter'],
      [application, 'accept'],
      [invitation, 'edit'],
    ] as const) {
      expectProblem(await act(ctx, sponsor, id, verb), 403, 'account_flagged');
    }
    expect(await requestRow(ctx, application)).toMatchObject({ status: 'pending', offerVersion: 1 });
    expect(await requestRow(ctx, invitation)).toMatchObject({ status: 'pending', offerVersion: 1 });
    expect(await offersOf(application)).toBe(1);
    expect(await offersOf(invitation)).toBe(1);
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(0);

    expect((await viewAr(ctx, sponsor, application)).abilities).toMatchObject({
      counter: false,
      accept: false,
      reject: true,
    });
    expect((await viewAr(ctx, sponsor, invitation)).abilities).toMatchObject({ edit: false, withdraw: true });
    await must(ctx, sponsor, application, 'reject');
    await must(ctx, sponsor, invitation, 'withdraw');
  });

  it('is refused a new conversation but keeps the ones it has', async () => {
    const sponsor = await f.sponsor();
    const [known, stranger] = [await f.influencer(), await f.influencer()];
    const existing = await startConversation(sponsor, known.user.id);
    expect(existing.statusCode).toBe(201);
    await flag(sponsor);

    expectProblem(await startConversation(sponsor, stranger.user.id), 403, 'account_flagged');
    expect(
      await count(
        conversations,
        and(eq(conversations.sponsorId, sponsor.user.id), eq(conversations.influencerId, stranger.user.id)),
      ),
    ).toBe(0);

    // Asking for the one it has is a read: 200 with that conversation.
    const again = await startConversation(sponsor, known.user.id);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(existing.json().id);
    const sent = await call(ctx, 'POST', `/api/v1/conversations/${existing.json().id}/messages`, {
      auth: sponsor,
      body: { body: 'Still here to finish our deal' },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(
      (await ctx.db.select().from(messages).where(eq(messages.conversationId, existing.json().id))).map((m) => m.body),
    ).toContain('Still here to finish our deal');
  });
});

describe('a flagged influencer', () => {
  it('is refused applying (nothing written) and its campaign view says it cannot apply', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    await flag(influencer);
    expectProblem(
      await postAr(ctx, influencer, { campaignId: c.id, requirements: 'A video', paymentCents: 4_000 }),
      403,
      'account_flagged',
    );
    expect(await count(adRequests, eq(adRequests.campaignId, c.id))).toBe(0);
    const seen = await call(ctx, 'GET', `/api/v1/campaigns/${c.id}`, { auth: influencer });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().abilities.apply).toBe(false);
  });

  it('is refused accepting or countering an invitation (nothing reserved), but may reject it', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const id = (await invite(ctx, sponsor, c.id, influencer)).id as string;
    await flag(influencer);

    expectProblem(await act(ctx, influencer, id, 'accept'), 403, 'account_flagged');
    expectProblem(await act(ctx, influencer, id, 'counter'), 403, 'account_flagged');
    expect(await requestRow(ctx, id)).toMatchObject({ status: 'pending', offerVersion: 1 });
    expect(await offersOf(id)).toBe(1);
    expect(await campaignMoney(ctx, c.id)).toMatchObject({ reservedCents: 0, spentCents: 0 });
    expect((await viewAr(ctx, influencer, id)).abilities).toMatchObject({
      accept: false,
      counter: false,
      reject: true,
    });
    await must(ctx, influencer, id, 'reject');
  });

  it('is refused editing its own application', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const id = (await applyTo(ctx, influencer, c.id)).id as string;
    await flag(influencer);
    expectProblem(await act(ctx, influencer, id, 'edit'), 403, 'account_flagged');
    expect(await offersOf(id)).toBe(1);
  });

  it('is refused a new conversation with a sponsor', async () => {
    const influencer = await f.influencer();
    const sponsor = await f.sponsor();
    await flag(influencer);
    expectProblem(await startConversation(influencer, sponsor.user.id), 403, 'account_flagged');
    expect(await count(conversations, eq(conversations.influencerId, influencer.user.id))).toBe(0);
  });

  it('may read, edit its profile and see its own flag and reason', async () => {
    const influencer = await f.influencer();
    await flag(influencer, 'Bought followers');
    const me = await call(ctx, 'GET', '/api/v1/me', { auth: influencer });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ flagged: true, flagReason: 'Bought followers' });
    const patched = await call(ctx, 'PATCH', '/api/v1/me', { auth: influencer, body: { displayName: 'Renamed' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await call(ctx, 'GET', '/api/v1/campaigns', { auth: influencer })).statusCode).toBe(200);
    expect((await call(ctx, 'GET', '/api/v1/ad-requests', { auth: influencer })).statusCode).toBe(200);
  });
});

describe('deals already accepted', () => {
  it('both parties flagged still deliver, ask for a revision, deliver again and complete; money moves as usual', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const id = (await invite(ctx, sponsor, c.id, influencer, { paymentCents: 6_000 })).id as string;
    await must(ctx, influencer, id, 'accept');
    await flag(influencer);
    await flag(sponsor);

    await must(ctx, influencer, id, 'deliver');
    await must(ctx, sponsor, id, 'request-revision');
    await must(ctx, influencer, id, 'deliver');
    const done = await must(ctx, sponsor, id, 'complete');
    expect(done.status).toBe('completed');
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 0, spentCents: 6_000 });
  });

  it('a flagged party may cancel an accepted deal (the money goes back)', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const id = (await invite(ctx, sponsor, c.id, influencer)).id as string;
    await must(ctx, influencer, id, 'accept');
    await flag(sponsor);
    expect((await must(ctx, sponsor, id, 'cancel')).status).toBe('cancelled');
    expect(await expectLedgerConsistent(ctx, c.id)).toMatchObject({ reservedCents: 0, spentCents: 0 });
  });
});

describe('the other party of a flagged user', () => {
  it('cannot invite a flagged influencer: 404, as the directory hides them', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    await flag(influencer);
    expectProblem(
      await postAr(ctx, sponsor, {
        campaignId: c.id,
        influencerId: influencer.user.id,
        requirements: 'One reel',
        paymentCents: 5_000,
      }),
      404,
      'not_found',
    );
    expect(await count(adRequests, eq(adRequests.campaignId, c.id))).toBe(0);
    expectProblem(await startConversation(sponsor, influencer.user.id), 404, 'not_found');
  });

  it('cannot apply to a flagged sponsor’s campaign: 404, as it is hidden', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    await flag(sponsor);
    expectProblem(
      await postAr(ctx, influencer, { campaignId: c.id, requirements: 'A video', paymentCents: 4_000 }),
      404,
      'not_found',
    );
  });

  it('cannot accept a flagged influencer’s application: 409 conflict, nothing reserved; after the unflag it can', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const c = await createCampaign(ctx, sponsor);
    const id = (await applyTo(ctx, influencer, c.id, { paymentCents: 3_000 })).id as string;
    await flag(influencer);
    const refused = await act(ctx, sponsor, id, 'accept');
    expectProblem(refused, 409, 'conflict');
    expect(refused.json().detail).toMatch(/flagged/);
    expect(await requestRow(ctx, id)).toMatchObject({ status: 'pending' });
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(0);

    await unflag(influencer);
    expect((await must(ctx, sponsor, id, 'accept')).status).toBe('accepted');
    expect((await campaignMoney(ctx, c.id)).reservedCents).toBe(3_000);
  });
});

describe('unflagging', () => {
  it('restores everything at once, with the same access tokens', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    await flag(sponsor);
    await flag(influencer);
    expectProblem(
      await call(ctx, 'POST', '/api/v1/campaigns', { auth: sponsor, body: campaignBody() }),
      403,
      'account_flagged',
    );
    await unflag(sponsor);
    await unflag(influencer);

    const c = await createCampaign(ctx, sponsor);
    const application = await applyTo(ctx, influencer, c.id);
    expect(application.status).toBe('pending');
    expect(application.abilities.edit).toBe(true);
    // (The application opened a chat with this sponsor; a new one is with someone else.)
    expect((await startConversation(influencer, (await f.sponsor()).user.id)).statusCode).toBe(201);
    const me = await call(ctx, 'GET', '/api/v1/me', { auth: influencer });
    expect(me.json()).toMatchObject({ flagged: false, flagReason: null });
  });
});
