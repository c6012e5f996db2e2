import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { adminTools } from '../../support/fixtures/admin.js';
import { expectNoSecrets, expectProblem, expectValidation } from '../../support/fixtures/http.js';

/**
 * POST /admin/users/:id/{approve,deactivate,reactivate,flag,unflag} (API.md "Reviews, reports,
 * moderation") and the account rules they enforce (API.md "Accounts and auth"): transitions,
 * deactivation effective on the very next request, an audit row per change.
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

const { action, list, getMe, login, refresh, adminView, auditFor, expectAudited } = adminTools(() => ({
  ctx,
  admin,
}));

describe('POST /admin/users/:id/approve', () => {
  it('requires authentication', async () => {
    const pending = await f.pendingSponsor();
    expectProblem(await action(null, pending.user.id, 'approve'), 401, 'unauthenticated');
    expect((await adminView(pending)).status).toBe('pending_approval');
  });

  it('answers 403 to the wrong role, even a pending sponsor approving another', async () => {
    const pending = await f.pendingSponsor();
    expectProblem(await action(await f.pendingSponsor(), pending.user.id, 'approve'), 403, 'forbidden');
    expectProblem(await action(await f.sponsor(), pending.user.id, 'approve'), 403, 'forbidden');
    expect((await adminView(pending)).status).toBe('pending_approval');
  });

  it('approves a pending sponsor, effective for its existing token, and audits it', async () => {
    const pending = await f.pendingSponsor();
    const before = await auditFor(pending.user.id);
    const res = await action(admin, pending.user.id, 'approve');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: pending.user.id,
      role: 'sponsor',
      status: 'active',
      email: pending.user.email,
    });
    expectNoSecrets(res);
    expect((await getMe(pending)).json().status).toBe('active');
    await expectAudited(pending.user.id, 'approve', before);
  });

  it('accepts an empty JSON body', async () => {
    const pending = await f.pendingSponsor();
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${pending.user.id}/approve`, {
      auth: admin,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('active');
  });

  it.each([
    ['an approved sponsor', () => f.sponsor()],
    ['an influencer', () => f.influencer()],
    ['an admin', () => f.admin()],
    ['a deactivated sponsor that was pending', () => f.pendingSponsor({ status: 'deactivated' })],
  ])('answers 409 invalid_transition for %s and writes no audit row', async (_name, make) => {
    const target = await make();
    const before = await adminView(target);
    const res = await action(admin, target.user.id, 'approve');
    expectProblem(res, 409, 'invalid_transition');
    expect(await adminView(target)).toEqual(before);
    expect(await auditFor(target.user.id)).toEqual([]);
  });

  it('answers 409 when approving twice', async () => {
    const pending = await f.pendingSponsor();
    expect((await action(admin, pending.user.id, 'approve')).statusCode).toBe(200);
    expectProblem(await action(admin, pending.user.id, 'approve'), 409, 'invalid_transition');
    expect(await auditFor(pending.user.id)).toHaveLength(1);
  });

  it('approves once under concurrency: one 200, the rest 409, one audit row', async () => {
    const pending = await f.pendingSponsor();
    const results = await Promise.all(
      [admin, otherAdmin, admin, otherAdmin].map((who) => action(who, pending.user.id, 'approve')),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) expectProblem(r, 409, 'invalid_transition');
    expect(await auditFor(pending.user.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await action(admin, randomUUID(), 'approve'), 404, 'not_found');
    expectProblem(await action(admin, 'not-a-uuid', 'approve'), 404, 'not_found');
    expectProblem(await action(admin, '12345', 'approve'), 404, 'not_found');
  });
});

describe('POST /admin/users/:id/deactivate', () => {
  it('requires authentication', async () => {
    const inf = await f.influencer();
    expectProblem(await action(null, inf.user.id, 'deactivate', { reason: 'x' }), 401, 'unauthenticated');
    expect((await getMe(inf)).statusCode).toBe(200);
  });

  it('answers 403 to the wrong role', async () => {
    const inf = await f.influencer();
    expectProblem(await action(await f.influencer(), inf.user.id, 'deactivate', { reason: 'x' }), 403, 'forbidden');
    expectProblem(await action(await f.sponsor(), inf.user.id, 'deactivate', { reason: 'x' }), 403, 'forbidden');
    expect((await getMe(inf)).statusCode).toBe(200);
  });

  it('requires a non-blank reason and nothing else', async () => {
    const inf = await f.influencer();
    expectValidation(await action(admin, inf.user.id, 'deactivate'));
    expectValidation(await action(admin, inf.user.id, 'deactivate', {}), '/reason');
    expectValidation(await action(admin, inf.user.id, 'deactivate', { reason: '' }), '/reason');
    expectValidation(await action(admin, inf.user.id, 'deactivate', { reason: '   ' }), '/reason');
    expectValidation(await action(admin, inf.user.id, 'deactivate', { reason: 42 }), '/reason');
    expectValidation(await action(admin, inf.user.id, 'deactivate', { reason: 'ok', status: 'active' }), '/status');
    expect((await getMe(inf)).statusCode).toBe(200);
    expect(await auditFor(inf.user.id)).toEqual([]);
  });

  it('deactivates: the live access token fails on the very next request, refresh and login stop working', async () => {
    const inf = await f.influencer();
    const session = (await login(inf.user.email)).json();
    expect((await getMe(inf)).statusCode).toBe(200);
    const before = await auditFor(inf.user.id);

    const res = await action(admin, inf.user.id, 'deactivate', { reason: 'Repeated no-shows' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: inf.user.id, status: 'deactivated' });
    await expectAudited(inf.user.id, 'deactivate', before);

    // The very next request with either access token.
    expectProblem(await getMe(inf), 403, 'account_deactivated');
    expectProblem(
      await call(ctx, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${session.accessToken}` } }),
      403,
      'account_deactivated',
    );
    expectProblem(
      await call(ctx, 'PATCH', '/api/v1/me', { auth: inf, body: { displayName: 'Still here' } }),
      403,
      'account_deactivated',
    );
    // Its refresh tokens are revoked.
    const r = await refresh(session.refreshToken);
    expect([401, 403]).toContain(r.statusCode);
    expectProblem(r, r.statusCode, r.statusCode === 401 ? 'unauthenticated' : 'account_deactivated');
    // Login: 403 only with the right password.
    expectProblem(await login(inf.user.email), 403, 'account_deactivated');
    expectProblem(await login(inf.user.email, 'wrong-password!'), 401, 'invalid_credentials');

    expect((await adminView(inf)).status).toBe('deactivated');
  });

  it('deactivates a sponsor, a pending sponsor, and leaves other users alone (other user)', async () => {
    const spo = await f.sponsor();
    const pending = await f.pendingSponsor();
    const bystander = await f.sponsor();
    expect((await action(admin, spo.user.id, 'deactivate', { reason: 'Fraud' })).json().status).toBe('deactivated');
    expect((await action(admin, pending.user.id, 'deactivate', { reason: 'Fraud' })).json().status).toBe('deactivated');
    expectProblem(await getMe(spo), 403, 'account_deactivated');
    expectProblem(await getMe(pending), 403, 'account_deactivated');
    expect((await getMe(bystander)).statusCode).toBe(200);
  });

  it('answers 403 forbidden for an admin target, including oneself', async () => {
    const target = await f.admin();
    expectProblem(await action(admin, target.user.id, 'deactivate', { reason: 'coup' }), 403, 'forbidden');
    expectProblem(await action(admin, admin.user.id, 'deactivate', { reason: 'resign' }), 403, 'forbidden');
    expect((await getMe(target)).statusCode).toBe(200);
    expect((await getMe(admin)).statusCode).toBe(200);
    expect(await auditFor(target.user.id)).toEqual([]);
  });

  it('deactivates once under concurrency: every call answers 200 deactivated', async () => {
    const inf = await f.influencer();
    const results = await Promise.all(
      [admin, otherAdmin, admin].map((who) => action(who, inf.user.id, 'deactivate', { reason: 'Simultaneous' })),
    );
    for (const r of results) {
      expect(r.statusCode).toBe(200);
      expect(r.json().status).toBe('deactivated');
    }
    expectProblem(await getMe(inf), 403, 'account_deactivated');
  });

  it('answers 200 unchanged for a user already deactivated', async () => {
    const inf = await f.influencer();
    expect((await action(admin, inf.user.id, 'deactivate', { reason: 'first' })).statusCode).toBe(200);
    const again = await action(admin, inf.user.id, 'deactivate', { reason: 'second' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: inf.user.id, status: 'deactivated' });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await action(admin, randomUUID(), 'deactivate', { reason: 'x' }), 404, 'not_found');
    expectProblem(await action(admin, 'nope', 'deactivate', { reason: 'x' }), 404, 'not_found');
  });
});

describe('POST /admin/users/:id/reactivate', () => {
  it('requires authentication', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await action(null, gone.user.id, 'reactivate'), 401, 'unauthenticated');
    expect((await adminView(gone)).status).toBe('deactivated');
  });

  it('answers 403 to the wrong role, including the deactivated user itself', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await action(await f.sponsor(), gone.user.id, 'reactivate'), 403, 'forbidden');
    expectProblem(await action(gone, gone.user.id, 'reactivate'), 403, 'account_deactivated');
    expect((await adminView(gone)).status).toBe('deactivated');
  });

  it('returns an influencer to active: login works again, its old sessions stay ended', async () => {
    const inf = await f.influencer();
    const session = (await login(inf.user.email)).json();
    expect((await action(admin, inf.user.id, 'deactivate', { reason: 'Cooling off' })).statusCode).toBe(200);
    const before = await auditFor(inf.user.id);

    const res = await action(admin, inf.user.id, 'reactivate');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: inf.user.id, status: 'active' });
    await expectAudited(inf.user.id, 'reactivate', before);

    // The deactivation ended every session: reactivating the account does not revive them.
    expectProblem(await getMe(inf), 401, 'unauthenticated');
    expectProblem(await refresh(session.refreshToken), 401, 'unauthenticated');
    const fresh = await login(inf.user.email);
    expect(fresh.statusCode).toBe(200);
    const me = await call(ctx, 'GET', '/api/v1/me', {
      headers: { authorization: `Bearer ${fresh.json().accessToken}` },
    });
    expect(me.statusCode).toBe(200);
  });

  it('returns an approved sponsor to active', async () => {
    const spo = await f.sponsor();
    await action(admin, spo.user.id, 'deactivate', { reason: 'x' });
    expect((await action(admin, spo.user.id, 'reactivate')).json().status).toBe('active');
  });

  it('returns a sponsor that was never approved to pending_approval, and it can then be approved', async () => {
    const pending = await f.pendingSponsor();
    expect((await action(admin, pending.user.id, 'deactivate', { reason: 'x' })).statusCode).toBe(200);
    const res = await action(admin, pending.user.id, 'reactivate');
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('pending_approval');
    const session = (await login(pending.user.email)).json();
    const me = await call(ctx, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.json().status).toBe('pending_approval');
    expect((await action(admin, pending.user.id, 'approve')).json().status).toBe('active');
  });

  it('returns a sponsor approved through the API, then deactivated, to active', async () => {
    const pending = await f.pendingSponsor();
    await action(admin, pending.user.id, 'approve');
    await action(admin, pending.user.id, 'deactivate', { reason: 'x' });
    expect((await action(admin, pending.user.id, 'reactivate')).json().status).toBe('active');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await action(admin, randomUUID(), 'reactivate'), 404, 'not_found');
    expectProblem(await action(admin, 'zzz', 'reactivate'), 404, 'not_found');
  });
});

describe('POST /admin/users/:id/flag', () => {
  it('requires authentication', async () => {
    const inf = await f.influencer();
    expectProblem(await action(null, inf.user.id, 'flag', { reason: 'x' }), 401, 'unauthenticated');
    expect((await adminView(inf)).flagged).toBe(false);
  });

  it('answers 403 to the wrong role (another user cannot flag a rival)', async () => {
    const inf = await f.influencer();
    expectProblem(await action(await f.influencer(), inf.user.id, 'flag', { reason: 'rival' }), 403, 'forbidden');
    expectProblem(await action(await f.sponsor(), inf.user.id, 'flag', { reason: 'rival' }), 403, 'forbidden');
    expect((await adminView(inf)).flagged).toBe(false);
  });

  it('requires a non-blank reason', async () => {
    const inf = await f.influencer();
    expectValidation(await action(admin, inf.user.id, 'flag', {}), '/reason');
    expectValidation(await action(admin, inf.user.id, 'flag', { reason: ' ' }), '/reason');
    expectValidation(await action(admin, inf.user.id, 'flag', { reason: 'x', flagged: false }), '/flagged');
    expect((await adminView(inf)).flagged).toBe(false);
  });

  it('flags with the reason, visible to admins and to the user itself, and audits it', async () => {
    const inf = await f.influencer();
    const before = await auditFor(inf.user.id);
    const res = await action(admin, inf.user.id, 'flag', { reason: 'Fake audience' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: inf.user.id, flagged: true, flagReason: 'Fake audience', status: 'active' });
    await expectAudited(inf.user.id, 'flag', before);
    expect(await adminView(inf)).toMatchObject({ flagged: true, flagReason: 'Fake audience' });
    expect((await getMe(inf)).json()).toMatchObject({ flagged: true, flagReason: 'Fake audience' });
    // Flagging does not lock the user out.
    expect((await getMe(inf)).statusCode).toBe(200);
    const listed = await list(admin, `flagged=true&q=${encodeURIComponent(inf.user.email)}`);
    expect(listed.json().items.map((u: { id: string }) => u.id)).toEqual([inf.user.id]);
  });

  it('flags a sponsor', async () => {
    const spo = await f.sponsor();
    expect((await action(admin, spo.user.id, 'flag', { reason: 'Scam offers' })).json()).toMatchObject({
      flagged: true,
      flagReason: 'Scam offers',
    });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await action(admin, randomUUID(), 'flag', { reason: 'x' }), 404, 'not_found');
    expectProblem(await action(admin, 'not-an-id', 'flag', { reason: 'x' }), 404, 'not_found');
  });
});

describe('POST /admin/users/:id/unflag', () => {
  it('requires authentication', async () => {
    const inf = await f.influencer({ flagged: true, flagReason: 'x' });
    expectProblem(await action(null, inf.user.id, 'unflag'), 401, 'unauthenticated');
    expect((await adminView(inf)).flagged).toBe(true);
  });

  it('answers 403 to the wrong role', async () => {
    const inf = await f.influencer({ flagged: true, flagReason: 'x' });
    expectProblem(await action(await f.sponsor(), inf.user.id, 'unflag'), 403, 'forbidden');
    expect((await adminView(inf)).flagged).toBe(true);
  });

  it('removes the flag and its reason, and audits it', async () => {
    const inf = await f.influencer();
    await action(admin, inf.user.id, 'flag', { reason: 'Suspicious' });
    const before = await auditFor(inf.user.id);
    const res = await action(admin, inf.user.id, 'unflag');
    expect(res.statusCode).toBe(200);
    expect(res.json().flagged).toBe(false);
    expect(res.json().flagReason ?? null).toBeNull();
    await expectAudited(inf.user.id, 'unflag', before);
    const seen = await adminView(inf);
    expect(seen.flagged).toBe(false);
    expect(seen.flagReason ?? null).toBeNull();
    expect((await getMe(inf)).json().flagged).toBe(false);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await action(admin, randomUUID(), 'unflag'), 404, 'not_found');
    expectProblem(await action(admin, 'x', 'unflag'), 404, 'not_found');
  });
});
