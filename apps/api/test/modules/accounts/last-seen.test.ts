import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '../../../src/db/schema/index.js';
import { openDatabase } from '../../../src/db/client.js';
import { accountsRepository } from '../../../src/modules/accounts/accounts.repository.js';
import { createLastSeenService, LAST_SEEN_WINDOW_SECONDS } from '../../../src/modules/accounts/last-seen.service.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { adminTools } from '../../support/fixtures/admin.js';
import { expectProblem } from '../../support/fixtures/http.js';

/**
 * Last seen (issue 12 item 5): a login records the login time, authenticated requests and token
 * refreshes the last activity, at most one write per user per window, and only admins see them.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
const tools = adminTools(() => ({ ctx, admin }));

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  admin = await f.admin();
});
afterAll(async () => ctx?.close());
afterEach(() => vi.useRealTimers());

const seenOf = async (id: string) => {
  const [row] = await ctx.db
    .select({ lastLoginAt: users.lastLoginAt, lastActiveAt: users.lastActiveAt })
    .from(users)
    .where(eq(users.id, id));
  return row!;
};

/** The activity write runs after the answer is sent: wait until the hook has had its turn and its write is done. */
async function afterResponses() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  await ctx.app.services.lastSeen.settled();
}

/** Moves the user's last activity `minutes` into the past, by the database's clock. */
const setActiveAgo = (id: string, minutes: number) =>
  ctx.db
    .update(users)
    .set({ lastActiveAt: sql`now() - make_interval(mins => ${minutes})` })
    .where(eq(users.id, id));

describe('login', () => {
  it('records the login time (and activity) with the session; a failed login records nothing', async () => {
    const user = await f.influencer();
    expect(await seenOf(user.user.id)).toEqual({ lastLoginAt: null, lastActiveAt: null });

    expectProblem(await tools.login(user.user.email, 'not the password at all'), 401, 'invalid_credentials');
    expect(await seenOf(user.user.id)).toEqual({ lastLoginAt: null, lastActiveAt: null });

    const before = Date.now();
    const res = await tools.login(user.user.email);
    expect(res.statusCode).toBe(200);
    const seen = await seenOf(user.user.id);
    expect(seen.lastLoginAt).toBeInstanceOf(Date);
    expect(Math.abs(seen.lastLoginAt!.getTime() - before)).toBeLessThan(30_000);
    expect(seen.lastActiveAt!.getTime()).toBe(seen.lastLoginAt!.getTime());
    // The user's own answer does not carry it.
    expect(res.json().user).not.toHaveProperty('lastLoginAt');
  });

  it('signing up (which opens the first session) counts as the first login', async () => {
    const res = await call(ctx, 'POST', '/api/v1/auth/signup', {
      body: {
        email: `seen-${Date.now()}@example.test`,
        password: 'a-long-enough-password-1',
        role: 'influencer',
        displayName: 'New Person',
      },
    });
    expect(res.statusCode).toBe(201);
    const seen = await seenOf(res.json().user.id);
    expect(seen.lastLoginAt).toBeInstanceOf(Date);
    expect(seen.lastActiveAt).toEqual(seen.lastLoginAt);
  });

  it('a deactivated account logging in (403) records nothing', async () => {
    const user = await f.influencer({ status: 'deactivated' });
    expectProblem(await tools.login(user.user.email), 403, 'account_deactivated');
    expect(await seenOf(user.user.id)).toEqual({ lastLoginAt: null, lastActiveAt: null });
  });
});

