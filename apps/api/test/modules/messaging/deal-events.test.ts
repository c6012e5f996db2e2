import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationType } from '@iescp/shared';
import { messages } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import {
  act,
  ageRequest,
  applyTo,
  createCampaign,
  eventsOf,
  invite,
  makeCast,
  must,
  postAr,
  runJob,
  type ApiAction,
  type Cast,
} from '../../support/fixtures/ad-requests.js';
import { allMessageRows, allNotificationRows, convUrl, getOk, ISO, pairRow } from '../../support/fixtures/messaging.js';

/**
 * Deal events (API.md "Every ad-request action also appears in the pair's conversation"): each
 * ad-request action, by a party or by a timer, writes exactly one event message in the pair's
 * conversation and one notification for each party that did not act, in the transaction of the
 * action, so a refused action writes neither. Also the notifications of campaign deletion and
 * of the admin's approve and flag actions.
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

/** Every message and notification now, to tell afterwards what an action wrote. */
async function mark() {
  const [m, n] = await Promise.all([allMessageRows(ctx), allNotificationRows(ctx)]);
  return { messages: new Set(m.map((r) => r.id)), notifications: new Set(n.map((r) => r.id)) };
}
type Mark = Awaited<ReturnType<typeof mark>>;

async function writtenSince(before: Mark) {
  const [m, n] = await Promise.all([allMessageRows(ctx), allNotificationRows(ctx)]);
  return {
    messages: m.filter((r) => !before.messages.has(r.id)),
    notifications: n.filter((r) => !before.notifications.has(r.id)),
  };
}

async function expectNothingWritten(before: Mark) {
  expect(await writtenSince(before)).toEqual({ messages: [], notifications: [] });
}

interface Announced {
  adRequestId: string;
  campaignName: string;
  action: string;
  status: string;
  paymentCents: number;
  /** Who acted: the sender of the event; null for the system. */
  actor: TestUser | null;
  sponsor: TestUser;
  influencer: TestUser;
  type: NotificationType;
  /** The parties told: the other party, or both when the system acted. */
  recipients: TestUser[];
  link: string;
  /** Text the chat message must contain besides the campaign name. */
  says?: string;
  /** The notification's exact body, when the action gives one. */
  noticeBody?: string;
}

/**
 * Asserts that exactly one event message (in the pair's conversation) and exactly one
 * notification per recipient were written since `before`, as the database and the API show them.
 */
async function expectAnnounced(before: Mark, e: Announced) {
  const written = await writtenSince(before);
  expect(written.messages, 'exactly one event message').toHaveLength(1);
  const m = written.messages[0]!;
  const conversation = (await pairRow(ctx, e.sponsor, e.influencer))!;
  expect(conversation, 'the pair’s conversation').toBeDefined();
  expect(m).toMatchObject({
    conversationId: conversation.id,
    kind: 'event',
    adRequestId: e.adRequestId,
    senderId: e.actor ? e.actor.user.id : null,
    event: { action: e.action, status: e.status, paymentCents: e.paymentCents },
  });
  expect(m.body).toContain(e.campaignName);
  if (e.says) expect(m.body).toContain(e.says);
  expect(conversation.lastMessageId).toBe(m.id);

  // Both parties see it as the newest message of their conversation.
  for (const who of [e.sponsor, e.influencer]) {
    const page = await getOk(ctx, who, `${convUrl(conversation.id)}/messages?limit=1`);
    expect(page.items).toEqual([
      {
        id: m.id,
        conversationId: conversation.id,
        senderId: e.actor ? e.actor.user.id : null,
        kind: 'event',
        body: m.body,
        adRequestId: e.adRequestId,
        event: { action: e.action, status: e.status, paymentCents: e.paymentCents },
        createdAt: expect.stringMatching(ISO),
      },
    ]);
  }

  // Completion also asks both parties for a review (the reviews module; reviews.test.ts).
  const notices = written.notifications.filter((n) => n.type !== 'review_reminder');
  const told = notices.map((n) => n.userId).sort();
  expect(told, 'one notification per recipient, none for the actor or anyone else').toEqual(
    e.recipients.map((r) => r.user.id).sort(),
  );
  for (const recipient of e.recipients) {
    const n = notices.find((x) => x.userId === recipient.user.id)!;
    expect(n).toMatchObject({ type: e.type, link: e.link, readAt: null });
    expect(n.title).toContain(e.campaignName);
    expect(n.body.length).toBeGreaterThan(0);
    if (e.noticeBody !== undefined) expect(n.body).toBe(e.noticeBody);
    const newest = await getOk(ctx, recipient, '/api/v1/notifications?limit=3');
    expect(newest.items.filter((x: { type: string }) => x.type !== 'review_reminder').slice(0, 1)).toEqual([
      {
        id: n.id,
        type: e.type,
        title: n.title,
        body: n.body,
        link: e.link,
        readAt: null,
        createdAt: expect.stringMatching(ISO),
      },
    ]);
  }
}

