import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adRequestOffers, auditLog, campaigns, sponsorProfiles } from '../../src/db/schema/index.js';
import { createTestApp, factories, type TestContext, type TestUser } from './helpers.js';
import {
  SCENARIOS,
  campaignMoney,
  createCampaign,
  eventsOf,
  expectLedgerConsistent,
  ledgerRowsOf,
  requestRow,
  type Cast,
} from './fixtures/ad-requests.js';
import { conversationWith, messageRows, notificationRows, pairRow, say } from './fixtures/messaging.js';
import { tag } from './fixtures/search-support.js';

/**
 * The factories promise the rows the API writes. Each case builds the same thing twice, through
 * the API and through the factory, for two pairs of users with the same names (announcements
 * quote them), and compares every row the deal touches, with ids and timestamps left out.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

/** A sponsor and an influencer whose names match every other pair's. */
async function pair(): Promise<Cast> {
  const [sponsor, influencer, otherSponsor, otherInfluencer, admin] = await Promise.all([
    f.sponsor({ displayName: 'Same Sponsor' }),
    f.influencer({ displayName: 'Same Influencer' }),
    f.sponsor(),
    f.influencer(),
    f.admin(),
  ]);
  await ctx.db
    .update(sponsorProfiles)
    .set({ companyName: 'Same Company' })
    .where(eq(sponsorProfiles.userId, sponsor.user.id));
  return { sponsor, influencer, otherSponsor, otherInfluencer, admin };
}

/** Everything a deal wrote, with the pair's ids replaced by their roles. */
async function dealRows(cast: Cast, campaignId: string, id: string) {
  const role = (userId: string | null) =>
    userId === null
      ? null
      : userId === cast.sponsor.user.id
        ? 'sponsor'
        : userId === cast.influencer.user.id
          ? 'influencer'
          : `someone else: ${userId}`;
  const text = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value ?? null)
        .replaceAll(id, '<request>')
        .replaceAll(campaignId, '<campaign>'),
    );

  const row = await requestRow(ctx, id);
  const {
    id: _id,
    campaignId: c,
    sponsorId,
    influencerId,
    createdAt: _c,
    updatedAt: _u,
    statusChangedAt: _s,
    ...request
  } = row!;
  const offers = await ctx.db
    .select()
    .from(adRequestOffers)
    .where(eq(adRequestOffers.adRequestId, id))
    .orderBy(asc(adRequestOffers.version));
  const audit = await ctx.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.subjectId, id))
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
  const conversation = await pairRow(ctx, cast.sponsor, cast.influencer);
  const messages = conversation ? await messageRows(ctx, conversation.id) : [];
  const notices = async (who: TestUser) =>
    (await notificationRows(ctx, who.user.id)).map((n) => ({
      type: n.type,
      title: n.title,
      body: n.body,
      link: text(n.link),
      read: n.readAt !== null,
    }));

  await expectLedgerConsistent(ctx, campaignId);
  return {
    request: { ...request, campaign: c === campaignId, sponsor: role(sponsorId), influencer: role(influencerId) },
    offers: offers.map((o) => ({
      version: o.version,
      by: o.by,
      paymentCents: o.paymentCents,
      requirements: o.requirements,
      message: o.message,
    })),
    events: (await eventsOf(ctx, id)).map((e) => ({
      action: e.action,
      actor: role(e.actorId),
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      paymentCents: e.paymentCents,
      details: e.details,
    })),
    ledger: (await ledgerRowsOf(ctx, id)).map((t) => ({
      kind: t.kind,
      amountCents: t.amountCents,
      campaign: t.campaignId === campaignId,
      sponsor: role(t.sponsorId),
      influencer: role(t.influencerId),
    })),
    money: await campaignMoney(ctx, campaignId),
    audit: audit.map((a) => ({
      action: a.action,
      actor: role(a.actorId),
      subjectType: a.subjectType,
      details: text(a.details),
    })),
    conversation: conversation && {
      sponsorUnread: conversation.sponsorUnread,
      influencerUnread: conversation.influencerUnread,
      last: conversation.lastMessageId === messages.at(-1)?.id,
    },
    messages: messages.map((m) => ({
      sender: role(m.senderId),
      kind: m.kind,
      body: m.body,
      adRequest: m.adRequestId === null ? null : m.adRequestId === id,
      event: m.event,
    })),
    notifications: { sponsor: await notices(cast.sponsor), influencer: await notices(cast.influencer) },
  };
}

