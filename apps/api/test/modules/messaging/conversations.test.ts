import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, users } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { ageRequest, createCampaign, invite, makeCast, runJob, type Cast } from '../../support/fixtures/ad-requests.js';
import {
  allMessageRows,
  conversationRow,
  conversationWith,
  convUrl,
  getOk,
  ISO,
  listedConversation,
  messageRows,
  pairCount,
  refusal,
  say,
  sendMessage,
  startConversation,
  unreadMessages,
} from '../../support/fixtures/messaging.js';

/**
 * Conversations (API.md "Messages and notifications"): who may reach which route, get-or-create
 * of the one conversation of a pair, text messages stored exactly as typed with their limits,
 * newest-first paging, the per-user rate limit, append-only history, and unread counts.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let cast: Cast;
/** The cast's sponsor–influencer conversation, with a message from each side. */
let shared: string;
beforeAll(async () => {
  // The per-minute message limit has its own suite below; here it must never get in the way.
  ctx = await createTestApp({ MESSAGES_PER_MINUTE: 100_000 });
  f = factories(ctx);
  cast = await makeCast(ctx);
  shared = (await conversationWith(ctx, cast.sponsor, cast.influencer)).id;
  await say(ctx, cast.sponsor, shared, 'Hello from the sponsor');
  await say(ctx, cast.influencer, shared, 'Hello from the influencer');
});
afterAll(async () => ctx?.close());

/** A fresh sponsor–influencer pair with their conversation (no messages yet). */
async function freshPair() {
  const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
  const conversation = await conversationWith(ctx, sponsor, influencer);
  return { sponsor, influencer, id: conversation.id as string };
}

/** Every conversation route, with a valid body where one is needed. */
function routes(id: string, participantId: string) {
  return [
    { method: 'POST', url: '/api/v1/conversations', body: { participantId } },
    { method: 'GET', url: '/api/v1/conversations' },
    { method: 'GET', url: '/api/v1/conversations/unread-count' },
    { method: 'GET', url: convUrl(id) },
    { method: 'GET', url: `${convUrl(id)}/messages` },
    { method: 'POST', url: `${convUrl(id)}/messages`, body: { body: 'Hi there' } },
    { method: 'POST', url: `${convUrl(id)}/read` },
  ] as const;
}
/** The routes of one conversation (everything under `/conversations/:id`). */
const idRoutes = (id: string) => routes(id, '').slice(3);

async function hit(who: TestUser | null, r: { method: string; url: string; body?: unknown }) {
  return call(ctx, r.method as 'GET', r.url, { auth: who, ...('body' in r ? { body: r.body } : {}) });
}

/** What a non-participant must never be able to change. */
async function state(id: string) {
  const [row, rows] = await Promise.all([conversationRow(ctx, id), allMessageRows(ctx)]);
  return { row, rows };
}

