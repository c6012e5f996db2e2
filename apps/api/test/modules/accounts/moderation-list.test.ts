import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { adminTools } from '../../support/fixtures/admin.js';
import { expectNoSecrets, expectProblem, expectValidation } from '../../support/fixtures/http.js';

/**
 * The admin user routes (API.md "Reviews, reports, moderation"): who may call them (the whole
 * matrix), and GET /admin/users with its filters and keyset paging. The actions' rules are in
 * admin-user-actions.test.ts, the audit log in admin-audit-log.test.ts.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
let otherAdmin: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  admin = await f.admin();
  otherAdmin = await f.admin();
});
afterAll(async () => ctx?.close());

const { action, list, getMe, adminView } = adminTools(() => ({ ctx, admin }));

const tag = () => `t${randomBytes(4).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Authorization matrix: every admin route, every kind of caller.

interface AdminRoute {
  name: string;
  /** Makes a fresh target and returns the request to send (and how to tell it had no effect). */
  prepare: () => Promise<{ method: 'GET' | 'POST'; url: string; body?: unknown; unchanged?: () => Promise<void> }>;
}

const stateOf = async (target: TestUser) => {
  const u = await adminView(target);
  return { status: u.status, flagged: u.flagged };
};

function actionRoute(verb: string, makeTarget: () => Promise<TestUser>, body?: unknown): AdminRoute {
  return {
    name: `POST /admin/users/:id/${verb}`,
    async prepare() {
      const target = await makeTarget();
      const before = await stateOf(target);
      return {
        method: 'POST',
        url: `/api/v1/admin/users/${target.user.id}/${verb}`,
        body,
        unchanged: async () => expect(await stateOf(target)).toEqual(before),
      };
    },
  };
}

const ROUTES: AdminRoute[] = [
  { name: 'GET /admin/users', prepare: async () => ({ method: 'GET', url: '/api/v1/admin/users' }) },
  actionRoute('approve', () => f.pendingSponsor()),
  actionRoute('deactivate', () => f.influencer(), { reason: 'Spamming sponsors' }),
  actionRoute('reactivate', () => f.influencer({ status: 'deactivated' })),
  actionRoute('flag', () => f.influencer(), { reason: 'Fake followers' }),
  actionRoute('unflag', () => f.influencer({ flagged: true, flagReason: 'Fake followers' })),
  { name: 'GET /admin/audit-log', prepare: async () => ({ method: 'GET', url: '/api/v1/admin/audit-log' }) },
];

describe.each(ROUTES)('$name authorization', (route) => {
  const send = async (who: TestUser | null, prepared: Awaited<ReturnType<AdminRoute['prepare']>>) =>
    call(ctx, prepared.method, prepared.url, {
      auth: who,
      ...(prepared.body !== undefined ? { body: prepared.body } : {}),
    });

  it('requires authentication', async () => {
    const prepared = await route.prepare();
    expectProblem(await send(null, prepared), 401, 'unauthenticated');
    // Authentication is checked before the input: no body at all is still a 401.
    expectProblem(await call(ctx, prepared.method, prepared.url), 401, 'unauthenticated');
    await prepared.unchanged?.();
  });

  it.each([
    ['an approved sponsor', () => f.sponsor()],
    ['an influencer', () => f.influencer()],
    ['a pending sponsor', () => f.pendingSponsor()],
  ])('answers 403 forbidden to %s (wrong role) and changes nothing', async (_who, make) => {
    const caller = await make();
    const prepared = await route.prepare();
    const res = await send(caller, prepared);
    expectProblem(res, 403, 'forbidden');
    expect(res.body).not.toContain('"items"');
    await prepared.unchanged?.();
  });

  it('answers 403 account_deactivated to a deactivated user', async () => {
    const prepared = await route.prepare();
    expectProblem(await send(await f.influencer({ status: 'deactivated' }), prepared), 403, 'account_deactivated');
    await prepared.unchanged?.();
  });

  it('serves an admin', async () => {
    const prepared = await route.prepare();
    const res = await send(admin, prepared);
    expect(res.statusCode).toBe(200);
    expectNoSecrets(res);
  });

  it('serves another admin just the same', async () => {
    const prepared = await route.prepare();
    expect((await send(otherAdmin, prepared)).statusCode).toBe(200);
  });
});

