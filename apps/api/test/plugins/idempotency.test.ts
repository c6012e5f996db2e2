import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, idempotencyKeys } from '../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext } from '../support/helpers.js';

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

async function auditRowsFor(subjectId: string) {
  return ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, subjectId));
}

describe('Idempotency-Key on state-changing POSTs', () => {
  it('replays the first response for a retry and applies the change once', async () => {
    const admin = await f.admin();
    const target = await f.influencer();
    const send = () =>
      call(ctx, 'POST', `/api/v1/admin/users/${target.user.id}/flag`, {
        auth: admin,
        body: { reason: 'spam' },
        headers: { 'idempotency-key': 'flag-once-1' },
      });
    const first = await send();
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Unflag in between: a replay must not flag again.
    expect((await call(ctx, 'POST', `/api/v1/admin/users/${target.user.id}/unflag`, { auth: admin })).statusCode).toBe(
      200,
    );
    const retry = await send();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const flags = (await auditRowsFor(target.user.id)).filter((r) => r.action === 'user.flag');
    expect(flags).toHaveLength(1);
    const me = await call(ctx, 'GET', '/api/v1/me', { auth: target });
    expect(me.json().flagged).toBe(false);
  });

  it('refuses the same key for a different request with 409 conflict', async () => {
    const admin = await f.admin();
    const a = await f.influencer();
    const b = await f.influencer();
    const headers = { 'idempotency-key': 'shared-key' };
    expect(
      (
        await call(ctx, 'POST', `/api/v1/admin/users/${a.user.id}/flag`, {
          auth: admin,
          body: { reason: 'x' },
          headers,
        })
      ).statusCode,
    ).toBe(200);
    const other = await call(ctx, 'POST', `/api/v1/admin/users/${b.user.id}/flag`, {
      auth: admin,
      body: { reason: 'x' },
      headers,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('conflict');
    expect((await call(ctx, 'GET', '/api/v1/me', { auth: b })).json().flagged).toBe(false);
  });

  it('keeps keys per user: another admin using the same key acts normally', async () => {
    const first = await f.admin();
    const second = await f.admin();
    const target = await f.sponsor();
    const headers = { 'idempotency-key': 'per-user' };
    const url = `/api/v1/admin/users/${target.user.id}/flag`;
    expect((await call(ctx, 'POST', url, { auth: first, body: { reason: 'a' }, headers })).statusCode).toBe(200);
    const res = await call(ctx, 'POST', url, { auth: second, body: { reason: 'a' }, headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays a refusal too, and rejects a malformed key with 400', async () => {
    const admin = await f.admin();
    const influencer = await f.influencer();
    const headers = { 'idempotency-key': 'approve-influencer' };
    const url = `/api/v1/admin/users/${influencer.user.id}/approve`;
    const first = await call(ctx, 'POST', url, { auth: admin, headers });
    expect(first.statusCode).toBe(409);
    const again = await call(ctx, 'POST', url, { auth: admin, headers });
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);

    const bad = await call(ctx, 'POST', url, { auth: admin, headers: { 'idempotency-key': 'x'.repeat(256) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    const rows = await ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, admin.user.id));
    expect(rows.map((r) => r.key)).toEqual(['approve-influencer']);
  });
});