type Who = 'sponsor' | 'influencer';
interface Case {
  name: string;
  /** Brings a fresh request on `campaignId` to where the action starts; null for create. */
  setup: (campaignId: string) => Promise<string | null>;
  /** Takes the action; returns the request id. */
  run: (campaignId: string, id: string | null) => Promise<string>;
  actor: Who | 'system';
  action: string;
  status: string;
  paymentCents: number;
  type: NotificationType;
  link?: 'deals';
  says?: string;
  noticeBody?: string;
}

const invited = async (campaignId: string) => (await invite(ctx, cast.sponsor, campaignId, cast.influencer)).id;
const applied = async (campaignId: string) => (await applyTo(ctx, cast.influencer, campaignId)).id;
async function accepted(campaignId: string) {
  const id = await invited(campaignId);
  await must(ctx, cast.influencer, id, 'accept');
  return id;
}
async function delivered(campaignId: string) {
  const id = await accepted(campaignId);
  await must(ctx, cast.influencer, id, 'deliver');
  return id;
}
/** Runs `action` as `who`, which must succeed. */
const by =
  (who: Who, action: ApiAction, body?: unknown) =>
  async (_campaignId: string, id: string | null): Promise<string> => {
    await must(ctx, cast[who], id!, action, ...(body !== undefined ? [body] : []));
    return id!;
  };

