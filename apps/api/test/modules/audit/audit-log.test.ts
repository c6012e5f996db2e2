import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog as auditLogTable } from '../../../src/db/schema/index.js';
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

// ---------------------------------------------------------------------------------------------

describe('GET /admin/audit-log filters', () => {
  const get = (who: TestUser | null, query: Record<string, string>) =>
    call(ctx, 'GET', `/api/v1/admin/audit-log?${new URLSearchParams({ limit: '100', ...query })}`, { auth: who });
  const items = async (query: Record<string, string>) => {
    const res = await get(admin, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as (AuditRow & { subjectType: string; subjectLabel: string | null; actor: any })[];
  };

  it('filters by actor id, by part of the actor’s email or name, by action(s) and by subject', async () => {
    const a = await f.influencer({ displayName: `Filter target ${randomBytes(3).toString('hex')}` });
    const b = await f.influencer();
    await action(admin, a.user.id, 'flag', { reason: 'Spam' });
    await action(otherAdmin, b.user.id, 'flag', { reason: 'Spam' });
    await action(otherAdmin, a.user.id, 'unflag');

    const byActor = await items({ actorId: otherAdmin.user.id });
    expect(byActor.length).toBeGreaterThanOrEqual(2);
    expect(byActor.every((r) => r.actorId === otherAdmin.user.id)).toBe(true);

    const byEmail = await items({ actor: otherAdmin.user.email.slice(0, 12).toUpperCase() });
    expect(byEmail.length).toBeGreaterThanOrEqual(2);
    expect(byEmail.every((r) => r.actorId === otherAdmin.user.id)).toBe(true);
    expect(byEmail[0]!.actor.email).toBe(otherAdmin.user.email);
    expect(await items({ actor: 'nobody-has-this%_' })).toEqual([]);

    const forA = await items({ subjectType: 'user', subjectId: a.user.id });
    expect(forA.map((r) => r.action)).toEqual(['user.unflag', 'user.flag']);
    expect(forA[0]!.subjectLabel).toBe(a.user.displayName);

    const flagsOfA = await items({ action: 'user.flag', subjectId: a.user.id });
    expect(flagsOfA.map((r) => [r.action, r.actorId])).toEqual([['user.flag', admin.user.id]]);
    const both = await items({ action: 'user.flag,user.unflag', subjectId: a.user.id });
    expect(both).toHaveLength(2);
    expect(await items({ action: 'user.deactivate', subjectId: a.user.id })).toEqual([]);
    // A subject id under another type matches nothing.
    expect(await items({ subjectType: 'campaign', subjectId: a.user.id })).toEqual([]);
    // Filters combine with AND.
    expect(await items({ actorId: admin.user.id, action: 'user.unflag', subjectId: a.user.id })).toEqual([]);
  });

  it('filters by whole UTC days, both ends inclusive', async () => {
    const target = await f.influencer();
    await action(admin, target.user.id, 'flag', { reason: 'Old' });
    await action(admin, target.user.id, 'unflag');
    const [flagRow, unflagRow] = (await items({ subjectId: target.user.id })).reverse();
    await ctx.db
      .update(auditLogTable)
      .set({ createdAt: new Date('2026-03-10T23:59:59.999Z') })
      .where(eq(auditLogTable.id, flagRow!.id));
    await ctx.db
      .update(auditLogTable)
      .set({ createdAt: new Date('2026-03-11T00:00:00.000Z') })
      .where(eq(auditLogTable.id, unflagRow!.id));

    const ids = async (q: Record<string, string>) =>
      (await items({ subjectId: target.user.id, ...q })).map((r) => r.action);
    expect(await ids({ from: '2026-03-10', to: '2026-03-10' })).toEqual(['user.flag']);
    expect(await ids({ from: '2026-03-11', to: '2026-03-11' })).toEqual(['user.unflag']);
    expect(await ids({ from: '2026-03-10', to: '2026-03-11' })).toEqual(['user.unflag', 'user.flag']);
    expect(await ids({ from: '2026-03-11' })).toEqual(['user.unflag']);
    expect(await ids({ to: '2026-03-10' })).toEqual(['user.flag']);
    expect(await ids({ to: '2026-03-09' })).toEqual([]);
  });

  it('pages a filtered list with the cursor', async () => {
    const target = await f.influencer();
    for (let i = 0; i < 3; i++) {
      await action(admin, target.user.id, 'flag', { reason: `again ${i}` });
      await action(admin, target.user.id, 'unflag');
    }
    const q = { action: 'user.flag', subjectId: target.user.id, limit: '2' };
    const p1 = await get(admin, q);
    expect(p1.json().items).toHaveLength(2);
    const p2 = await get(admin, { ...q, cursor: p1.json().nextCursor });
    expect(p2.json().items).toHaveLength(1);
    expect(p2.json().nextCursor).toBeNull();
    const all = [...p1.json().items, ...p2.json().items] as AuditRow[];
    expect(all.every((r) => r.action === 'user.flag')).toBe(true);
    expect(all.map((r: any) => r.details.reason)).toEqual(['again 2', 'again 1', 'again 0']);
  });

  it('lists money movements against their deal, named after its campaign', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const campaign = await f.campaign({ sponsor, name: `Audit deal ${randomBytes(3).toString('hex')}` });
    const res = await call(ctx, 'POST', '/api/v1/ad-requests', {
      auth: sponsor,
      body: {
        campaignId: campaign.id,
        influencerId: influencer.user.id,
        requirements: 'One reel',
        paymentCents: 2_500,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const dealId = res.json().id as string;
    expect(
      (await call(ctx, 'POST', `/api/v1/ad-requests/${dealId}/accept`, { auth: influencer, body: {} })).statusCode,
    ).toBe(200);

    const rows = await items({ subjectType: 'ad_request', subjectId: dealId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'money.reserve',
      actorId: influencer.user.id,
      subjectLabel: campaign.name,
      details: { amountCents: 2_500, campaignId: campaign.id, via: 'accept' },
    });
    expect((await items({ action: 'money.reserve' })).map((r) => r.subjectId)).toContain(dealId);
  });

  it('answers 400 for a bad date, a reversed range, a malformed id or action, or an unknown filter', async () => {
    const bad: Record<string, string>[] = [
      { from: 'yesterday' },
      { from: '2026-02-30' },
      { to: '2026-13-01' },
      { from: '2026-03-01T00:00:00Z' },
      { actorId: 'not-a-uuid' },
      { subjectId: '12345' },
      { action: 'user.flag;drop' },
      { action: '' },
      { subjectType: 'User Type' },
      { actor: '' },
      { colour: 'red' },
    ];
    for (const q of bad) {
      expectValidation(await get(admin, q));
    }
    const reversed = await get(admin, { from: '2026-03-02', to: '2026-03-01' });
    expectValidation(reversed, '/from');
  });

  it('keeps the filters for admins: 401 anonymous, 403 sponsor and influencer', async () => {
    const q = { action: 'user.flag', from: '2026-01-01' };
    expectProblem(await get(null, q), 401, 'unauthenticated');
    expectProblem(await get(await f.sponsor(), q), 403, 'forbidden');
    expectProblem(await get(await f.influencer(), q), 403, 'forbidden');
  });
});
