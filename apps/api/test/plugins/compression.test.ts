import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_THRESHOLD_BYTES } from '../../src/app.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../support/helpers.js';

/**
 * JSON answers go out compressed when the client accepts it and they are big enough to gain
 * (issue 11, item 13); small ones, such as every answer with a token in it, are sent as they are.
 */

let ctx: TestContext;
let influencer: TestUser;
let sponsor: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  const f = factories(ctx);
  influencer = await f.user('influencer');
  sponsor = await f.user('sponsor');
  for (let i = 0; i < 12; i++) await f.campaign({ sponsor, name: `Compressed campaign ${i}` });
});
afterAll(async () => ctx?.close());

const list = (encoding?: string) =>
  call(ctx, 'GET', '/api/v1/campaigns?limit=12', {
    auth: influencer,
    headers: encoding ? { 'accept-encoding': encoding } : {},
  });

describe('JSON response compression', () => {
  it('sends a page of campaigns as Brotli, or gzip, by Accept-Encoding, with the same JSON inside', async () => {
    const plain = await list();
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json().items).toHaveLength(12);
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);

    const br = await list('gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^application\/json/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const inflated = brotliDecompressSync(br.rawPayload).toString();
    expect(JSON.parse(inflated)).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);

    const gz = await list('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
  });

  it('sends the answer uncompressed when the client accepts only identity', async () => {
    const identity = await list('identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.json().items).toHaveLength(12);
  });

  it('leaves answers under the threshold alone, such as the login answer that carries tokens', async () => {
    const login = await call(ctx, 'POST', '/api/v1/auth/login', {
      body: { email: influencer.user.email, password: influencer.password },
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.rawPayload.length).toBeLessThan(COMPRESS_THRESHOLD_BYTES);
    expect(login.headers['content-encoding']).toBeUndefined();
    expect(login.json().accessToken).toEqual(expect.any(String));
  });

  it('does not accept a compressed request body: it is refused as problem+json and changes nothing', async () => {
    const body = gzipSync(JSON.stringify({ name: 'Zipped', description: 'x' }));
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: { ...sponsor.auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: body,
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const mine = await call(ctx, 'GET', '/api/v1/campaigns?limit=50', { auth: sponsor });
    expect(mine.json().items.map((c: { name: string }) => c.name)).not.toContain('Zipped');
  });
});
