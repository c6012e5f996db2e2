import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapAdmins, upsertAdmin } from '../../../src/modules/accounts/admin-bootstrap.js';
import { call, createTestApp, factories, TEST_PASSWORD, uniqueEmail, type TestContext } from '../../support/helpers.js';
import { expectProblem } from '../../support/fixtures/http.js';

/**
 * API.md "Admin bootstrap": the configured admin is created at start when no user has that
 * email; a database without any admin gets admin@iescp.local with a password printed once; the
 * CLI creates or resets an admin. Checked through the startup functions and HTTP login.
 */

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

function recordingLog() {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  const log = {
    info: record,
    warn: record,
    error: record,
    debug: record,
    trace: record,
    fatal: record,
    child: () => log,
    level: 'info',
    silent: record,
  };
  return { log: log as unknown as FastifyBaseLogger, lines };
}

const login = (email: string, password: string) =>
  call(ctx!, 'POST', '/api/v1/auth/login', { body: { email, password } });
async function adminCount() {
  const f = factories(ctx!);
  const me = await f.admin();
  const res = await call(ctx!, 'GET', '/api/v1/admin/users?role=admin&limit=100', { auth: me });
  return res.json().items.filter((u: { id: string }) => u.id !== me.user.id) as { email: string }[];
}

describe('admin bootstrap at start', () => {
  it('gives a database without any admin admin@iescp.local, with its password printed once', async () => {
    ctx = await createTestApp();
    const first = recordingLog();
    await bootstrapAdmins(ctx.db, first.log, {});
    const text = first.lines.join('\n');
    expect(text).toContain('admin@iescp.local');
    const res = await call(ctx, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@iescp.local', password: 'wrong-password' },
    });
    expectProblem(res, 401, 'invalid_credentials');
    // The printed line carries the password: one of its words logs in.
    const words = text.split(/[\s"'`,()]+/).filter((w) => w.length >= 10 && w.length <= 128 && !w.includes('@'));
    let password: string | undefined;
    for (const word of words) {
      if ((await login('admin@iescp.local', word)).statusCode === 200) {
        password = word;
        break;
      }
    }
    expect(password, `a password in: ${text.replace(/\S{10,}/g, '…')}`).toBeDefined();
    expect((await login('admin@iescp.local', password!)).json().user).toMatchObject({
      role: 'admin',
      status: 'active',
    });

    // A second start creates nothing and prints no password.
    const second = recordingLog();
    await bootstrapAdmins(ctx.db, second.log, {});
    expect(second.lines.join('\n')).not.toContain(password!);
    expect((await login('admin@iescp.local', password!)).statusCode).toBe(200);
    expect((await adminCount()).map((u) => u.email)).toEqual(['admin@iescp.local']);
  });

  it('creates the configured admin (email case-insensitive), and then no default one', async () => {
    ctx = await createTestApp();
    const email = uniqueEmail('boss');
    await bootstrapAdmins(ctx.db, recordingLog().log, { email: email.toUpperCase(), password: 'configured-password' });
    const res = await login(email, 'configured-password');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'admin', status: 'active', email });
    expect((await adminCount()).map((u) => u.email)).toEqual([email]);
  });

  it('leaves an existing user with the configured email alone', async () => {
    ctx = await createTestApp();
    const f = factories(ctx);
    const existing = await f.admin();
    await bootstrapAdmins(ctx.db, recordingLog().log, { email: existing.user.email, password: 'another-password' });
    expect((await login(existing.user.email, TEST_PASSWORD)).statusCode).toBe(200);
    expectProblem(await login(existing.user.email, 'another-password'), 401, 'invalid_credentials');

    const inf = await f.influencer();
    await bootstrapAdmins(ctx.db, recordingLog().log, { email: inf.user.email, password: 'another-password' });
    const still = await login(inf.user.email, TEST_PASSWORD);
    expect(still.statusCode).toBe(200);
    expect(still.json().user.role).toBe('influencer');
  });
});

describe('the admin CLI command (upsertAdmin)', () => {
  it('creates an admin, resets its password, and refuses to promote a non-admin', async () => {
    const app = (ctx = await createTestApp());
    const email = uniqueEmail('cli');
    expect((await upsertAdmin(ctx.db, email, 'first-password')).created).toBe(true);
    const first = (await login(email, 'first-password')).json();
    expect(first.user.role).toBe('admin');
    const meWith = (accessToken: string) =>
      call(app, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await meWith(first.accessToken)).statusCode).toBe(200);

    expect((await upsertAdmin(ctx.db, email, 'second-password')).created).toBe(false);
    // A reset password ends the sessions opened with the old one, as a password change does.
    expectProblem(await meWith(first.accessToken), 401, 'unauthenticated');
    expect((await login(email, 'second-password')).statusCode).toBe(200);
    expectProblem(await login(email, 'first-password'), 401, 'invalid_credentials');

    const inf = await factories(ctx).influencer();
    await expect(upsertAdmin(ctx.db, inf.user.email, 'promote-me-please')).rejects.toThrow();
    expect((await login(inf.user.email, TEST_PASSWORD)).json().user.role).toBe('influencer');
  });
});
