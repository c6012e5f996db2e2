import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlCharacterPaths } from '../../src/plugins/validation.js';
import { expectValidation } from '../support/fixtures/http.js';
import { campaignBody } from '../support/fixtures/search-campaigns.js';
import { call, createTestApp, factories, type TestContext } from '../support/helpers.js';

/**
 * Control characters (issue 11, item 1): PostgreSQL refuses NUL in text, so a NUL anywhere used
 * to be a 500. One rule in the validation layer answers 400 `validation_failed` naming the
 * field, for bodies, query strings and path parameters alike, and nothing changes.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

describe('controlCharacterPaths', () => {
  it('names every string with a C0 control or DEL by its JSON pointer, and lets tab, LF and CR through', () => {
    expect(controlCharacterPaths({ a: 'ok\t\n\r', b: ['x', 'y\u0000'], c: { 'd/e': '\u001f' }, n: 1 })).toEqual([
      '/b/1',
      '/c/d~1e',
    ]);
    expect(controlCharacterPaths('\u007f')).toEqual(['/']);
    expect(controlCharacterPaths({ a: 'naïve ✓ — “quotes”' })).toEqual([]);
  });
});

describe('control characters in requests', () => {
  it('a NUL in the login email (anonymous) is a 400 naming /email, not a 500', async () => {
    const res = await call(ctx, 'POST', '/api/v1/auth/login', {
      body: { email: 'x\u0000@t.example', password: 'whatever-password' },
    });
    const body = expectValidation(res, '/email');
    // The answer does not echo the value back.
    expect(res.body).not.toContain('\\u0000');
    expect(body.errors).toHaveLength(1);
  });

  it('PATCH /me with a NUL in displayName or a profile field changes nothing', async () => {
    const inf = await f.influencer();
    expectValidation(
      await call(ctx, 'PATCH', '/api/v1/me', { auth: inf, body: { displayName: 'Ma\u0000ya' } }),
      '/displayName',
    );
    expectValidation(
      await call(ctx, 'PATCH', '/api/v1/me', { auth: inf, body: { profile: { bio: 'bio\u0007' } } }),
      '/profile/bio',
    );
    const me = (await call(ctx, 'GET', '/api/v1/me', { auth: inf })).json();
    expect(me.displayName).toBe(inf.user.displayName);
    expect(me.profile.bio).toBe('Test bio');
  });

  it('tab and newline stay allowed in text', async () => {
    const inf = await f.influencer();
    const res = await call(ctx, 'PATCH', '/api/v1/me', { auth: inf, body: { profile: { bio: 'one\ttwo\nthree' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile.bio).toBe('one\ttwo\nthree');
  });

  it('a campaign with a control character in its name is refused and not created', async () => {
    const sponsor = await f.sponsor();
    const res = await call(ctx, 'POST', '/api/v1/campaigns', {
      auth: sponsor,
      body: campaignBody({ name: 'Launch\u0000', goals: 'ok\u001b[31m' }),
    });
    expectValidation(res, '/name', '/goals');
    const mine = await call(ctx, 'GET', '/api/v1/campaigns?mine=true', { auth: sponsor });
    expect(mine.json().items).toHaveLength(0);
  });

  it('a NUL in a query string or a path parameter is a 400, not a 500', async () => {
    const admin = await f.admin();
    expectValidation(await call(ctx, 'GET', '/api/v1/admin/users?q=a%00b', { auth: admin }), '/q');
    expectValidation(await call(ctx, 'GET', '/api/v1/campaigns/%00', { auth: admin }), '/id');
  });

  it('a NUL in a chat message is refused and nothing is stored', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    const chat = await f.conversation({ sponsor, influencer });
    expectValidation(
      await call(ctx, 'POST', `/api/v1/conversations/${chat.id}/messages`, {
        auth: sponsor,
        body: { body: 'hello\u0000' },
      }),
      '/body',
    );
    const page = await call(ctx, 'GET', `/api/v1/conversations/${chat.id}/messages`, { auth: sponsor });
    expect(page.json().items).toHaveLength(0);
  });
});

describe('deeply nested input', () => {
  // Found by the OpenAPI fuzz test: the control-character walk recursed once per level, so a
  // field holding a few thousand nested arrays overflowed the stack and answered 500.
  const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

  it('controlCharacterPaths walks any depth without overflowing the stack', () => {
    expect(controlCharacterPaths({ a: nested(200_000) })).toEqual([]);
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(controlCharacterPaths({ a: deep })).toEqual([`/a${'/0'.repeat(100_000)}`]);
  });

  it('a body field nested 100,000 arrays deep is a 400 naming the field, not a 500', async () => {
    // Sent as text: JSON.stringify itself recurses too deep for such a value.
    const res = await call(ctx, 'POST', '/api/v1/auth/refresh', {
      body: `{"refreshToken":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectValidation(res, '/refreshToken');
  });
});
