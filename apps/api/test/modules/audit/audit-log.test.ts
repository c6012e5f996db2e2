import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { adminTools, type AuditRow } from '../../support/fixtures/admin.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';

/**
 * GET /admin/audit-log (API.md "Reviews, reports, moderation"), and what admin actions change for
 * everyone else at once (flagged users hidden from search, API.md "Accounts and auth").
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

const { action, auditLog } = adminTools(() => ({ ctx, admin }));

describe('GET /admin/audit-log', () => {
  const get = (who: TestUser | null, query = '') =>
    call(ctx, 'GET', `/api/v1/admin/audit-log${query ? `?${query}` : ''}`, { auth: who });

  it('requires authentication', async () => {
    expectProblem(await get(null), 401, 'unauthenticated');
  });

  it('answers 403 to the wrong role', async () => {
    expectProblem(await get(await f.sponsor()), 403, 'forbidden');
    expectProblem(await get(await f.influencer()), 403, 'forbidden');
    expectProblem(await get(await f.pendingSponsor()), 403, 'forbidden');
  });

  it('records who did what to whom and when, newest first, for every admin (other admin)', async () => {
    const target = await f.pendingSponsor();
    // A few milliseconds apart, so "newest first" has one right answer.
    const steps: [TestUser, string, unknown?][] = [
      [admin, 'approve'],
      [otherAdmin, 'flag', { reason: 'Check invoices' }],
      [admin, 'deactivate', { reason: 'Invoices were fake' }],
      [otherAdmin, 'reactivate'],
      [admin, 'unflag'],
    ];
    for (const [who, verb, body] of steps) {
      expect((await action(who, target.user.id, verb, body)).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    // Either admin sees all of it.
    for (const reader of [admin, otherAdmin]) {
      const res = await get(reader, 'limit=100');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toHaveProperty('nextCursor');
      const rows = (res.json().items as AuditRow[]).filter((r) => r.subjectId === target.user.id);
      expect(rows.map((r) => [r.actorId, r.action.toLowerCase()])).toEqual([
        [admin.user.id, expect.stringContaining('unflag')],
        [otherAdmin.user.id, expect.stringContaining('reactivate')],
        [admin.user.id, expect.stringContaining('deactivate')],
        [otherAdmin.user.id, expect.stringContaining('flag')],
        [admin.user.id, expect.stringContaining('approve')],
      ]);
      for (const r of rows) expect(typeof r.id).toBe('string');
    }
  });

  it('pages with a cursor', async () => {
    const target = await f.influencer();
    for (let i = 0; i < 3; i++) {
      await action(admin, target.user.id, 'flag', { reason: `reason ${i}` });
      await action(admin, target.user.id, 'unflag');
    }
    const p1 = await get(admin, 'limit=2');
    expect(p1.json().items).toHaveLength(2);
    expect(typeof p1.json().nextCursor).toBe('string');
    const p2 = await get(admin, `limit=2&cursor=${encodeURIComponent(p1.json().nextCursor)}`);
    expect(p2.json().items).toHaveLength(2);
    const ids = [...p1.json().items, ...p2.json().items].map((r: AuditRow) => r.id);
    expect(new Set(ids).size).toBe(4);
    const all = await auditLog();
    expect(all.slice(0, 4).map((r) => r.id)).toEqual(ids);
    const times = all.map((r) => Date.parse(r.createdAt));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeLessThanOrEqual(times[i - 1]!);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  it('answers 400 for an invalid cursor or limit', async () => {
    expectValidation(await get(admin, 'cursor=garbage'));
    expectValidation(await get(admin, 'limit=0'));
    expectValidation(await get(admin, 'limit=1000'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('admin actions change what other users see at once', () => {
  const word = () => `zq${randomBytes(4).toString('hex')}`;
  const search = (who: TestUser, q: string) => call(ctx, 'GET', `/api/v1/influencers?q=${q}`, { auth: who });
  const idsOf = (res: { json: () => any }) => (res.json().items as { id: string }[]).map((i) => i.id);

  it('a flagged influencer is hidden from search for everyone but admins, and back after unflag', async () => {
    const name = word();
    const inf = await f.influencer({ displayName: `Searchable ${name}` });
    const sponsor = await f.sponsor();
    // Looked at before the flag (a cached answer must not outlive it).
    expect(idsOf(await search(sponsor, name))).toContain(inf.user.id);
    expect(idsOf(await search(admin, name))).toContain(inf.user.id);

    expect((await action(admin, inf.user.id, 'flag', { reason: 'Fake audience' })).statusCode).toBe(200);
    expect(idsOf(await search(sponsor, name))).not.toContain(inf.user.id);
    expect(idsOf(await search(await f.sponsor(), name))).not.toContain(inf.user.id);
    expect(idsOf(await search(admin, name))).toContain(inf.user.id);

    expect((await action(admin, inf.user.id, 'unflag')).statusCode).toBe(200);
    expect(idsOf(await search(sponsor, name))).toContain(inf.user.id);
  });

  it('a flagged user shows its flag reason to admins only', async () => {
    const inf = await f.influencer();
    await action(admin, inf.user.id, 'flag', { reason: 'Reason only admins read' });
    for (const viewer of [await f.sponsor(), await f.influencer()]) {
      const res = await call(ctx, 'GET', `/api/v1/influencers/${inf.user.id}`, { auth: viewer });
      expect(res.body).not.toContain('Reason only admins read');
      expect(res.body).not.toContain(inf.user.email);
    }
    const asAdmin = await call(ctx, 'GET', `/api/v1/influencers/${inf.user.id}`, { auth: admin });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json().user.flagReason).toBe('Reason only admins read');
  });

  it('a deactivated influencer disappears from search at once', async () => {
    const name = word();
    const inf = await f.influencer({ displayName: `Leaving ${name}` });
    const sponsor = await f.sponsor();
    expect(idsOf(await search(sponsor, name))).toContain(inf.user.id);
    expect((await action(admin, inf.user.id, 'deactivate', { reason: 'Left' })).statusCode).toBe(200);
    expect(idsOf(await search(sponsor, name))).not.toContain(inf.user.id);
    expect((await action(admin, inf.user.id, 'reactivate')).statusCode).toBe(200);
    expect(idsOf(await search(sponsor, name))).toContain(inf.user.id);
  });
});
