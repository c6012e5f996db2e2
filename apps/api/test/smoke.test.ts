import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext } from './helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('smoke', () => {
  it('serves health and me', async () => {
    const res = await call(ctx, 'GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    const f = factories(ctx);
    const inf = await f.influencer();
    const me = await call(ctx, 'GET', '/api/v1/me', { auth: inf });
    expect(me.statusCode).toBe(200);
    expect(me.json().profile.reach).toBe(1000);
  });
});
