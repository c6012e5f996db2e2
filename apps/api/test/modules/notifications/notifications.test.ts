import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_TYPES, type NotificationType } from '@iescp/shared';
import { notifications, notificationSettings } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { createCampaign, invite, makeCast, type Cast } from '../../support/fixtures/ad-requests.js';
import { getOk, ISO, notificationRows, unreadNotifications } from '../../support/fixtures/messaging.js';

/**
 * Notifications (API.md "Messages and notifications"): the caller's list (newest first, unread
 * filter, keyset pages), the unread count, read marks (one, idempotent; all), and the per-type
 * email choices. Rows are written straight into the table with spaced times where the order
 * matters; deal-events.test.ts covers which actions write which notifications.
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

const base = Date.now() - 24 * 3600_000;
let clock = 0;

/**
 * Writes `count` notifications for `who`, one second apart and newer than any seeded before;
 * returns their ids newest first.
 */
async function seed(who: TestUser, count: number, read = false): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => {
    clock += 1;
    const type = NOTIFICATION_TYPES[i % NOTIFICATION_TYPES.length] as NotificationType;
    return {
      userId: who.user.id,
      type,
      title: `Title ${clock}`,
      body: `Body ${clock}`,
      link: `/ad-requests/${randomUUID()}`,
      createdAt: new Date(base + clock * 1000),
      readAt: read ? new Date(base + clock * 1000 + 500) : null,
    };
  });
  const inserted = await ctx.db.insert(notifications).values(rows).returning({ id: notifications.id });
  return inserted.map((r) => r.id).reverse();
}

const list = (who: TestUser, query = '') =>
  call(ctx, 'GET', `/api/v1/notifications${query ? `?${query}` : ''}`, { auth: who });
const markRead = (who: TestUser | null, id: string) =>
  call(ctx, 'POST', `/api/v1/notifications/${id}/read`, { auth: who });
const readAll = (who: TestUser) => call(ctx, 'POST', '/api/v1/notifications/read-all', { auth: who });
const settings = (who: TestUser) => getOk(ctx, who, '/api/v1/me/notification-settings');
const patchSettings = (who: TestUser, body: unknown) =>
  call(ctx, 'PATCH', '/api/v1/me/notification-settings', { auth: who, body });

/** Every page of the caller's list, following the cursor. */
async function pages(who: TestUser, query: string) {
  const sizes: number[] = [];
  const items: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await list(who, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    sizes.push(res.json().items.length);
    items.push(...res.json().items);
    cursor = res.json().nextCursor;
    if (!cursor) return { sizes, items };
  }
  throw new Error('paging did not end');
}

const ALL_TRUE = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, true]));