const CASES: Case[] = [
  {
    name: 'create (invite)',
    setup: async () => null,
    run: invited,
    actor: 'sponsor',
    action: 'create',
    status: 'pending',
    paymentCents: 5_000,
    type: 'offer_received',
    says: 'Would you like to work with us?',
  },
  {
    name: 'create (apply)',
    setup: async () => null,
    run: applied,
    actor: 'influencer',
    action: 'create',
    status: 'pending',
    paymentCents: 5_000,
    type: 'offer_received',
    says: 'I would love to',
  },
  {
    name: 'edit',
    setup: invited,
    run: by('sponsor', 'edit', { paymentCents: 7_100 }),
    actor: 'sponsor',
    action: 'edit',
    status: 'pending',
    paymentCents: 7_100,
    type: 'offer_updated',
  },
  {
    name: 'counter',
    setup: invited,
    run: by('influencer', 'counter', { paymentCents: 6_500, message: 'Meet me halfway?' }),
    actor: 'influencer',
    action: 'counter',
    status: 'negotiating',
    paymentCents: 6_500,
    type: 'counter_offer',
    says: 'Meet me halfway?',
  },
  {
    name: 'accept (an invitation, by the influencer)',
    setup: invited,
    run: by('influencer', 'accept'),
    actor: 'influencer',
    action: 'accept',
    status: 'accepted',
    paymentCents: 5_000,
    type: 'offer_accepted',
  },
  {
    name: 'accept (an application, by the sponsor)',
    setup: applied,
    run: by('sponsor', 'accept'),
    actor: 'sponsor',
    action: 'accept',
    status: 'accepted',
    paymentCents: 5_000,
    type: 'offer_accepted',
  },
  {
    name: 'reject',
    setup: invited,
    run: by('influencer', 'reject', { message: 'Not my style' }),
    actor: 'influencer',
    action: 'reject',
    status: 'rejected',
    paymentCents: 5_000,
    type: 'offer_rejected',
    says: 'Not my style',
  },
  {
    name: 'withdraw (by the sponsor)',
    setup: invited,
    run: by('sponsor', 'withdraw'),
    actor: 'sponsor',
    action: 'withdraw',
    status: 'withdrawn',
    paymentCents: 5_000,
    type: 'offer_withdrawn',
  },
  {
    name: 'withdraw (by the influencer, after a counter)',
    async setup(campaignId) {
      const id = await applied(campaignId);
      await must(ctx, cast.sponsor, id, 'counter', { paymentCents: 4_200 });
      return id;
    },
    run: by('influencer', 'withdraw'),
    actor: 'influencer',
    action: 'withdraw',
    status: 'withdrawn',
    paymentCents: 4_200,
    type: 'offer_withdrawn',
  },
  {
    name: 'deliver',
    setup: accepted,
    run: by('influencer', 'deliver', { deliverableUrl: 'https://example.com/reel/42', note: 'Live now' }),
    actor: 'influencer',
    action: 'deliver',
    status: 'delivered',
    paymentCents: 5_000,
    type: 'work_delivered',
    says: 'https://example.com/reel/42',
  },
  {
    name: 'request_revision',
    setup: delivered,
    run: by('sponsor', 'request-revision', { note: 'Please add the discount code' }),
    actor: 'sponsor',
    action: 'request_revision',
    status: 'accepted',
    paymentCents: 5_000,
    type: 'revision_requested',
    says: 'Please add the discount code',
    noticeBody: 'Please add the discount code',
  },
  {
    name: 'complete',
    setup: delivered,
    run: by('sponsor', 'complete'),
    actor: 'sponsor',
    action: 'complete',
    status: 'completed',
    paymentCents: 5_000,
    type: 'deal_completed',
  },
  {
    name: 'cancel (by the influencer)',
    setup: accepted,
    run: by('influencer', 'cancel', { reason: 'I got sick' }),
    actor: 'influencer',
    action: 'cancel',
    status: 'cancelled',
    paymentCents: 5_000,
    type: 'deal_cancelled',
    says: 'I got sick',
    noticeBody: 'I got sick',
  },
  {
    name: 'cancel (by the sponsor)',
    setup: accepted,
    run: by('sponsor', 'cancel', { reason: 'Budget cut' }),
    actor: 'sponsor',
    action: 'cancel',
    status: 'cancelled',
    paymentCents: 5_000,
    type: 'deal_cancelled',
    noticeBody: 'Budget cut',
  },
  {
    name: 'expire (the timer)',
    async setup(campaignId) {
      const id = await invited(campaignId);
      await ageRequest(ctx, id, 15);
      return id;
    },
    async run(_c, id) {
      expect(await runJob(ctx, 'expire-offers')).toEqual({ changed: 1, skipped: 0 });
      return id!;
    },
    actor: 'system',
    action: 'expire',
    status: 'expired',
    paymentCents: 5_000,
    type: 'offer_expired',
  },
  {
    name: 'auto_complete (the timer)',
    async setup(campaignId) {
      const id = await delivered(campaignId);
      await ageRequest(ctx, id, 8);
      return id;
    },
    async run(_c, id) {
      expect(await runJob(ctx, 'auto-complete')).toEqual({ changed: 1, skipped: 0 });
      return id!;
    },
    actor: 'system',
    action: 'auto_complete',
    status: 'completed',
    paymentCents: 5_000,
    type: 'deal_completed',
  },
  {
    name: 'delete (a pending invitation: withdraws it)',
    setup: invited,
    run: by('sponsor', 'delete'),
    actor: 'sponsor',
    action: 'delete',
    status: 'withdrawn',
    paymentCents: 5_000,
    type: 'offer_withdrawn',
    link: 'deals',
  },
  {
    name: 'delete (a closed request: only tidies the lists)',
    async setup(campaignId) {
      const id = await invited(campaignId);
      await must(ctx, cast.influencer, id, 'reject');
      return id;
    },
    run: by('sponsor', 'delete'),
    actor: 'sponsor',
    action: 'delete',
    status: 'rejected',
    paymentCents: 5_000,
    type: 'offer_removed',
    link: 'deals',
  },
];