describe('factories.adRequest writes what the API writes', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const name = `Campaign ${tag()}`;
    const viaApi = await pair();
    const apiCampaign = await createCampaign(ctx, viaApi.sponsor, { name, budgetCents: 1_000_000 });
    const apiId = await scenario.build(ctx, viaApi, apiCampaign.id);

    const viaFactory = await pair();
    const campaign = await f.campaign({ sponsor: viaFactory.sponsor, name, budgetCents: 1_000_000 });
    const made = await f.adRequest({ campaign, influencer: viaFactory.influencer, ...scenario.factory });

    const expected = await dealRows(viaApi, apiCampaign.id, apiId);
    expect(expected.request.status).toBe(scenario.status);
    expect(await dealRows(viaFactory, campaign.id, made.id)).toEqual(expected);
    expect(made).toEqual(await requestRow(ctx, made.id));
  });

  it('refuses a step the transition table refuses, and a reservation over budget', async () => {
    const cast = await pair();
    const campaign = await f.campaign({ sponsor: cast.sponsor, budgetCents: 1_000 });
    await expect(
      f.adRequest({ campaign, influencer: cast.influencer, status: 'accepted', paymentCents: 5_000 }),
    ).rejects.toThrow(/cannot reserve/);
    expect(await campaignMoney(ctx, campaign.id)).toMatchObject({ reservedCents: 0, spentCents: 0 });
    await expect(f.adRequest({ campaign, influencer: cast.influencer, counters: [1_000] })).rejects.toThrow(
      /negotiating/,
    );
  });
});

describe('factories.campaign writes what the API writes', () => {
  it('the same row, with the same defaults as the API fixtures', async () => {
    const sponsor = await f.sponsor();
    const name = `Campaign ${tag()}`;
    const viaApi = await createCampaign(ctx, sponsor, { name, budgetCents: 1_000_000, visibility: 'private' });
    const made = await f.campaign({ sponsor, name, budgetCents: 1_000_000, visibility: 'private' });
    const rows = await ctx.db
      .select()
      .from(campaigns)
      .where(eq(campaigns.sponsorId, sponsor.user.id))
      .orderBy(asc(campaigns.createdAt));
    const strip = ({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: (typeof rows)[number]) => rest;
    const byId = new Map(rows.map((r) => [r.id, strip(r)]));
    expect(byId.get(made.id)).toEqual(byId.get(viaApi.id));
    expect(made).toMatchObject({ id: made.id, sponsorId: sponsor.user.id, status: 'active', reservedCents: 0 });
  });
});

describe('factories.conversation and factories.message write what the API writes', () => {
  it('one conversation per pair, messages with unread counts', async () => {
    const build = async (how: 'api' | 'factory') => {
      const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
      if (how === 'api') {
        const c = await conversationWith(ctx, sponsor, influencer);
        await say(ctx, sponsor, c.id, 'Hello there');
        await say(ctx, influencer, c.id, 'Hi!');
        await say(ctx, influencer, c.id, 'When do we start?');
        expect((await conversationWith(ctx, influencer, sponsor)).id).toBe(c.id);
      } else {
        const c = await f.conversation({ sponsor, influencer });
        await f.message({ conversation: c, from: sponsor, body: 'Hello there' });
        await f.message({ conversation: c, from: influencer, body: 'Hi!' });
        await f.message({ conversation: c, from: influencer, body: 'When do we start?' });
        expect((await f.conversation({ sponsor, influencer })).id).toBe(c.id);
      }
      const row = (await pairRow(ctx, sponsor, influencer))!;
      const messages = await messageRows(ctx, row.id);
      return {
        conversation: {
          sponsorUnread: row.sponsorUnread,
          influencerUnread: row.influencerUnread,
          sponsorReadAt: row.sponsorReadAt,
          influencerReadAt: row.influencerReadAt,
          last: row.lastMessageId === messages.at(-1)!.id,
          updated: row.updatedAt.getTime() === messages.at(-1)!.createdAt.getTime(),
        },
        messages: messages.map((m) => ({
          sender: m.senderId === sponsor.user.id ? 'sponsor' : 'influencer',
          kind: m.kind,
          body: m.body,
          adRequestId: m.adRequestId,
          event: m.event,
        })),
      };
    };
    const viaApi = await build('api');
    expect(viaApi.conversation).toMatchObject({ sponsorUnread: 2, influencerUnread: 1, last: true });
    expect(await build('factory')).toEqual(viaApi);
  });

  it('refuses a sender who is not in the conversation', async () => {
    const [sponsor, influencer, stranger] = await Promise.all([f.sponsor(), f.influencer(), f.influencer()]);
    const c = await f.conversation({ sponsor, influencer });
    await expect(f.message({ conversation: c, from: stranger })).rejects.toThrow(/in the conversation/);
  });
});