describe('activity on authenticated requests', () => {
  it('is written by a request, not again within the window, and again after it', async () => {
    const user = await f.influencer();
    // Only Date is faked: the throttle's clock moves (and so does PGlite's now(), which reads
    // it; PostgreSQL's does not), timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });

    expect((await call(ctx, 'GET', '/api/v1/me', { auth: user })).statusCode).toBe(200);
    await vi.waitFor(async () => expect((await seenOf(user.user.id)).lastActiveAt).toBeInstanceOf(Date));
    await afterResponses();
    const first = (await seenOf(user.user.id)).lastActiveAt!;

    // Within the window: nothing written, even with the stored time moved back (so a write
    // would show), because the throttle in this process does not even ask.
    await setActiveAgo(user.user.id, 1);
    const moved = (await seenOf(user.user.id)).lastActiveAt!;
    expect(moved.getTime()).toBeLessThan(first.getTime());
    vi.setSystemTime(Date.now() + 60_000);
    for (let i = 0; i < 3; i++) expect((await call(ctx, 'GET', '/api/v1/me', { auth: user })).statusCode).toBe(200);
    await afterResponses();
    expect((await seenOf(user.user.id)).lastActiveAt!.getTime()).toBe(moved.getTime());

    // After the window (by both clocks): written again.
    await setActiveAgo(user.user.id, LAST_SEEN_WINDOW_SECONDS / 60 + 1);
    const old = (await seenOf(user.user.id)).lastActiveAt!;
    vi.setSystemTime(Date.now() + LAST_SEEN_WINDOW_SECONDS * 1000);
    expect((await call(ctx, 'GET', '/api/v1/notifications', { auth: user })).statusCode).toBe(200);
    await vi.waitFor(async () =>
      expect((await seenOf(user.user.id)).lastActiveAt!.getTime()).toBeGreaterThan(old.getTime()),
    );
  });

  it('a request that is refused at the gate (401) records nothing; a public route records nothing', async () => {
    const user = await f.influencer();
    expectProblem(
      await call(ctx, 'GET', '/api/v1/me', { headers: { authorization: 'Bearer not-a-token' } }),
      401,
      'unauthenticated',
    );
    expect((await call(ctx, 'GET', '/api/v1/meta', { auth: user })).statusCode).toBe(200);
    await afterResponses();
    expect((await seenOf(user.user.id)).lastActiveAt).toBeNull();
  });

  it('another instance (its own throttle) writes nothing within the window: the UPDATE is conditional', async () => {
    const user = await f.influencer();
    const one = createLastSeenService({ db: ctx.db });
    const two = createLastSeenService({ db: ctx.db });
    await one.seen(user.user.id);
    const first = (await seenOf(user.user.id)).lastActiveAt!;
    await setActiveAgo(user.user.id, 2);
    const moved = (await seenOf(user.user.id)).lastActiveAt!;
    await two.seen(user.user.id);
    expect((await seenOf(user.user.id)).lastActiveAt!.getTime()).toBe(moved.getTime());
    expect(moved.getTime()).toBeLessThan(first.getTime());
  });

  it('a token refresh counts as activity', async () => {
    const user = await f.influencer();
    const login = await tools.login(user.user.email);
    await setActiveAgo(user.user.id, LAST_SEEN_WINDOW_SECONDS / 60 + 1);
    const old = (await seenOf(user.user.id)).lastActiveAt!;
    const res = await tools.refresh(login.json().refreshToken);
    expect(res.statusCode).toBe(200);
    expect((await seenOf(user.user.id)).lastActiveAt!.getTime()).toBeGreaterThan(old.getTime());
  });

  it('a failed write does not hold the user back: the next request tries again', async () => {
    // A real database that refuses the UPDATE: an empty one, not migrated yet (no users table).
    const database = openDatabase({ dataDir: 'memory://' });
    try {
      const lastSeen = createLastSeenService({ db: database.db });
      const id = '00000000-0000-4000-8000-0000000000a1';
      await expect(lastSeen.seen(id)).rejects.toThrow();
      await lastSeen.settled();
      // The database comes right; the very next call writes (the failure was not remembered as a write).
      await database.migrate();
      await accountsRepository.insertUser(database.db, {
        id,
        email: 'back@example.test',
        passwordHash: 'x',
        role: 'influencer',
        status: 'active',
        displayName: 'Back Again',
      });
      await lastSeen.seen(id);
      const [row] = await database.db.select({ at: users.lastActiveAt }).from(users).where(eq(users.id, id));
      expect(row!.at).toBeInstanceOf(Date);
    } finally {
      await database.close();
    }
    // Migrating a fresh embedded database takes a while on a busy machine.
  }, 120_000);
});

describe('who sees it', () => {
  it('the admin list shows lastLoginAt and lastActiveAt (null when never)', async () => {
    const user = await f.influencer();
    const never = await f.sponsor();
    expect((await tools.login(user.user.email)).statusCode).toBe(200);
    const shown = await tools.adminView(user);
    const seen = await seenOf(user.user.id);
    expect(shown.lastLoginAt).toBe(seen.lastLoginAt!.toISOString());
    expect(shown.lastActiveAt).toBe(seen.lastActiveAt!.toISOString());
    const none = await tools.adminView(never);
    expect(none).toMatchObject({ lastLoginAt: null, lastActiveAt: null });
  });

  it('an admin action answers with them too; members never see them, not even their own', async () => {
    const user = await f.influencer();
    const sponsor = await f.sponsor();
    expect((await tools.login(user.user.email)).statusCode).toBe(200);
    const flagged = await tools.action(admin, user.user.id, 'flag', { reason: 'spam' });
    expect(flagged.statusCode).toBe(200);
    expect(typeof flagged.json().lastLoginAt).toBe('string');
    await tools.action(admin, user.user.id, 'unflag');

    const asAdmin = await call(ctx, 'GET', `/api/v1/influencers/${user.user.id}`, { auth: admin });
    expect(asAdmin.statusCode).toBe(200);
    for (const who of [sponsor, user]) {
      const profile = await call(ctx, 'GET', `/api/v1/influencers/${user.user.id}`, { auth: who });
      expect(profile.statusCode).toBe(200);
      expect(profile.body).not.toContain('lastLoginAt');
      expect(profile.body).not.toContain('lastActiveAt');
    }
    const me = await tools.getMe(user);
    expect(me.body).not.toContain('lastLoginAt');
  });
});