// ---------------------------------------------------------------------------------------------
describe('authorization', () => {
  const routes = (id: string) =>
    [
      { method: 'GET', url: '/api/v1/notifications' },
      { method: 'GET', url: '/api/v1/notifications/unread-count' },
      { method: 'POST', url: '/api/v1/notifications/read-all' },
      { method: 'POST', url: `/api/v1/notifications/${id}/read` },
      { method: 'GET', url: '/api/v1/me/notification-settings' },
      { method: 'PATCH', url: '/api/v1/me/notification-settings', body: { email: { offer_received: false } } },
    ] as const;
  const hit = (who: TestUser | null, r: ReturnType<typeof routes>[number]) =>
    call(ctx, r.method, r.url, { auth: who, ...('body' in r ? { body: r.body } : {}) });

  it('requires authentication (401) on every route, and changes nothing', async () => {
    const [id] = await seed(cast.influencer, 1);
    for (const r of routes(id!)) expectProblem(await hit(null, r), 401, 'unauthenticated');
    expect((await notificationRows(ctx, cast.influencer.user.id)).find((n) => n.id === id)!.readAt).toBeNull();
    expect(await ctx.db.select().from(notificationSettings)).toEqual([]);
  });

  it('a deactivated user gets 403 account_deactivated on every route', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    const [id] = await seed(gone, 1);
    for (const r of routes(id!)) expectProblem(await hit(gone, r), 403, 'account_deactivated');
    expect((await notificationRows(ctx, gone.user.id))[0]!.readAt).toBeNull();
    expect(
      await ctx.db.select().from(notificationSettings).where(eq(notificationSettings.userId, gone.user.id)),
    ).toEqual([]);
  });

  it('every role has its own notifications, admins included', async () => {
    for (const who of [cast.admin, cast.otherSponsor]) {
      const [id] = await seed(who, 1);
      const res = await list(who);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((n: { id: string }) => n.id)).toEqual([id]);
      expect(await unreadNotifications(ctx, who)).toBe(1);
      expect((await markRead(who, id!)).statusCode).toBe(200);
    }
  });

  it('another user’s notification is 404 on /read and stays unread; so are unknown and malformed ids', async () => {
    const [theirs] = await seed(cast.sponsor, 1);
    for (const who of [cast.influencer, cast.otherSponsor, cast.admin]) {
      expectProblem(await markRead(who, theirs!), 404, 'not_found');
    }
    expectProblem(await markRead(cast.sponsor, randomUUID()), 404, 'not_found');
    expectProblem(await markRead(cast.sponsor, 'not-a-uuid'), 404, 'not_found');
    const row = (await notificationRows(ctx, cast.sponsor.user.id)).find((n) => n.id === theirs)!;
    expect(row.readAt).toBeNull();
    // Nobody else's list or count shows it.
    for (const who of [cast.influencer, cast.otherSponsor, cast.admin]) {
      const { items } = await pages(who, 'limit=100');
      expect(items.map((n) => n.id)).not.toContain(theirs);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /notifications', () => {
  it('lists the caller’s notifications newest first, with exactly the contract’s fields', async () => {
    const who = await f.influencer();
    expect((await list(who)).json()).toEqual({ items: [], nextCursor: null });
    const ids = await seed(who, 3);
    const res = await list(who);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((n: { id: string }) => n.id)).toEqual(ids);
    const rows = await notificationRows(ctx, who.user.id);
    expect(body.items[0]).toEqual({
      id: rows[0]!.id,
      type: rows[0]!.type,
      title: rows[0]!.title,
      body: rows[0]!.body,
      link: rows[0]!.link,
      readAt: null,
      createdAt: rows[0]!.createdAt.toISOString(),
    });
    expect(body.items[0].createdAt).toMatch(ISO);
  });

  it('pages 10/10/5 with no duplicates or gaps, stable while new ones arrive', async () => {
    const who = await f.sponsor();
    const ids = await seed(who, 25);
    const sizes: number[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await list(who, `limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      sizes.push(res.json().items.length);
      seen.push(...res.json().items.map((n: { id: string }) => n.id));
      cursor = res.json().nextCursor;
      await seed(who, 2);
      if (!cursor) break;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(ids);
    expect((await pages(who, 'limit=100')).items).toHaveLength(31);
  });

  it('?unread=true lists only unread ones, newest first, across pages; unread=false lists all', async () => {
    const who = await f.influencer();
    const ids = await seed(who, 9);
    // Read every third one (ids are newest first).
    const read = ids.filter((_, i) => i % 3 === 0);
    for (const id of read) expect((await markRead(who, id)).statusCode).toBe(200);
    const unread = ids.filter((id) => !read.includes(id));
    const filtered = await pages(who, 'unread=true&limit=4');
    expect(filtered.sizes).toEqual([4, 2]);
    expect(filtered.items.map((n) => n.id)).toEqual(unread);
    expect(filtered.items.every((n) => n.readAt === null)).toBe(true);
    expect((await pages(who, 'unread=false&limit=4')).items.map((n) => n.id)).toEqual(ids);
    expect((await pages(who, 'limit=100')).items.filter((n) => n.readAt !== null).map((n) => n.id)).toEqual(read);
    expect(await unreadNotifications(ctx, who)).toBe(6);
  });

  it.each([
    ['unread=maybe', '/unread'],
    ['unread=', undefined],
    ['limit=0', '/limit'],
    ['limit=101', '/limit'],
    ['limit=ten', '/limit'],
    ['cursor=forged', '/cursor'],
    [`cursor=${Buffer.from('{"s":"all","v":["yesterday","x"]}').toString('base64url')}`, '/cursor'],
    ['other=1', undefined],
  ])('a bad query (%s) answers 400', async (query, path) => {
    expectValidation(await list(cast.influencer, query), ...(path ? [path] : []));
  });

  it('a cursor of the unread list does not page the full list (400), nor the other way round', async () => {
    const who = await f.influencer();
    await seed(who, 3);
    const unreadCursor = (await list(who, 'unread=true&limit=1')).json().nextCursor;
    const allCursor = (await list(who, 'limit=1')).json().nextCursor;
    expect(unreadCursor).toEqual(expect.any(String));
    expectValidation(await list(who, `limit=1&cursor=${encodeURIComponent(unreadCursor)}`), '/cursor');
    expectValidation(await list(who, `unread=true&limit=1&cursor=${encodeURIComponent(allCursor)}`), '/cursor');
  });
});

// ---------------------------------------------------------------------------------------------
describe('unread count and read marks', () => {
  it('marking one read: 200 with readAt, the count drops once; again keeps the first readAt', async () => {
    const who = await f.sponsor();
    const [newest, older] = await seed(who, 2);
    expect(await unreadNotifications(ctx, who)).toBe(2);
    const first = await markRead(who, older!);
    expect(first.statusCode, first.body).toBe(200);
    const n = first.json();
    expect(n).toMatchObject({ id: older, readAt: expect.stringMatching(ISO) });
    expect(await unreadNotifications(ctx, who)).toBe(1);
    await new Promise((r) => setTimeout(r, 15));
    const again = await markRead(who, older!);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(n);
    expect(await unreadNotifications(ctx, who)).toBe(1);
    const rows = await notificationRows(ctx, who.user.id);
    expect(rows.find((r) => r.id === older)!.readAt!.toISOString()).toBe(n.readAt);
    expect(rows.find((r) => r.id === newest)!.readAt).toBeNull();
  });

  it('read-all marks every unread one: {count: n}, then {count: 0}; earlier reads and other users untouched', async () => {
    const [who, other] = await Promise.all([f.influencer(), f.influencer()]);
    const [readEarlier] = await seed(who, 1, true);
    await seed(who, 4);
    await seed(other, 2);
    const earlierReadAt = (await notificationRows(ctx, who.user.id)).find((r) => r.id === readEarlier)!.readAt;
    expect(await unreadNotifications(ctx, who)).toBe(4);

    const res = await readAll(who);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 4 });
    expect(await unreadNotifications(ctx, who)).toBe(0);
    expect((await list(who, 'unread=true')).json()).toEqual({ items: [], nextCursor: null });
    const rows = await notificationRows(ctx, who.user.id);
    expect(rows.every((r) => r.readAt instanceof Date)).toBe(true);
    expect(rows.find((r) => r.id === readEarlier)!.readAt).toEqual(earlierReadAt);
    expect((await readAll(who)).json()).toEqual({ count: 0 });

    expect(await unreadNotifications(ctx, other)).toBe(2);
    expect((await notificationRows(ctx, other.user.id)).every((r) => r.readAt === null)).toBe(true);
  });

  it('a deal event’s notification shows in the recipient’s list and count, not the actor’s', async () => {
    const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
    const campaign = await createCampaign(ctx, sponsor);
    const request = await invite(ctx, sponsor, campaign.id, influencer);
    expect(await unreadNotifications(ctx, influencer)).toBe(1);
    expect(await unreadNotifications(ctx, sponsor)).toBe(0);
    const [n] = (await list(influencer)).json().items;
    expect(n).toMatchObject({ type: 'offer_received', link: `/ad-requests/${request.id}`, readAt: null });
    expect((await list(sponsor)).json().items).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('/me/notification-settings', () => {
  it('defaults to every type by email, for every role', async () => {
    for (const who of [cast.sponsor, cast.influencer, cast.admin]) {
      const s = await settings(who);
      expect(s).toEqual({ email: ALL_TRUE, chatWebhookUrl: null });
      expect(Object.keys(s.email).sort()).toEqual([...NOTIFICATION_TYPES].sort());
    }
  });

  it('a partial patch changes only the given types, persists, and is the caller’s alone', async () => {
    const [who, other] = await Promise.all([f.influencer(), f.influencer()]);
    const res = await patchSettings(who, { email: { offer_received: false, deal_completed: false } });
    expect(res.statusCode, res.body).toBe(200);
    const expected = { ...ALL_TRUE, offer_received: false, deal_completed: false };
    expect(res.json()).toEqual({ email: expected, chatWebhookUrl: null });
    expect(await settings(who)).toEqual({ email: expected, chatWebhookUrl: null });

    const second = await patchSettings(who, { email: { offer_received: true, counter_offer: false } });
    expect(second.statusCode).toBe(200);
    const next = { ...ALL_TRUE, deal_completed: false, counter_offer: false };
    expect(second.json()).toEqual({ email: next, chatWebhookUrl: null });
    expect(await settings(who)).toEqual({ email: next, chatWebhookUrl: null });

    // An empty patch changes nothing.
    const empty = await patchSettings(who, { email: {} });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual({ email: next, chatWebhookUrl: null });

    expect(await settings(other)).toEqual({ email: ALL_TRUE, chatWebhookUrl: null });
    expect(await settings(cast.influencer)).toEqual({ email: ALL_TRUE, chatWebhookUrl: null });
  });

  it('concurrent patches of different types both land', async () => {
    const who = await f.sponsor();
    const results = await Promise.all(
      (['offer_accepted', 'offer_rejected', 'work_delivered', 'campaign_flagged'] as const).map((t) =>
        patchSettings(who, { email: { [t]: false } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await settings(who)).toEqual({
      email: {
        ...ALL_TRUE,
        offer_accepted: false,
        offer_rejected: false,
        work_delivered: false,
        campaign_flagged: false,
      },
      chatWebhookUrl: null,
    });
  });

  it.each([
    ['an unknown type', { email: { not_a_type: false } }, '/email/not_a_type'],
    ['an unknown type beside a known one', { email: { offer_received: false, sms: true } }, '/email/sms'],
    ['a string', { email: { offer_received: 'false' } }, '/email/offer_received'],
    ['a number', { email: { offer_received: 0 } }, '/email/offer_received'],
    ['null', { email: { offer_received: null } }, '/email/offer_received'],
    ['no email', {}, undefined],
    ['email not an object', { email: true }, '/email'],
    ['an unknown top-level field', { email: {}, push: { offer_received: true } }, undefined],
  ])('rejects %s with 400 and changes nothing', async (_what, body, path) => {
    const who = await f.influencer();
    expect((await patchSettings(who, { email: { offer_expired: false } })).statusCode).toBe(200);
    expectValidation(await patchSettings(who, body), ...(path ? [path] : []));
    expect(await settings(who)).toEqual({ email: { ...ALL_TRUE, offer_expired: false }, chatWebhookUrl: null });
  });
});
