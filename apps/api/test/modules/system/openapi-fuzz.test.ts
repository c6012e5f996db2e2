import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { uploadAvatar } from '../../support/fixtures/http.js';
import { pngImage } from '../../support/fixtures/images.js';
import {
  nastyString,
  nastyValue,
  SchemaArbitraries,
  type JsonSchema,
} from '../../support/fixtures/schema-arbitrary.js';

/**
 * Property-based fuzzing of every operation of the SERVED OpenAPI document: path params, query
 * strings and bodies that conform (so handlers run, on real ids of existing rows) and that do not
 * (wrong types, missing and extra fields, prototype keys, huge and control-character strings,
 * out-of-range numbers), sent as each role. Whatever arrives, the API never answers 5xx, and
 * every 4xx is problem+json with a string `code`, the HTTP status in `status`, and nothing of
 * the request repeated in its text (the contract allows the field's JSON pointer in `errors`).
 *
 * FUZZ_RUNS cases per operation (default 50) from FUZZ_SEED (default fixed, so CI runs are
 * reproducible); a failure names the seed to rerun it with. FUZZ_STATS=1 prints the answers' spread.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);

/** FUZZ_STATS=1 prints how often each operation answered each status per role: do cases reach the handlers? */
const stats = new Map<string, number>();
const tally = (key: string) => stats.set(key, (stats.get(key) ?? 0) + 1);
afterAll(() => {
  if (process.env.FUZZ_STATS) console.log([...stats].map(([key, n]) => `${key}: ${n}`).join('\n'));
});

interface Operation {
  method: string;
  path: string;
  parameters: { in: 'path' | 'query'; name: string; schema: JsonSchema; required?: boolean }[];
  body?: { type: string; schema: JsonSchema; required: boolean };
}

interface World {
  sponsor: TestUser;
  influencer: TestUser;
  admin: TestUser;
  /** Ids of existing rows of every kind: path params and `*Id` fields pick them often. */
  ids: string[];
  refreshToken: string;
  avatarKey: string;
}

type Role = 'anonymous' | 'sponsor' | 'influencer' | 'admin' | 'forged';
const ROLES: Role[] = ['anonymous', 'sponsor', 'influencer', 'admin', 'forged'];

interface FuzzRequest {
  role: Role;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Text from the input that an answer must not repeat. */
  echoable: string[];
}

const ctx: TestContext = await createTestApp();
afterAll(async () => ctx.close());
const document = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, JsonSchema> };
};
const png = await pngImage();
/** The contract's own words (roles, statuses, niches): a detail may name them without echoing anyone. */
const vocabulary = new Set<unknown>(
  JSON.stringify(document)
    .match(/"enum":\[[^\]]*\]/g)
    ?.flatMap((m) => JSON.parse(m.slice(7)) as unknown[]) ?? [],
);

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => {
    const content = op.requestBody?.content ?? {};
    const type = Object.keys(content)[0];
    return {
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: type ? { type, schema: content[type].schema, required: Boolean(op.requestBody.required) } : undefined,
    };
  }),
);

/** Fresh rows for one operation, so what an earlier operation changed (a deactivation, a logout) cannot hide a later one's paths. */
async function makeWorld(): Promise<World> {
  const f = factories(ctx);
  const [sponsor, influencer, admin, other] = await Promise.all([
    f.sponsor(),
    f.influencer(),
    f.admin(),
    f.influencer(),
  ]);
  const campaign = await f.campaign({ sponsor });
  const hidden = await f.campaign({ sponsor, visibility: 'private' });
  const deal = await f.adRequest({ campaign, influencer });
  const accepted = await f.adRequest({ campaign, influencer: other, status: 'accepted' });
  const conversation = await f.conversation({ sponsor, influencer });
  const message = await f.message({ conversation, from: sponsor });
  const notifications = (await call(ctx, 'GET', '/api/v1/notifications', { auth: influencer })).json().items ?? [];
  const login = await call(ctx, 'POST', '/api/v1/auth/login', {
    body: { email: sponsor.user.email, password: sponsor.password },
  });
  const avatar = await uploadAvatar(ctx, influencer, png);
  const avatarUrl: string = avatar.json().avatarUrl ?? avatar.json().user?.avatarUrl ?? '';
  // The fuzzing is only as deep as these are real.
  expect(notifications.length).toBeGreaterThan(0);
  expect(login.json().refreshToken).toEqual(expect.any(String));
  expect(avatarUrl).toMatch(/\/avatars\/[^/]+$/);
  return {
    sponsor,
    influencer,
    admin,
    ids: [
      ...[sponsor, influencer, admin, other].map((u) => u.user.id),
      campaign.id,
      hidden.id,
      deal.id,
      accepted.id,
      conversation.id,
      message.id,
      ...notifications.map((n: { id: string }) => n.id),
    ],
    refreshToken: login.json().refreshToken ?? '',
    avatarKey: avatarUrl.split('/').pop() ?? '',
  };
}

