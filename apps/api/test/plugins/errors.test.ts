import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { call, createTestApp, factories, type TestContext } from '../support/helpers.js';
import { expectProblem } from '../support/fixtures/http.js';

/**
 * The one error handler (plugins/errors.ts) on the faults no route causes: the database out of
 * reach, and requests the HTTP layer refuses before any route runs.
 */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const login = (ctx: Pick<TestContext, 'app'>) =>
  call(ctx as TestContext, 'POST', '/api/v1/auth/login', {
    body: { email: 'someone@example.com', password: 'correct horse battery staple' },
  });

function expectUnavailable(res: Awaited<ReturnType<typeof call>>) {
  const body = expectProblem(res, 503, 'unavailable');
  expect(res.headers['retry-after']).toBe('5');
  return body;
}

describe('while the database is unreachable', () => {
  it('answers 503 unavailable with Retry-After when PostgreSQL refuses connections', async () => {
    // A server that is down: nothing listens on port 1, so every connection is refused (ECONNREFUSED).
    const config = loadConfig(
      {},
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: '/nonexistent',
        JWT_SECRET: 'x'.repeat(32),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test',
      },
    );
    const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: 'memory://' });
    const app = await buildApp(config, { database, redis: null, logger: false });
    cleanups.push(() => app.close());
    await app.ready();

    const body = expectUnavailable(await login({ app }));
    expect(body.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const health = await call({ app } as TestContext, 'GET', '/api/v1/health');
    expect(health.statusCode).toBe(503);
  });

  it('answers 503 unavailable with Retry-After when the database is closed under the app', async () => {
    const ctx = await createTestApp();
    cleanups.push(() => ctx.close());
    const user = await factories(ctx).influencer();
    await ctx.database.close();
    if (ctx.onPostgres) {
      // A pool that was ended cannot be ended again: the test context would on close.
      (ctx.database as { close: () => Promise<void> }).close = async () => undefined;
    }

    expectUnavailable(await login(ctx));
    // The authentication gate reads the account too.
    expectUnavailable(await call(ctx, 'GET', '/api/v1/me', { auth: user }));
  });
});

/** A raw HTTP/1.1 exchange with a listening server: what inject cannot send (oversized heads). */
function raw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => any;
}> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests refused before any route runs', () => {
  let ctx: TestContext;
  let port: number;
  beforeAll(async () => {
    ctx = await createTestApp();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => ctx?.close());

  const MARKER = 'echo-me-not';
  /** Problem details with a code that repeat nothing of the request. */
  function expectOpaqueProblem(res: Awaited<ReturnType<typeof raw>>, status: number, code: string) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status, code });
    expect(typeof body.type).toBe('string');
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(typeof body.requestId).toBe('string');
    expect(res.body).not.toContain(MARKER);
    return body;
  }

  it('answers an over-long path parameter with 414 problem+json that does not echo the URL', async () => {
    const res = await raw(port, `/api/v1/campaigns/${MARKER}${'x'.repeat(300)}`);
    const body = expectOpaqueProblem(res, 414, 'uri_too_long');
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers an undecodable URL with 400 problem+json that does not echo it', async () => {
    expectOpaqueProblem(await raw(port, `/api/v1/campaigns/${MARKER}%E0%A4%A`), 400, 'validation_failed');
  });

  it('answers over-large headers with 431 problem+json', async () => {
    const res = await raw(port, '/api/v1/meta', { 'x-filler': `${MARKER}${'a'.repeat(20_000)}` });
    expectOpaqueProblem(res, 431, 'headers_too_large');
  });

  it('answers an over-large query string with 431 problem+json', async () => {
    const res = await raw(port, `/api/v1/meta?q=${MARKER}${'a'.repeat(20_000)}`);
    expectOpaqueProblem(res, 431, 'headers_too_large');
  });

  it('answers an unknown route with 404 problem+json that does not echo its path or query', async () => {
    const res = await raw(port, `/api/v1/${MARKER}/<script>?q=${MARKER}`);
    expectOpaqueProblem(res, 404, 'not_found');
    expect(res.body).not.toContain('<script>');
  });

  it('answers bytes that are not HTTP with a 400 problem+json on the socket', async () => {
    for (const garbage of [
      `${MARKER}\r\n\r\n`,
      `GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nBad Header ${MARKER}\r\n\r\n`,
      `\u0000\u0001\u0002${MARKER}\xff\xfe\r\n\r\n`,
    ]) {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(garbage, 'latin1'));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      expect(statusLine).toMatch(/^HTTP\/1\.1 400 /);
      const headers = Object.fromEntries(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      expectOpaqueProblem({ statusCode: 400, headers, body, json: () => JSON.parse(body) }, 400, 'validation_failed');
      expect(Buffer.byteLength(body)).toBe(Number(headers['content-length']));
    }
  });
});

describe('problems repeat nothing of the request', () => {
  it('a malformed JSON body is a 400 whose detail does not quote the body', async () => {
    const ctx = await createTestApp();
    cleanups.push(() => ctx.close());
    for (const payload of [
      '{"email": echo-me-not}',
      '{"email":"echo-me-not"',
      `{"a":"${'x'.repeat(200)}echo-me-not}`,
    ]) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectProblem(res as never, 400, 'validation_failed');
      // V8's parse errors quote the text around the fault (cut short, so look for any of it).
      expect(res.json().detail).not.toMatch(/echo|email|xxx/);
    }
  });
});
