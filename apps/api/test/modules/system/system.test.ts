import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';

/**
 * What every route shares (API.md "Conventions"): problem+json errors, request ids, security
 * headers, the OpenAPI document; plus the public GET /health and GET /meta.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

describe('GET /health', () => {
  it('is public and reports database, cache and queue', async () => {
    const res = await call(ctx, 'GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    const body = res.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['status', 'db', 'cache', 'queue']));
    expect(body.status).toBe('ok');
    expect(body.db).toBe('ok');
    // In memory without REDIS_URL; the Redis server answers when it is configured.
    if (ctx.usingRedis) expect(body.cache).toBe('ok');
    else expect(typeof body.cache).toBe('string');
    expect(typeof body.queue).toBe('string');
  });

  it('ignores credentials, even bad ones', async () => {
    expect((await call(ctx, 'GET', '/api/v1/health', { headers: { authorization: 'Bearer broken' } })).statusCode).toBe(
      200,
    );
  });
});

describe('GET /meta', () => {
  it('is public and tells the currency, niches, platforms and limits', async () => {
    const res = await call(ctx, 'GET', '/api/v1/meta');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    const body = res.json();
    expect(body.currency).toMatch(/^[A-Z]{3}$/);
    expect(body.niches).toEqual(
      expect.arrayContaining([
        'fashion',
        'beauty',
        'fitness',
        'food',
        'travel',
        'tech',
        'gaming',
        'finance',
        'education',
        'lifestyle',
        'parenting',
        'music',
        'sports',
        'other',
      ]),
    );
    expect(body.platforms).toEqual(
      expect.arrayContaining(['instagram', 'youtube', 'tiktok', 'x', 'twitch', 'linkedin', 'blog', 'other']),
    );
    expect(new Set(body.niches).size).toBe(body.niches.length);
    expect(new Set(body.platforms).size).toBe(body.platforms.length);
    expect(body.limits).toBeTypeOf('object');
    expect(body.limits).not.toBeNull();
    expect(Array.isArray(body.limits)).toBe(false);
  });

  it('is what the server validates against: every niche it lists is accepted in a profile', async () => {
    const meta = (await call(ctx, 'GET', '/api/v1/meta')).json();
    const inf = await f.influencer();
    for (const niche of meta.niches) {
      expect((await call(ctx, 'PATCH', '/api/v1/me', { auth: inf, body: { profile: { niche } } })).statusCode).toBe(
        200,
      );
    }
    const platforms = meta.platforms.map((platform: string, i: number) => ({
      platform,
      handle: `h${i}`,
      followers: i,
    }));
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: inf,
      body: { profile: { platforms: platforms.slice(0, 12) } },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('errors are RFC 9457 problem+json', () => {
  it('unknown route → 404 not_found', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/no-such-route'), 404, 'not_found');
    expectProblem(await call(ctx, 'POST', '/api/v1/no-such-route', { body: { a: 1 } }), 404, 'not_found');
    expectProblem(await call(ctx, 'GET', '/api/v1/admin/users/some-id/not-an-action'), 404, 'not_found');
    const inf = await f.influencer();
    expectProblem(await call(ctx, 'DELETE', '/api/v1/me/nothing', { auth: inf }), 404, 'not_found');
  });

  it('validation → 400 validation_failed listing every issue with a JSON pointer', async () => {
    const res = await call(ctx, 'POST', '/api/v1/auth/signup', {
      body: { email: 'x', password: 'short', role: 'admin', extra: 1 },
    });
    const body = expectValidation(res, '/email', '/password', '/role', '/displayName', '/extra');
    for (const issue of body.errors) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('malformed JSON → 400 validation_failed', async () => {
    for (const payload of ['{"email":', '{email: "a@b.test"}', "{'a':1}", '[1,2', 'null x']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectProblem(res as never, 400, 'validation_failed');
    }
  });

  it('prototype-poisoning JSON → 400, and it poisons nothing', async () => {
    const payload = '{"email":"a@b.test","password":"whatever-long","__proto__":{"polluted":true}}';
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectProblem(res as never, 400, 'validation_failed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body over 1 MiB → 413 payload_too_large', async () => {
    const payload = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectProblem(res as never, 413, 'payload_too_large');
    const inf = await f.influencer();
    const big = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: inf,
      body: { profile: { bio: 'b'.repeat(1_100_000) } },
    });
    expectProblem(big, 413, 'payload_too_large');
  });

  it('a body just under 1 MiB is read (and then judged by the schema)', async () => {
    const inf = await f.influencer();
    const res = await call(ctx, 'PATCH', '/api/v1/me', {
      auth: inf,
      body: { profile: { bio: 'b'.repeat(1_000_000) } },
    });
    expectValidation(res, '/profile/bio');
  });

  it('a form-encoded body on a JSON route → 415 unsupported_media_type', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.test&password=whatever-long',
    });
    expectProblem(res as never, 415, 'unsupported_media_type');
  });

  it('a text/plain body on a JSON route → 415 unsupported_media_type', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: '{"email":"a@b.test","password":"whatever-long"}',
    });
    expectProblem(res as never, 415, 'unsupported_media_type');
  });

  it('401, 403 are problems too', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/me'), 401, 'unauthenticated');
    expectProblem(await call(ctx, 'GET', '/api/v1/admin/users', { auth: await f.influencer() }), 403, 'forbidden');
  });
});

describe('request ids', () => {
  it('echoes a given x-request-id, on success and in problems', async () => {
    const ok = await call(ctx, 'GET', '/api/v1/health', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(ok.headers['x-request-id']).toBe('req-abc.123');
    const bad = await call(ctx, 'GET', '/api/v1/nowhere', { headers: { 'x-request-id': 'req-xyz-789' } });
    expect(bad.headers['x-request-id']).toBe('req-xyz-789');
    expect(expectProblem(bad, 404, 'not_found').requestId).toBe('req-xyz-789');
  });

  it('makes one up when none is given, different per request', async () => {
    const a = await call(ctx, 'GET', '/api/v1/health');
    const b = await call(ctx, 'GET', '/api/v1/health');
    expect(typeof a.headers['x-request-id']).toBe('string');
    expect((a.headers['x-request-id'] as string).length).toBeGreaterThan(0);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('does not echo a header that could inject into logs or responses', async () => {
    const evil = 'x'.repeat(500);
    const res = await call(ctx, 'GET', '/api/v1/health', { headers: { 'x-request-id': evil } });
    expect(res.headers['x-request-id']).not.toBe(evil);
    expect(typeof res.headers['x-request-id']).toBe('string');
  });
});

describe('security headers', () => {
  it.each([
    ['a JSON answer', '/api/v1/meta'],
    ['a problem', '/api/v1/no-such-route'],
  ])('are present on %s', async (_name, url) => {
    const res = await call(ctx, 'GET', url);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-frame-options'] ?? res.headers['content-security-policy']).toBeTruthy();
    expect(res.headers['referrer-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('GET /api/v1/openapi.json', () => {
  /** The contract's routes implemented so far (API.md), with the methods each must document. */
  const CONTRACT: [string, string][] = [
    ['post', '/auth/signup'],
    ['post', '/auth/login'],
    ['post', '/auth/refresh'],
    ['post', '/auth/logout'],
    ['get', '/me'],
    ['patch', '/me'],
    ['put', '/me/avatar'],
    ['get', '/meta'],
    ['get', '/health'],
    ['get', '/admin/users'],
    ['post', '/admin/users/{id}/approve'],
    ['post', '/admin/users/{id}/deactivate'],
    ['post', '/admin/users/{id}/reactivate'],
    ['post', '/admin/users/{id}/flag'],
    ['post', '/admin/users/{id}/unflag'],
    ['get', '/admin/audit-log'],
    // Directory and campaigns, implemented since.
    ['get', '/influencers'],
    ['get', '/influencers/{id}'],
    ['get', '/sponsors/{id}'],
    ['post', '/campaigns'],
    ['get', '/campaigns'],
    ['get', '/campaigns/{id}'],
    ['patch', '/campaigns/{id}'],
    ['delete', '/campaigns/{id}'],
    ['get', '/campaigns/{id}/stats'],
    ['post', '/admin/campaigns/{id}/flag'],
    ['post', '/admin/campaigns/{id}/unflag'],
  ];
  const PUBLIC = new Set(['/auth/signup', '/auth/login', '/auth/refresh', '/meta', '/health']);

  let doc: any;
  beforeAll(async () => {
    const res = await call(ctx, 'GET', '/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json();
  });

  /** The document's path item for a contract path, whether it spells the /api/v1 base or not. */
  function pathItem(path: string): Record<string, any> | undefined {
    const base = typeof doc.servers?.[0]?.url === 'string' && doc.servers[0].url.replace(/\/$/, '').endsWith('/api/v1');
    return doc.paths?.[base ? path : `/api/v1${path}`] ?? doc.paths?.[`/api/v1${path}`] ?? doc.paths?.[path];
  }

  it('is public and an OpenAPI 3.x document', async () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(typeof doc.info?.title).toBe('string');
    expect(typeof doc.info?.version).toBe('string');
    expect(doc.paths).toBeTypeOf('object');
  });

  it.each(CONTRACT)('describes %s %s', (method, path) => {
    const item = pathItem(path);
    expect(item, `path ${path}`).toBeDefined();
    const op = item![method];
    expect(op, `${method.toUpperCase()} ${path}`).toBeDefined();
    expect(op.responses).toBeTypeOf('object');
    expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    if (path.includes('{id}')) {
      const params = [...(op.parameters ?? []), ...(item!.parameters ?? [])];
      expect(params.some((p: any) => p.name === 'id' && p.in === 'path')).toBe(true);
    }
  });

  it.each(CONTRACT.filter(([, p]) => !PUBLIC.has(p)))('marks %s %s as needing a bearer token', (method, path) => {
    const op = pathItem(path)![method];
    const security = op.security ?? doc.security;
    expect(Array.isArray(security) && security.length > 0).toBe(true);
    const schemes = doc.components?.securitySchemes ?? {};
    const names = security.flatMap((s: Record<string, unknown>) => Object.keys(s));
    expect(
      names.some((n: string) => schemes[n]?.type === 'http' && String(schemes[n]?.scheme).toLowerCase() === 'bearer'),
    ).toBe(true);
  });

  it('documents the JSON request bodies', () => {
    for (const [method, path] of [
      ['post', '/auth/signup'],
      ['post', '/auth/login'],
      ['patch', '/me'],
      ['post', '/admin/users/{id}/deactivate'],
      ['post', '/admin/users/{id}/flag'],
    ] as const) {
      expect(pathItem(path)![method].requestBody?.content?.['application/json'], `${method} ${path}`).toBeDefined();
    }
  });

  it('documents the multipart body of the avatar upload, with its `file` field', () => {
    const media = pathItem('/me/avatar')!.put.requestBody?.content?.['multipart/form-data'];
    expect(media, 'PUT /me/avatar requestBody multipart/form-data').toBeDefined();
    expect(media.schema?.properties?.file).toBeDefined();
  });

  it('documents error answers as application/problem+json', () => {
    const wrong: string[] = [];
    for (const [method, path] of CONTRACT) {
      for (const [status, response] of Object.entries<any>(pathItem(path)![method].responses)) {
        // The health check's 503 is its own status document (API.md), not a problem.
        if (path === '/health' && status === '503') continue;
        if (Number(status) >= 400 && response.content && !response.content['application/problem+json']) {
          wrong.push(`${method.toUpperCase()} ${path} ${status}: ${Object.keys(response.content).join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('resolves every $ref it uses', () => {
    const refs = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.add(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    for (const ref of refs) {
      expect(ref.startsWith('#/'), ref).toBe(true);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, `unresolved ${ref}`).toBeDefined();
    }
  });
});