/** Text as a query value: scalars as they are, structures as JSON, arrays as repeated keys. */
function queryValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => (Array.isArray(v) ? [JSON.stringify(v)] : queryValues(v)));
  if (value !== null && typeof value === 'object') return [JSON.stringify(value)];
  return [String(value)];
}

/** encodeURIComponent refuses lone surrogates; a client would send them as U+FFFD. */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\uD800-\uDFFF]/g, (c, i: number, s: string) => {
      const code = c.charCodeAt(0);
      const pairHigh =
        code < 0xdc00 && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      const pairLow = code >= 0xdc00 && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00;
      return pairHigh || pairLow ? c : '\uFFFD';
    }),
  );
}

/** Every string of at least 8 characters in a value: long enough that a match is an echo, not chance. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [...value].length >= 8 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function multipartBody(boundary: string, filename: string, type: string, data: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    Buffer.from(data),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

function requests(op: Operation, world: World): fc.Arbitrary<FuzzRequest> {
  const known = (name: string): string[] | undefined => {
    if (name === 'id' || /Id$/.test(name)) return world.ids;
    if (name === 'refreshToken') return [world.refreshToken];
    if (name === 'key') return [world.avatarKey];
    return undefined;
  };
  const schemas = new SchemaArbitraries(document.components.schemas, known);

  const pathParams = fc.record(
    Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'path')
        .map((p) => [
          p.name,
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...(known(p.name) ?? ['x'])) },
            { weight: 2, arbitrary: schemas.valid(p.schema) },
            { weight: 1, arbitrary: nastyString },
          ),
        ]),
    ),
  );

  // Mostly a query that conforms as a whole (so the handler runs), else one parameter broken.
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  // A random `cursor` is refused (cursors are opaque and signed): mostly leave it out.
  const validQuery = fc
    .tuple(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, schemas.valid(p.schema)])), { requiredKeys: [] }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([q, keep1, keep2]) => {
      const { cursor, ...rest } = q;
      return keep1 && keep2 && cursor !== undefined ? { ...rest, cursor } : rest;
    });
  const brokenQuery =
    queryParams.length === 0
      ? validQuery
      : fc
          .tuple(
            validQuery,
            fc
              .constantFrom(...queryParams)
              .chain((p) =>
                fc.tuple(
                  fc.constant(p.name),
                  fc.oneof(nastyValue, fc.array(schemas.valid(p.schema), { minLength: 2, maxLength: 3 })),
                ),
              ),
          )
          .map(([q, [name, wrong]]) => ({ ...q, [name]: wrong }));
  const query = fc.tuple(
    fc.oneof({ weight: 2, arbitrary: validQuery }, { weight: 1, arbitrary: brokenQuery }),
    // Unknown parameters and text that is not valid percent-encoding.
    fc.option(
      fc.constantFrom('&%zz=%E0%A4%A', '&a[b][c]=1&a[__proto__][x]=1', '&=&&=x', '&__proto__=x&constructor=y'),
      { nil: '', freq: 4 },
    ),
  );

  let body: fc.Arbitrary<{ payload?: string | Buffer; contentType?: string; value?: unknown }>;
  const json = (value: unknown, contentType = 'application/json') => ({
    payload: JSON.stringify(value),
    contentType,
    value,
  });
  if (op.body?.type === 'application/json') {
    const schema = op.body.schema;
    body = fc.oneof(
      { weight: 4, arbitrary: schemas.valid(schema).map((v) => json(v)) },
      { weight: 4, arbitrary: schemas.invalid(schema).map((v) => json(v)) },
      {
        weight: 1,
        arbitrary: nastyString.map((text) => ({ payload: text, contentType: 'application/json', value: text })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            schemas.valid(schema),
            fc.constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/json; charset=utf-16',
              'multipart/form-data',
            ),
          )
          .map(([v, type]) => json(v, type)),
      },
      { weight: 1, arbitrary: fc.constant({}) },
    );
  } else if (op.body?.type === 'multipart/form-data') {
    const boundary = fc.oneof(
      fc.constant('fuzzboundary'),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 70 }),
    );
    body = fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            boundary,
            fc.oneof(fc.constant('avatar.png'), nastyString),
            fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'text/plain', '', 'image/png; x="'),
            fc.oneof(
              fc.constant(new Uint8Array(png)),
              fc.uint8Array({ maxLength: 4096 }),
              fc.uint8Array({ maxLength: 64 }).map((tail) => Buffer.concat([png.subarray(0, 40), tail])),
            ),
          )
          .map(([b, filename, type, data]) => ({
            payload: multipartBody(b.replace(/[\r\n]/g, ''), filename.replace(/[\r\n]/g, ''), type, data),
            contentType: `multipart/form-data; boundary=${b.replace(/[\r\n]/g, '')}`,
            value: filename,
          })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(boundary, fc.uint8Array({ maxLength: 2048 })).map(([b, data]) => ({
          payload: Buffer.from(data),
          contentType: `multipart/form-data; boundary=${b}`,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .uint8Array({ maxLength: 512 })
          .map((d) => ({ payload: Buffer.from(d), contentType: 'multipart/form-data' })),
      },
      { weight: 1, arbitrary: nastyValue.map((v) => json(v)) },
      { weight: 1, arbitrary: fc.constant({}) },
    );
  } else {
    // Operations without a body still get one now and then.
    body = fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: nastyValue.map((v) => json(v)) },
    );
  }

  return fc.tuple(fc.constantFrom(...ROLES), pathParams, query, body).map(([role, params, [q, garbage], b]) => {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(String(params[name] ?? '')));
    const search = Object.entries(q)
      .flatMap(([k, v]) => queryValues(v).map((s) => `${encode(k)}=${encode(s)}`))
      .join('&');
    const url = `${path}${search || garbage ? `?${search}${garbage}` : ''}`;
    const headers: Record<string, string> = {};
    const user = role === 'anonymous' || role === 'forged' ? null : world[role];
    if (user) Object.assign(headers, user.auth);
    if (role === 'forged') headers.authorization = `Bearer ${world.sponsor.token.slice(0, -4)}AAAA`;
    if (b.contentType !== undefined) headers['content-type'] = b.contentType;
    return {
      role,
      url,
      headers,
      payload: b.payload,
      echoable: [...strings(params), ...strings(q), ...strings(b.value)].filter(
        (s) => !world.ids.includes(s) && !vocabulary.has(s),
      ),
    };
  });
}

function describeRequest(op: Operation, r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  const payload =
    r.payload === undefined ? '' : typeof r.payload === 'string' ? r.payload : r.payload.toString('latin1');
  return `${op.method} ${cut(r.url)} as ${r.role} [${r.headers['content-type'] ?? 'no body type'}] ${JSON.stringify(cut(payload))}`;
}

function check(op: Operation, r: FuzzRequest, res: LightMyRequestResponse) {
  const what = `${describeRequest(op, r)} → ${res.statusCode} ${res.body.slice(0, 500)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  if (res.statusCode < 400) return;
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  const problem = res.json();
  expect(typeof problem.code, what).toBe('string');
  expect(problem.status, what).toBe(res.statusCode);
  // `errors[].path` names the field (the contract's JSON pointer); the rest is our own words.
  const text = JSON.stringify([
    problem.type,
    problem.title,
    problem.detail,
    ...(problem.errors ?? []).map((e: { message: string }) => e.message),
  ]);
  for (const input of r.echoable) {
    expect(
      text.includes(input) || text.includes(JSON.stringify(input).slice(1, -1)),
      `${what}\nechoes ${JSON.stringify(input.slice(0, 100))}`,
    ).toBe(false);
  }
}

describe(`OpenAPI fuzz (${RUNS} cases per operation, FUZZ_SEED=${SEED})`, () => {
  it('covers every documented operation', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}`, { timeout: 120_000 }, async () => {
      const world = await makeWorld();
      const send = async (r: FuzzRequest) => {
        const res = await ctx.app.inject({
          method: op.method as 'GET',
          url: r.url,
          headers: r.headers,
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
        });
        tally(`${op.method} ${op.path} as ${r.role} → ${res.statusCode}`);
        check(op, r, res);
      };
      try {
        await fc.assert(fc.asyncProperty(requests(op, world), send), { numRuns: RUNS, seed: SEED });
      } catch (error) {
        (error as Error).message = `Reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}.\n${(error as Error).message}`;
        throw error;
      }
    });
  }
});