// ---------------------------------------------------------------------------------------------
describe('every ad-request action writes one event message and notifies the other party', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const setupId = await c.setup(campaign.id);
    const conversationBefore = await pairRow(ctx, cast.sponsor, cast.influencer);
    const before = await mark();
    const id = await c.run(campaign.id, setupId);
    const actor = c.actor === 'system' ? null : cast[c.actor];
    const recipients =
      c.actor === 'system' ? [cast.sponsor, cast.influencer] : [c.actor === 'sponsor' ? cast.influencer : cast.sponsor];
    await expectAnnounced(before, {
      adRequestId: id,
      campaignName: campaign.name as string,
      action: c.action,
      status: c.status,
      paymentCents: c.paymentCents,
      actor,
      sponsor: cast.sponsor,
      influencer: cast.influencer,
      type: c.type,
      recipients,
      link: c.link === 'deals' ? '/deals' : `/ad-requests/${id}`,
      ...(c.says ? { says: c.says } : {}),
      ...(c.noticeBody !== undefined ? { noticeBody: c.noticeBody } : {}),
    });
    // The event counts as unread for those it was not sent by (both, for the system).
    const after = (await pairRow(ctx, cast.sponsor, cast.influencer))!;
    const was = conversationBefore ?? { sponsorUnread: 0, influencerUnread: 0 };
    expect(after.sponsorUnread - was.sponsorUnread).toBe(c.actor === 'sponsor' ? 0 : 1);
    expect(after.influencerUnread - was.influencerUnread).toBe(c.actor === 'influencer' ? 0 : 1);
  });

  it('the chat holds exactly the recorded history of every request of the pair, in order', async () => {
    const conversation = (await pairRow(ctx, cast.sponsor, cast.influencer))!;
    const events = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation.id))
      .orderBy(asc(messages.createdAt), asc(messages.id));
    const byRequest = new Map<string, string[]>();
    for (const m of events) {
      expect(m.kind).toBe('event');
      byRequest.set(m.adRequestId!, [...(byRequest.get(m.adRequestId!) ?? []), m.event!.action]);
    }
    expect(byRequest.size).toBeGreaterThanOrEqual(CASES.length);
    for (const [adRequestId, actions] of byRequest) {
      expect(actions, adRequestId).toEqual((await eventsOf(ctx, adRequestId)).map((e) => e.action));
    }
  });

  it('deleting a pending application tells the influencer their application, not an invitation, was withdrawn', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const id = await applied(campaign.id);
    const before = await mark();
    await must(ctx, cast.sponsor, id, 'delete');
    await expectAnnounced(before, {
      adRequestId: id,
      campaignName: campaign.name as string,
      action: 'delete',
      status: 'withdrawn',
      paymentCents: 5_000,
      actor: cast.sponsor,
      sponsor: cast.sponsor,
      influencer: cast.influencer,
      type: 'offer_withdrawn',
      recipients: [cast.influencer],
      link: '/deals',
    });
    const {
      messages: [m],
      notifications: [n],
    } = await writtenSince(before);
    // The influencer applied; nobody invited them.
    expect(m!.body).not.toMatch(/invitation/i);
    expect(`${n!.title}\n${n!.body}`).not.toMatch(/invitation/i);
  });

  it('a long deliverable URL and note still fit one chat message (clipped to 4000 characters)', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const id = await accepted(campaign.id);
    const before = await mark();
    const url = `https://example.com/${'p'.repeat(2000)}`;
    await must(ctx, cast.influencer, id, 'deliver', { deliverableUrl: url, note: '✍️'.repeat(1000) });
    const { messages: written } = await writtenSince(before);
    expect(written).toHaveLength(1);
    expect(Array.from(written[0]!.body).length).toBeLessThanOrEqual(4000);
    expect(written[0]!.body).toContain(url);
  });
});