describe('non-admins acting on themselves', () => {
  it('a pending sponsor cannot approve itself', async () => {
    const pending = await f.pendingSponsor();
    expectProblem(await action(pending, pending.user.id, 'approve'), 403, 'forbidden');
    expect((await getMe(pending)).json().status).toBe('pending_approval');
  });

  it('a flagged influencer cannot unflag itself', async () => {
    const flagged = await f.influencer({ flagged: true, flagReason: 'Bots' });
    expectProblem(await action(flagged, flagged.user.id, 'unflag'), 403, 'forbidden');
    expect((await getMe(flagged)).json().flagged).toBe(true);
  });

  it('a sponsor cannot deactivate another sponsor (other user)', async () => {
    const a = await f.sponsor();
    const b = await f.sponsor();
    expectProblem(await action(a, b.user.id, 'deactivate', { reason: 'competitor' }), 403, 'forbidden');
    expect((await getMe(b)).statusCode).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /admin/users', () => {
  it('requires authentication', async () => {
    expectProblem(await list(null), 401, 'unauthenticated');
  });

  it('answers 403 to the wrong role', async () => {
    expectProblem(await list(await f.sponsor()), 403, 'forbidden');
    expectProblem(await list(await f.influencer()), 403, 'forbidden');
  });

  it('lists users with the admin-only fields (email, flag reason) and no secrets', async () => {
    const flagged = await f.influencer({ flagged: true, flagReason: 'Bought likes' });
    const res = await list(admin, `q=${encodeURIComponent(flagged.user.email)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toHaveProperty('nextCursor');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: flagged.user.id,
      email: flagged.user.email,
      role: 'influencer',
      status: 'active',
      flagged: true,
      flagReason: 'Bought likes',
      displayName: flagged.user.displayName,
    });
    expect(body.items[0]).toHaveProperty('profile');
    expect(body.items[0]).toHaveProperty('createdAt');
    expectNoSecrets(res);
  });

  describe('filters', () => {
    const t = tag();
    let set: Record<string, TestUser>;
    beforeAll(async () => {
      set = {
        sponsor: await f.sponsor({ displayName: `Filter ${t} Approved Sponsor` }),
        pending: await f.pendingSponsor({ displayName: `Filter ${t} Pending Sponsor` }),
        influencer: await f.influencer({ displayName: `Filter ${t} Influencer` }),
        deactivated: await f.influencer({ displayName: `Filter ${t} Gone`, status: 'deactivated' }),
        flagged: await f.influencer({ displayName: `Filter ${t} Flagged`, flagged: true, flagReason: 'spam' }),
        flaggedSponsor: await f.sponsor({
          displayName: `Filter ${t} Flagged Sponsor`,
          flagged: true,
          flagReason: 'fraud',
        }),
        admin: await f.admin({ displayName: `Filter ${t} Admin` }),
        // Matched by email only: its name does not contain the tag.
        byEmail: await f.influencer({ displayName: 'Plain Name', email: `mail-${t}@example.test` }),
      };
    });
    const ids = (...keys: string[]) => keys.map((k) => set[k]!.user.id).sort();
    async function query(q: string) {
      const res = await list(admin, `limit=100&${q}`);
      expect(res.statusCode).toBe(200);
      return (res.json().items as { id: string }[]).map((u) => u.id).sort();
    }

    it('q matches display name and email, case-insensitively', async () => {
      const all = ids(
        'sponsor',
        'pending',
        'influencer',
        'deactivated',
        'flagged',
        'flaggedSponsor',
        'admin',
        'byEmail',
      );
      expect(await query(`q=${t}`)).toEqual(all);
      expect(await query(`q=${t.toUpperCase()}`)).toEqual(all);
      expect(await query(`q=${encodeURIComponent(`MAIL-${t.toUpperCase()}@EXAMPLE`)}`)).toEqual(ids('byEmail'));
      expect(await query(`q=${encodeURIComponent(`filter ${t} pending`)}`)).toEqual(ids('pending'));
      expect(await query(`q=${encodeURIComponent(`FILTER ${t.toUpperCase()} INFLUENCER`)}`)).toEqual(ids('influencer'));
      expect(await query(`q=${tag()}`)).toEqual([]);
    });

    it('role', async () => {
      expect(await query(`q=${t}&role=sponsor`)).toEqual(ids('sponsor', 'pending', 'flaggedSponsor'));
      expect(await query(`q=${t}&role=influencer`)).toEqual(ids('influencer', 'deactivated', 'flagged', 'byEmail'));
      expect(await query(`q=${t}&role=admin`)).toEqual(ids('admin'));
    });

    it('status', async () => {
      expect(await query(`q=${t}&status=pending_approval`)).toEqual(ids('pending'));
      expect(await query(`q=${t}&status=deactivated`)).toEqual(ids('deactivated'));
      expect(await query(`q=${t}&status=active`)).toEqual(
        ids('sponsor', 'influencer', 'flagged', 'flaggedSponsor', 'admin', 'byEmail'),
      );
    });

    it('flagged', async () => {
      expect(await query(`q=${t}&flagged=true`)).toEqual(ids('flagged', 'flaggedSponsor'));
      expect(await query(`q=${t}&flagged=false`)).toEqual(
        ids('sponsor', 'pending', 'influencer', 'deactivated', 'admin', 'byEmail'),
      );
    });

    it('combined', async () => {
      expect(await query(`q=${t}&role=sponsor&flagged=true`)).toEqual(ids('flaggedSponsor'));
      expect(await query(`q=${t}&role=influencer&status=active&flagged=false`)).toEqual(ids('influencer', 'byEmail'));
      expect(await query(`role=sponsor&status=pending_approval&q=${t}`)).toEqual(ids('pending'));
    });

    it('rejects invalid filter values', async () => {
      expectValidation(await list(admin, 'role=superuser'));
      expectValidation(await list(admin, 'status=sleeping'));
      expectValidation(await list(admin, 'flagged=maybe'));
    });
  });

  describe('keyset paging', () => {
    const t = tag();
    let created: string[];
    beforeAll(async () => {
      created = [];
      for (let i = 0; i < 25; i++) {
        const make = i % 3 === 0 ? f.sponsor : i % 3 === 1 ? f.influencer : f.pendingSponsor;
        created.push((await make({ displayName: `Pager ${t} ${String(i).padStart(2, '0')}` })).user.id);
      }
    });

    async function page(limit: number, cursor?: string) {
      const res = await list(admin, `q=${t}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      return res.json() as { items: { id: string; createdAt: string }[]; nextCursor: string | null };
    }

    it('pages 25 users by 10 into 25 distinct ids in order, ending with a null cursor', async () => {
      const whole = await page(100);
      expect(whole.items).toHaveLength(25);
      expect(whole.nextCursor).toBeNull();

      const p1 = await page(10);
      expect(p1.items).toHaveLength(10);
      expect(typeof p1.nextCursor).toBe('string');
      const p2 = await page(10, p1.nextCursor!);
      expect(p2.items).toHaveLength(10);
      expect(typeof p2.nextCursor).toBe('string');
      const p3 = await page(10, p2.nextCursor!);
      expect(p3.items).toHaveLength(5);
      expect(p3.nextCursor).toBeNull();

      const paged = [...p1.items, ...p2.items, ...p3.items].map((u) => u.id);
      expect(new Set(paged).size).toBe(25);
      expect(paged).toEqual(whole.items.map((u) => u.id));
      expect([...paged].sort()).toEqual([...created].sort());
      // Newest first.
      const times = whole.items.map((u) => Date.parse(u.createdAt));
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeLessThanOrEqual(times[i - 1]!);
    });

    it('is stable under inserts between pages', async () => {
      const p1 = await page(10);
      // New users arrive while the admin reads page one.
      for (let i = 0; i < 3; i++) await f.influencer({ displayName: `Pager ${t} late ${i}` });
      const rest: string[] = [];
      let cursor = p1.nextCursor;
      while (cursor) {
        const p = await page(10, cursor);
        rest.push(...p.items.map((u) => u.id));
        cursor = p.nextCursor;
      }
      const seen = [...p1.items.map((u) => u.id), ...rest];
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...created].sort());
    });

    it('answers 400 validation_failed for an invalid cursor or limit', async () => {
      expectValidation(await list(admin, 'cursor=not-a-cursor'));
      expectValidation(await list(admin, `cursor=${Buffer.from('{"hello":"world"}').toString('base64url')}`));
      expectValidation(await list(admin, `cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`));
      expectValidation(await list(admin, 'limit=0'));
      expectValidation(await list(admin, 'limit=101'));
      expectValidation(await list(admin, 'limit=ten'));
      expect((await list(admin, 'limit=100')).statusCode).toBe(200);
      expect((await list(admin, 'limit=1')).json().items).toHaveLength(1);
    });

    it('defaults to 20 items per page', async () => {
      const all = await page(100);
      expect(all.items.length).toBeGreaterThanOrEqual(25);
      const res = await list(admin, `q=${t}`);
      expect(res.json().items).toHaveLength(20);
      expect(typeof res.json().nextCursor).toBe('string');
    });
  });
});