// ---------------------------------------------------------------------------------------------
describe('authorization on every conversation route', () => {
  it('requires authentication (401), even with a bad body', async () => {
    const before = await state(shared);
    for (const r of routes(shared, cast.influencer.user.id)) {
      expectProblem(await hit(null, r), 401, 'unauthenticated');
      expectProblem(await hit(null, { ...r, body: { junk: true } }), 401, 'unauthenticated');
    }
    expect(await state(shared)).toEqual(before);
  });

  it('admins are not in conversations: 403 forbidden on every route', async () => {
    const before = await state(shared);
    for (const r of routes(shared, cast.influencer.user.id)) expectProblem(await hit(cast.admin, r), 403, 'forbidden');
    expect(await state(shared)).toEqual(before);
  });

  it('a deactivated user gets 403 account_deactivated on every route', async () => {
    const gone = await f.sponsor({ status: 'deactivated' });
    for (const r of routes(shared, cast.influencer.user.id)) {
      expectProblem(await hit(gone, r), 403, 'account_deactivated');
    }
  });

  it.each(['otherSponsor', 'otherInfluencer'] as const)(
    'the %s gets 404 on every /conversations/:id route, and nothing changes',
    async (who) => {
      const outsider = cast[who];
      const before = await state(shared);
      expect(before.row!.sponsorUnread + before.row!.influencerUnread).toBeGreaterThan(0);
      for (const r of idRoutes(shared)) expectProblem(await hit(outsider, r), 404, 'not_found');
      expect(await state(shared), 'no message written, counters and read marks unchanged').toEqual(before);
      expect(await listedConversation(ctx, outsider, shared)).toBeUndefined();
      expect(await unreadMessages(ctx, outsider)).toBe(0);
    },
  );

  it.each([
    ['an unknown id', randomUUID()],
    ['a non-uuid id', 'not-a-uuid'],
    ['a numeric id', '12345'],
  ])('%s answers 404 on every /conversations/:id route', async (_what, id) => {
    const before = await allMessageRows(ctx);
    for (const r of idRoutes(id)) expectProblem(await hit(cast.sponsor, r), 404, 'not_found');
    expect(await allMessageRows(ctx)).toEqual(before);
  });

  it('both participants may use every /conversations/:id route', async () => {
    for (const who of [cast.sponsor, cast.influencer]) {
      expect((await call(ctx, 'GET', convUrl(shared), { auth: who })).statusCode).toBe(200);
      expect((await call(ctx, 'GET', `${convUrl(shared)}/messages`, { auth: who })).statusCode).toBe(200);
      expect((await call(ctx, 'POST', `${convUrl(shared)}/read`, { auth: who })).statusCode).toBe(200);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /conversations', () => {
  it('a sponsor starts one (201), again gets the same one (200), and so does the influencer', async () => {
    const [sponsor, influencer] = await Promise.all([f.sponsor({ displayName: 'Ann' }), f.influencer()]);
    const first = await startConversation(ctx, sponsor, influencer.user.id);
    expect(first.statusCode, first.body).toBe(201);
    const c = first.json();
    expect(c).toEqual({
      id: expect.any(String),
      otherParty: {
        id: influencer.user.id,
        displayName: influencer.user.displayName,
        companyName: null,
        avatarUrl: null,
        role: 'influencer',
      },
      lastMessage: null,
      unreadCount: 0,
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    const again = await startConversation(ctx, sponsor, influencer.user.id);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(c.id);
    const reverse = await startConversation(ctx, influencer, sponsor.user.id);
    expect(reverse.statusCode, reverse.body).toBe(200);
    expect(reverse.json()).toMatchObject({
      id: c.id,
      otherParty: { id: sponsor.user.id, displayName: 'Ann', role: 'sponsor', companyName: expect.any(String) },
      unreadCount: 0,
    });
    expect(await pairCount(ctx, sponsor, influencer)).toBe(1);
    expect(await getOk(ctx, influencer, convUrl(c.id))).toMatchObject({ id: c.id, lastMessage: null });
  });

  it('an influencer may start it too (201), and the sponsor then gets the same one (200)', async () => {
    const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
    const first = await startConversation(ctx, influencer, sponsor.user.id);
    expect(first.statusCode, first.body).toBe(201);
    const second = await startConversation(ctx, sponsor, influencer.user.id);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(await pairCount(ctx, sponsor, influencer)).toBe(1);
  });

  it('8 concurrent starts for the same pair make one conversation', async () => {
    const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
    const starts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? startConversation(ctx, sponsor, influencer.user.id)
          : startConversation(ctx, influencer, sponsor.user.id),
      ),
    );
    const statuses = starts.map((r) => r.statusCode).sort();
    expect(statuses, starts.map((r) => r.body).join('\n')).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(starts.map((r) => r.json().id)).size).toBe(1);
    expect(await pairCount(ctx, sponsor, influencer)).toBe(1);
  });

  it('a participant of the same role is refused: 400 validation_failed at /participantId', async () => {
    const before = await ctx.db.select().from(conversations);
    for (const [who, other] of [
      [cast.sponsor, cast.otherSponsor],
      [cast.influencer, cast.otherInfluencer],
      [cast.sponsor, cast.sponsor],
      [cast.influencer, cast.influencer],
    ] as const) {
      expectValidation(await startConversation(ctx, who, other.user.id), '/participantId');
    }
    expect(await ctx.db.select().from(conversations)).toEqual(before);
  });

  it('an admin, deactivated, unknown or malformed participant is 404, and nothing is made', async () => {
    const [goneInfluencer, goneSponsor] = await Promise.all([
      f.influencer({ status: 'deactivated' }),
      f.sponsor({ status: 'deactivated' }),
    ]);
    const before = await ctx.db.select().from(conversations);
    for (const [who, participantId] of [
      [cast.sponsor, cast.admin.user.id],
      [cast.influencer, cast.admin.user.id],
      [cast.sponsor, goneInfluencer.user.id],
      [cast.influencer, goneSponsor.user.id],
      [cast.sponsor, randomUUID()],
      [cast.influencer, 'not-a-uuid'],
    ] as const) {
      expectProblem(await startConversation(ctx, who, participantId), 404, 'not_found');
    }
    expect(await ctx.db.select().from(conversations)).toEqual(before);
  });

  it('a sponsor awaiting approval cannot open one (403 sponsor_not_approved); nobody can open one with them', async () => {
    const pending = await f.pendingSponsor();
    const influencer = await f.influencer();
    expectProblem(await startConversation(ctx, pending, influencer.user.id), 403, 'sponsor_not_approved');
    expectProblem(await startConversation(ctx, influencer, pending.user.id), 404, 'not_found');
    expect(await ctx.db.select().from(conversations).where(eq(conversations.sponsorId, pending.user.id))).toEqual([]);
  });

  it('a flagged influencer cannot be reached anew (404), but an existing conversation is still returned (200)', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const campaign = await createCampaign(ctx, sponsor);
    // The invitation's deal event makes the pair's conversation.
    await invite(ctx, sponsor, campaign.id, influencer);
    const existing = (await listedConversation(ctx, sponsor, (await conversationWith(ctx, sponsor, influencer)).id))!;
    expect(existing.lastMessage.kind).toBe('event');
    await ctx.db.update(users).set({ flagged: true, flagReason: 'spam' }).where(eq(users.id, influencer.user.id));

    const again = await startConversation(ctx, sponsor, influencer.user.id);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(existing.id);
    expectProblem(await startConversation(ctx, cast.otherSponsor, influencer.user.id), 404, 'not_found');
    expect(await pairCount(ctx, cast.otherSponsor, influencer)).toBe(0);
  });

  it('rejects unknown, missing and mistyped fields with 400', async () => {
    const before = await ctx.db.select().from(conversations);
    const id = cast.influencer.user.id;
    for (const body of [
      { participantId: id, sponsorId: cast.otherSponsor.user.id },
      { participantId: id, unreadCount: 5 },
      {},
      { participantId: 42 },
      { participantId: '' },
      { participantId: null },
    ]) {
      expectValidation(await call(ctx, 'POST', '/api/v1/conversations', { auth: cast.sponsor, body }));
    }
    expect(await ctx.db.select().from(conversations)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /conversations/:id/messages', () => {
  const rowsIn = async (id: string) => (await messageRows(ctx, id)).length;
  /** One pair for the cases that only look at their own message. */
  let onePair: Promise<Awaited<ReturnType<typeof freshPair>>> | undefined;
  const pair = () => (onePair ??= freshPair());

  it('201 with the message; stored and returned with exactly the contract’s fields', async () => {
    const { sponsor, id } = await freshPair();
    const res = await sendMessage(ctx, sponsor, id, { body: 'First!' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const m = res.json();
    expect(m).toEqual({
      id: expect.any(String),
      conversationId: id,
      senderId: sponsor.user.id,
      kind: 'text',
      body: 'First!',
      createdAt: expect.stringMatching(ISO),
    });
    const [row] = await messageRows(ctx, id);
    expect(row).toMatchObject({ id: m.id, senderId: sponsor.user.id, kind: 'text', body: 'First!', adRequestId: null });
    expect(row!.createdAt.toISOString()).toBe(m.createdAt);
  });

  it.each([
    ['4000 characters', 'a'.repeat(4000)],
    ['4000 emoji (counted by code point)', '😀'.repeat(4000)],
    ['leading and trailing spaces', '   padded   '],
    ['newlines and tabs', 'line 1\nline 2\r\n\tindented\n\n'],
    ['a script tag', '<script>alert(1)</script>'],
    ['an img onerror', '<img src=x onerror=alert(1)>'],
    ['SQL', "'); drop table messages; --"],
    ['mixed scripts and emoji', 'Héllo 👋🏽 мир 你好 👨‍👩‍👧'],
    ['one character', 'x'],
  ])('stores and returns %s exactly as typed', async (_what, text) => {
    const { sponsor, influencer, id } = await pair();
    const m = await say(ctx, influencer, id, text);
    expect(m.body).toBe(text);
    const row = (await messageRows(ctx, id)).find((r) => r.id === m.id);
    expect(row!.body).toBe(text);
    const page = await getOk(ctx, sponsor, `${convUrl(id)}/messages?limit=1`);
    expect(page.items.map((x: { id: string; body: string }) => [x.id, x.body])).toEqual([[m.id, text]]);
    expect((await getOk(ctx, sponsor, convUrl(id))).lastMessage.body).toBe(text);
  });

  it.each([
    ['4001 characters', { body: 'a'.repeat(4001) }, '/body'],
    ['4001 emoji', { body: '😀'.repeat(4001) }, '/body'],
    ['an empty body', { body: '' }, '/body'],
    ['a whitespace-only body', { body: '  \n\t  ' }, '/body'],
    ['no body', {}, undefined],
    ['a number', { body: 42 }, '/body'],
    ['null', { body: null }, '/body'],
    ['an extra field', { body: 'hi', kind: 'event' }, undefined],
    ['a forged sender', { body: 'hi', senderId: randomUUID() }, undefined],
    ['a forged ad request', { body: 'hi', adRequestId: randomUUID() }, undefined],
  ])('rejects %s with 400 and writes nothing', async (_what, body, path) => {
    const { sponsor, id } = await pair();
    const [before, count] = await Promise.all([conversationRow(ctx, id), rowsIn(id)]);
    expectValidation(await sendMessage(ctx, sponsor, id, body), ...(path ? [path] : []));
    expect(await rowsIn(id)).toBe(count);
    expect(await conversationRow(ctx, id)).toEqual(before);
  });

  it('a counterpart who was deactivated cannot receive: 409 conflict, nothing written', async () => {
    const { sponsor, influencer, id } = await freshPair();
    await say(ctx, sponsor, id, 'Before');
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${influencer.user.id}/deactivate`, {
      auth: cast.admin,
      body: { reason: 'Test' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const before = await conversationRow(ctx, id);
    expectProblem(await sendMessage(ctx, sponsor, id, { body: 'Anyone there?' }), 409, 'conflict');
    expect(await rowsIn(id)).toBe(1);
    expect(await conversationRow(ctx, id)).toEqual(before);
    // The history is still readable.
    expect((await getOk(ctx, sponsor, `${convUrl(id)}/messages`)).items).toHaveLength(1);
  });

  it('messages are append-only, even for direct SQL', async () => {
    const { sponsor, id } = await freshPair();
    const m = await say(ctx, sponsor, id, 'Immutable');
    const before = await allMessageRows(ctx);
    expect(await refusal(ctx.db.execute(sql`update messages set body = 'edited' where id = ${m.id}`))).toMatch(
      /append-only/,
    );
    expect(await refusal(ctx.db.update(messages).set({ body: 'edited' }).where(eq(messages.id, m.id)))).toMatch(
      /append-only/,
    );
    expect(await refusal(ctx.db.execute(sql`delete from messages where id = ${m.id}`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.delete(messages).where(eq(messages.conversationId, id)))).toMatch(/append-only/);
    // Deleting the conversation would cascade to its messages: refused as well.
    expect(await refusal(ctx.db.delete(conversations).where(eq(conversations.id, id)))).toMatch(/append-only/);
    expect(await allMessageRows(ctx)).toEqual(before);
    expect(await conversationRow(ctx, id)).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /conversations/:id/messages', () => {
  it('pages newest first (20/20/5), no duplicates, no gaps, stable while messages arrive', async () => {
    const { sponsor, influencer, id } = await freshPair();
    for (let i = 0; i < 45; i++) await say(ctx, i % 3 === 0 ? influencer : sponsor, id, `message ${i}`);
    const expected = (await messageRows(ctx, id)).reverse().map((r) => r.id);
    expect(expected).toHaveLength(45);

    const seen: any[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const q: string = `limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = await getOk(ctx, page % 2 ? sponsor : influencer, `${convUrl(id)}/messages?${q}`);
      seen.push(...body.items);
      sizes.push(body.items.length);
      cursor = body.nextCursor;
      // New messages arrive between pages: they are newer than the cursor, so never shift it.
      await say(ctx, sponsor, id, `late ${page}`);
      if (!cursor) break;
    }
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen.map((m) => m.id)).toEqual(expected);
    expect(new Set(seen.map((m) => m.id)).size).toBe(45);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1].createdAt >= seen[i].createdAt).toBe(true);
    // Sent one after another over HTTP: newest first is the reverse of the order they were typed.
    expect(seen.map((m) => m.body)).toEqual(Array.from({ length: 45 }, (_, i) => `message ${44 - i}`));
    // One late message after each of the 3 pages.
    expect((await getOk(ctx, sponsor, `${convUrl(id)}/messages?limit=100`)).items).toHaveLength(48);
  });

  it('an empty conversation has no messages', async () => {
    const { sponsor, id } = await freshPair();
    expect(await getOk(ctx, sponsor, `${convUrl(id)}/messages`)).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['base64 of junk', Buffer.from('{"s":"newest","v":[1,2]}').toString('base64url')],
    [
      'the wrong sort',
      Buffer.from(`{"s":"recent","v":["2026-01-01T00:00:00.000Z","${randomUUID()}"]}`).toString('base64url'),
    ],
    [
      'an injected value',
      Buffer.from(`{"s":"newest","v":["2026-01-01T00:00:00.000Z","x' or 1=1 --"]}`).toString('base64url'),
    ],
  ])('a forged cursor (%s) answers 400', async (_what, cursor) => {
    const res = await call(ctx, 'GET', `${convUrl(shared)}/messages?cursor=${encodeURIComponent(cursor)}`, {
      auth: cast.sponsor,
    });
    expectValidation(res, '/cursor');
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'other=1'])('a bad query (%s) answers 400', async (q) => {
    expectValidation(await call(ctx, 'GET', `${convUrl(shared)}/messages?${q}`, { auth: cast.sponsor }));
  });
});

// ---------------------------------------------------------------------------------------------
describe('unread counts, read marks and the conversation list', () => {
  it('the recipient’s count rises with each message from the other party and system events; the sender’s does not', async () => {
    const { sponsor, influencer, id } = await freshPair();
    const counts = async () => ({
      sponsor: (await getOk(ctx, sponsor, convUrl(id))).unreadCount,
      influencer: (await getOk(ctx, influencer, convUrl(id))).unreadCount,
      sponsorTotal: await unreadMessages(ctx, sponsor),
      influencerTotal: await unreadMessages(ctx, influencer),
    });
    const both = (s: number, i: number) => ({ sponsor: s, influencer: i, sponsorTotal: s, influencerTotal: i });
    expect(await counts()).toEqual(both(0, 0));
    for (let n = 1; n <= 3; n++) {
      await say(ctx, sponsor, id, `s${n}`);
      expect(await counts()).toEqual(both(0, n));
    }
    await say(ctx, influencer, id, 'i1');
    expect(await counts()).toEqual(both(1, 3));
    expect((await listedConversation(ctx, influencer, id)).unreadCount).toBe(3);
    expect((await listedConversation(ctx, sponsor, id)).unreadCount).toBe(1);

    // A deal event from the sponsor counts for the influencer only…
    const campaign = await createCampaign(ctx, sponsor);
    const request = await invite(ctx, sponsor, campaign.id, influencer);
    expect(await counts()).toEqual(both(1, 4));
    // …and one the system made (expiry) counts for both.
    await ageRequest(ctx, request.id, 15);
    expect((await runJob(ctx, 'expire-offers')).changed).toBeGreaterThanOrEqual(1);
    expect(await counts()).toEqual(both(2, 5));

    const read = await call(ctx, 'POST', `${convUrl(id)}/read`, { auth: influencer });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ id, unreadCount: 0 });
    expect(await counts()).toEqual(both(2, 0));
    const row = (await conversationRow(ctx, id))!;
    expect(row.influencerReadAt).toBeInstanceOf(Date);
    expect(row.sponsorReadAt).toBeNull();
    // Reading again is harmless; the sponsor's read is its own.
    expect((await call(ctx, 'POST', `${convUrl(id)}/read`, { auth: influencer })).json().unreadCount).toBe(0);
    expect((await call(ctx, 'POST', `${convUrl(id)}/read`, { auth: sponsor })).json().unreadCount).toBe(0);
    expect(await counts()).toEqual(both(0, 0));
    await say(ctx, sponsor, id, 'after the read');
    expect(await counts()).toEqual(both(0, 1));
  });

  it('the unread total sums every conversation of the caller', async () => {
    const sponsor = await f.sponsor();
    const [a, b] = await Promise.all([f.influencer(), f.influencer()]);
    const ca = (await conversationWith(ctx, a, sponsor)).id;
    const cb = (await conversationWith(ctx, b, sponsor)).id;
    await say(ctx, a, ca, 'from a');
    await say(ctx, a, ca, 'from a again');
    await say(ctx, b, cb, 'from b');
    expect(await unreadMessages(ctx, sponsor)).toBe(3);
    expect(await unreadMessages(ctx, a)).toBe(0);
    await call(ctx, 'POST', `${convUrl(ca)}/read`, { auth: sponsor });
    expect(await unreadMessages(ctx, sponsor)).toBe(1);
    expect((await listedConversation(ctx, sponsor, cb)).unreadCount).toBe(1);
  });

  it('lists only conversations with messages, most recent first, each with its latest message', async () => {
    const sponsor = await f.sponsor();
    const [a, b, c, silent] = await Promise.all([f.influencer(), f.influencer(), f.influencer(), f.influencer()]);
    const ids = {
      a: (await conversationWith(ctx, sponsor, a)).id,
      b: (await conversationWith(ctx, sponsor, b)).id,
      c: (await conversationWith(ctx, sponsor, c)).id,
      silent: (await conversationWith(ctx, sponsor, silent)).id,
    };
    await say(ctx, sponsor, ids.a, 'a1');
    await say(ctx, b, ids.b, 'b1');
    await say(ctx, sponsor, ids.c, 'c1');
    await say(ctx, a, ids.a, 'a2');
    const page = await getOk(ctx, sponsor, '/api/v1/conversations');
    expect(page.items.map((x: { id: string }) => x.id)).toEqual([ids.a, ids.c, ids.b]);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((x: any) => x.lastMessage.body)).toEqual(['a2', 'c1', 'b1']);
    expect(page.items[0]).toMatchObject({
      otherParty: { id: a.user.id, displayName: a.user.displayName, role: 'influencer', avatarUrl: null },
      lastMessage: { senderId: a.user.id, kind: 'text', conversationId: ids.a },
      unreadCount: 1,
    });
    for (let i = 1; i < page.items.length; i++) {
      expect(page.items[i - 1].updatedAt >= page.items[i].updatedAt).toBe(true);
    }
    // Reading does not reorder the list.
    await call(ctx, 'POST', `${convUrl(ids.b)}/read`, { auth: sponsor });
    expect((await getOk(ctx, sponsor, '/api/v1/conversations')).items.map((x: { id: string }) => x.id)).toEqual([
      ids.a,
      ids.c,
      ids.b,
    ]);
    // The influencer side lists it too, with the sponsor as the other party.
    expect(await listedConversation(ctx, a, ids.a)).toMatchObject({
      otherParty: { id: sponsor.user.id, role: 'sponsor' },
      unreadCount: 1,
    });
    expect((await getOk(ctx, silent, '/api/v1/conversations')).items).toEqual([]);

    // Pages of one follow the same order.
    const one = await getOk(ctx, sponsor, '/api/v1/conversations?limit=1');
    expect(one.items.map((x: { id: string }) => x.id)).toEqual([ids.a]);
    const two = await getOk(ctx, sponsor, `/api/v1/conversations?limit=1&cursor=${encodeURIComponent(one.nextCursor)}`);
    expect(two.items.map((x: { id: string }) => x.id)).toEqual([ids.c]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('concurrent messages (meaningful on PostgreSQL; PGlite runs one at a time)', () => {
  it('30 messages sent at once: every one stored, counts exact, lastMessage is the newest', async () => {
    const { sponsor, influencer, id } = await freshPair();
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sendMessage(ctx, i % 2 ? sponsor : influencer, id, { body: `m${i}` })),
    );
    expect(sent.map((r) => r.statusCode)).toEqual(Array.from({ length: 30 }, () => 201));
    const rows = await messageRows(ctx, id);
    expect(rows.map((r) => r.body).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
    const row = (await conversationRow(ctx, id))!;
    expect([row.sponsorUnread, row.influencerUnread]).toEqual([15, 15]);

    const newest = (await getOk(ctx, sponsor, `${convUrl(id)}/messages?limit=1`)).items[0];
    expect(newest.id).toBe(rows[rows.length - 1]!.id);
    expect(row.updatedAt.toISOString()).toBe(newest.createdAt);
    // The preview in the list and on the conversation is the latest message, whatever order the
    // concurrent transactions committed in.
    expect((await getOk(ctx, sponsor, convUrl(id))).lastMessage, 'GET /conversations/:id lastMessage').toEqual(newest);
    expect((await listedConversation(ctx, influencer, id)).lastMessage, 'list lastMessage').toEqual(newest);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the per-user message rate limit (MESSAGES_PER_MINUTE)', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await createTestApp({ MESSAGES_PER_MINUTE: 3 });
  });
  afterAll(async () => limited?.close());

  it('the 4th message in a minute is 429 rate_limited with Retry-After, and nothing is written', async () => {
    const lf = factories(limited);
    const [sponsor, influencer, other] = await Promise.all([lf.sponsor(), lf.influencer(), lf.influencer()]);
    const id = (await conversationWith(limited, sponsor, influencer)).id;
    const otherId = (await conversationWith(limited, sponsor, other)).id;
    for (let i = 0; i < 3; i++) await say(limited, sponsor, id, `ok ${i}`);
    const before = await conversationRow(limited, id);
    const res = await sendMessage(limited, sponsor, id, { body: 'one too many' });
    expectProblem(res, 429, 'rate_limited');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter), `Retry-After ${res.headers['retry-after']}`).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await messageRows(limited, id)).map((m) => m.body)).toEqual(['ok 0', 'ok 1', 'ok 2']);
    expect(await conversationRow(limited, id)).toEqual(before);
    // The limit is the user's, over all their conversations…
    expectProblem(await sendMessage(limited, sponsor, otherId, { body: 'elsewhere' }), 429, 'rate_limited');
    expect(await messageRows(limited, otherId)).toEqual([]);
    // …and only theirs: the other party can still answer.
    await say(limited, influencer, id, 'I can still talk');
  });
});