// ---------------------------------------------------------------------------------------------
describe('a refused action writes no message and no notification', () => {
  it('409 invalid_transition (wrong party, wrong state), 404 for outsiders', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const id = await invited(campaign.id);
    const conversation = await pairRow(ctx, cast.sponsor, cast.influencer);
    const before = await mark();
    expectProblem(await act(ctx, cast.sponsor, id, 'accept'), 409, 'invalid_transition');
    expectProblem(await act(ctx, cast.influencer, id, 'deliver'), 409, 'invalid_transition');
    expectProblem(await act(ctx, cast.sponsor, id, 'complete'), 409, 'invalid_transition');
    expectProblem(await act(ctx, cast.influencer, id, 'edit'), 409, 'invalid_transition');
    expectProblem(await act(ctx, cast.admin, id, 'withdraw'), 409, 'invalid_transition');
    expectProblem(await act(ctx, cast.otherSponsor, id, 'withdraw'), 404, 'not_found');
    expectProblem(await act(ctx, cast.otherInfluencer, id, 'accept'), 404, 'not_found');
    await expectNothingWritten(before);
    expect(await pairRow(ctx, cast.sponsor, cast.influencer)).toEqual(conversation);
  });

  it('409 budget_exceeded: the accept rolls back whole', async () => {
    const sponsor = await f.sponsor();
    const [a, b] = await Promise.all([f.influencer(), f.influencer()]);
    const campaign = await createCampaign(ctx, sponsor, { budgetCents: 6_000 });
    const first = await invite(ctx, sponsor, campaign.id, a);
    const second = await invite(ctx, sponsor, campaign.id, b);
    await must(ctx, a, first.id, 'accept');
    const conversation = await pairRow(ctx, sponsor, b);
    const before = await mark();
    expectProblem(await act(ctx, b, second.id, 'accept'), 409, 'budget_exceeded');
    await expectNothingWritten(before);
    expect(await pairRow(ctx, sponsor, b)).toEqual(conversation);
    expect((await eventsOf(ctx, second.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('409 conflict on a stale offer version, and on a second open request for the same campaign', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const id = await invited(campaign.id);
    await must(ctx, cast.sponsor, id, 'edit', { paymentCents: 5_500 });
    const before = await mark();
    expectProblem(await act(ctx, cast.influencer, id, 'accept', { offerVersion: 1 }), 409, 'conflict');
    const again = await postAr(ctx, cast.sponsor, {
      campaignId: campaign.id,
      influencerId: cast.influencer.user.id,
      requirements: 'Again',
      paymentCents: 100,
    });
    expectProblem(again, 409, 'conflict');
    await expectNothingWritten(before);
  });

  it('400: a body the schema refuses, and a rule the service checks inside the transaction', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    const id = await invited(campaign.id);
    const before = await mark();
    expectValidation(await act(ctx, cast.influencer, id, 'counter', { paymentCents: -1 }), '/paymentCents');
    expectValidation(await act(ctx, cast.influencer, id, 'counter', { paymentCents: 100, junk: 1 }));
    // An invitation's requirements may not be blanked by a counter-offer.
    expectValidation(
      await act(ctx, cast.influencer, id, 'counter', { paymentCents: 6_000, requirements: '   ' }),
      '/requirements',
    );
    await must(ctx, cast.influencer, id, 'accept');
    const accepted = await mark();
    expectValidation(await act(ctx, cast.influencer, id, 'deliver', { deliverableUrl: 'javascript:alert(1)' }));
    expectValidation(await act(ctx, cast.influencer, id, 'cancel', { reason: '' }));
    await expectNothingWritten(accepted);
    // Between the two refusals only the accept wrote: one message, one notification.
    const w = await writtenSince(before);
    expect([w.messages.length, w.notifications.length]).toEqual([1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('deleting a campaign', () => {
  it('withdraws its open requests and notifies each influencer, in each pair’s conversation', async () => {
    const sponsor = await f.sponsor();
    const [a, b, c] = await Promise.all([f.influencer(), f.influencer(), f.influencer()]);
    const campaign = await createCampaign(ctx, sponsor);
    const pending = await invite(ctx, sponsor, campaign.id, a);
    const negotiating = await applyTo(ctx, b, campaign.id);
    await must(ctx, sponsor, negotiating.id, 'counter', { paymentCents: 4_000 });
    const closed = await invite(ctx, sponsor, campaign.id, c);
    await must(ctx, c, closed.id, 'reject');
    const before = await mark();

    const res = await call(ctx, 'DELETE', `/api/v1/campaigns/${campaign.id}`, { auth: sponsor });
    expect(res.statusCode, res.body).toBe(204);

    const written = await writtenSince(before);
    expect(written.messages).toHaveLength(2);
    expect(written.notifications.map((n) => n.userId).sort()).toEqual([a.user.id, b.user.id].sort());
    for (const [influencer, request, paymentCents] of [
      [a, pending, 5_000],
      [b, negotiating, 4_000],
    ] as const) {
      const conversation = (await pairRow(ctx, sponsor, influencer))!;
      const m = written.messages.find((x) => x.conversationId === conversation.id)!;
      expect(m).toMatchObject({
        kind: 'event',
        senderId: sponsor.user.id,
        adRequestId: request.id,
        event: { action: 'withdraw', status: 'withdrawn', paymentCents },
      });
      const n = written.notifications.find((x) => x.userId === influencer.user.id)!;
      expect(n).toMatchObject({
        type: 'offer_withdrawn',
        body: 'The campaign was deleted.',
        link: `/ad-requests/${request.id}`,
        readAt: null,
      });
    }
  });

  it('with an accepted deal it is refused (409) and nothing is written', async () => {
    const campaign = await createCampaign(ctx, cast.sponsor);
    await accepted(campaign.id);
    const other = await applyTo(ctx, cast.otherInfluencer, campaign.id);
    const before = await mark();
    const res = await call(ctx, 'DELETE', `/api/v1/campaigns/${campaign.id}`, { auth: cast.sponsor });
    expectProblem(res, 409, 'conflict');
    await expectNothingWritten(before);
    expect((await eventsOf(ctx, other.id)).map((e) => e.action)).toEqual(['create']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('moderation notifications', () => {
  const adminPost = (path: string, body?: unknown) =>
    call(ctx, 'POST', `/api/v1/admin/${path}`, { auth: cast.admin, ...(body !== undefined ? { body } : {}) });

  /** The notifications written since `before`, which must be exactly `count` for `who` and none else. */
  async function noticesFor(before: Mark, who: TestUser, count: number) {
    const { messages: m, notifications: n } = await writtenSince(before);
    expect(m).toEqual([]);
    expect(n.map((x) => x.userId)).toEqual(Array.from({ length: count }, () => who.user.id));
    return n;
  }

  it('approving a sponsor tells that sponsor (sponsor_approved), once', async () => {
    const pending = await f.pendingSponsor();
    const before = await mark();
    const res = await adminPost(`users/${pending.user.id}/approve`);
    expect(res.statusCode, res.body).toBe(200);
    const [n] = await noticesFor(before, pending, 1);
    expect(n).toMatchObject({ type: 'sponsor_approved', link: '/campaigns/new', readAt: null });
    expect(n!.title.length).toBeGreaterThan(0);
    const again = await mark();
    expectProblem(await adminPost(`users/${pending.user.id}/approve`), 409, 'invalid_transition');
    await noticesFor(again, pending, 0);
    expect((await getOk(ctx, pending, '/api/v1/notifications')).items.map((x: any) => x.type)).toEqual([
      'sponsor_approved',
    ]);
  });

  it.each([
    ['an influencer', 'influencer'],
    ['a sponsor', 'sponsor'],
  ] as const)(
    'flagging %s tells them (account_flagged); the same reason again or an unflag does not',
    async (_who, role) => {
      const target = await f.user(role);
      let before = await mark();
      expect((await adminPost(`users/${target.user.id}/flag`, { reason: 'Fake followers' })).statusCode).toBe(200);
      const [n] = await noticesFor(before, target, 1);
      expect(n).toMatchObject({ type: 'account_flagged', link: '/profile' });
      expect(n!.body).toContain('Fake followers');

      before = await mark();
      expect((await adminPost(`users/${target.user.id}/flag`, { reason: 'Fake followers' })).statusCode).toBe(200);
      expect((await adminPost(`users/${target.user.id}/flag`, { reason: '  Fake followers  ' })).statusCode).toBe(200);
      expect((await adminPost(`users/${target.user.id}/unflag`)).statusCode).toBe(200);
      expect((await adminPost(`users/${target.user.id}/unflag`)).statusCode).toBe(200);
      await noticesFor(before, target, 0);

      before = await mark();
      expect((await adminPost(`users/${target.user.id}/flag`, { reason: 'Spam' })).statusCode).toBe(200);
      expect((await adminPost(`users/${target.user.id}/flag`, { reason: 'Impersonation' })).statusCode).toBe(200);
      const notes = await noticesFor(before, target, 2);
      expect(notes.map((x) => x.type)).toEqual(['account_flagged', 'account_flagged']);
      expect(notes.map((x) => x.body).sort()).toEqual(
        [expect.stringContaining('Impersonation'), expect.stringContaining('Spam')].sort(),
      );
    },
  );

  it('flagging a campaign tells its owner (campaign_flagged); the same reason again or an unflag does not', async () => {
    const sponsor = await f.sponsor();
    const campaign = await createCampaign(ctx, sponsor);
    let before = await mark();
    expect((await adminPost(`campaigns/${campaign.id}/flag`, { reason: 'Misleading' })).statusCode).toBe(200);
    const [n] = await noticesFor(before, sponsor, 1);
    expect(n).toMatchObject({ type: 'campaign_flagged', link: `/campaigns/${campaign.id}`, readAt: null });
    expect(n!.title).toContain(campaign.name as string);
    expect(n!.body).toContain('Misleading');

    before = await mark();
    expect((await adminPost(`campaigns/${campaign.id}/flag`, { reason: 'Misleading' })).statusCode).toBe(200);
    expect((await adminPost(`campaigns/${campaign.id}/flag`, { reason: ' Misleading ' })).statusCode).toBe(200);
    expect((await adminPost(`campaigns/${campaign.id}/unflag`)).statusCode).toBe(200);
    expect((await adminPost(`campaigns/${campaign.id}/unflag`)).statusCode).toBe(200);
    await noticesFor(before, sponsor, 0);

    before = await mark();
    expect((await adminPost(`campaigns/${campaign.id}/flag`, { reason: 'Misleading' })).statusCode).toBe(200);
    await noticesFor(before, sponsor, 1);
  });

  it('a refused moderation action notifies nobody', async () => {
    const before = await mark();
    const active = await f.sponsor();
    expectProblem(await adminPost(`users/${active.user.id}/approve`), 409, 'invalid_transition');
    expectProblem(await adminPost(`users/${cast.admin.user.id}/flag`, { reason: 'x' }), 403, 'forbidden');
    expectValidation(await adminPost(`users/${cast.influencer.user.id}/flag`, { reason: '' }));
    const c = await createCampaign(ctx, active);
    expectValidation(await adminPost(`campaigns/${c.id}/flag`, {}));
    const mine = await call(ctx, 'POST', `/api/v1/admin/users/${cast.influencer.user.id}/flag`, {
      auth: cast.sponsor,
      body: { reason: 'Not an admin' },
    });
    expectProblem(mine, 403, 'forbidden');
    expect((await writtenSince(before)).notifications).toEqual([]);
  });
});
