import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboundMails } from '../../../src/db/schema/index.js';
import { createUnsubscribeTokens, UNSUBSCRIBE_TTL_DAYS } from '../../../src/modules/mail/mail.tokens.js';
import { call, createTestApp, factories, queueApp, type TestContext, type TestUser } from '../../support/helpers.js';
import { startSmtpSink, type SmtpSink } from '../../support/fixtures/smtp-sink.js';
import { expectProblem } from '../../support/fixtures/http.js';

/**
 * Mail (issue 12, API.md "Dashboards, reports, exports, jobs, mail"): a mail caused by a change is
 * recorded with it and delivered by a job to a real SMTP server in this process (parsed with
 * mailparser); outages lose nothing; a job run twice sends once; one-click unsubscribe; the
 * admin's outbox.
 */

const PUBLIC_URL = 'https://iescp.example';
let sink: SmtpSink;
let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;

beforeAll(async () => {
  sink = await startSmtpSink();
  ctx = await createTestApp({ SMTP_URL: sink.url, PUBLIC_URL, MAIL_RETRY_LIMIT: 2, MAIL_RETRY_DELAY_SECONDS: 1 });
  f = factories(ctx);
  admin = await f.admin();
});
afterAll(async () => {
  await ctx?.close();
  await sink?.stop();
});
beforeEach(async () => {
  // Every test starts with the sink up and empty.
  await sink.stop();
  await sink.start();
  sink.received.length = 0;
});

const mailRows = (userId: string) => ctx.db.select().from(outboundMails).where(eq(outboundMails.userId, userId));
/** One run of the delivery job, as pg-boss runs it (`retryCount` retries came before). */
const deliver = (id: string, retryCount = 0) =>
  ctx.app.services.mail.deliver({ data: { id }, retryCount, retryLimit: 2 });

/** A sponsor approved by the admin through the API: the change that causes a `sponsor_approved` mail. */
async function approvedSponsor() {
  const sponsor = await f.pendingSponsor();
  const res = await call(ctx, 'POST', `/api/v1/admin/users/${sponsor.user.id}/approve`, { auth: admin });
  expect(res.statusCode).toBe(200);
  const [row, more] = await mailRows(sponsor.user.id);
  expect(more).toBeUndefined();
  return { sponsor, row: row! };
}

describe('a mail caused by a change', () => {
  it('is recorded queued with the change, then arrives with HTML and text parts, app links and one-click unsubscribe', async () => {
    const { sponsor, row } = await approvedSponsor();
    expect(row).toMatchObject({ status: 'queued', attempts: 0, kind: 'sponsor_approved', to: sponsor.user.email });
    expect(sink.received).toHaveLength(0); // the API did not wait for SMTP

    expect(await deliver(row.id)).toEqual({ sent: 1 });
    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: sponsor.user.email }] });
    expect(mail!.subject).toBe(row.subject);
    expect(mail!.html).toContain('style="'); // the layout's CSS is inlined
    expect(mail!.html).not.toContain('<style');
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/`);
    expect(mail!.text).toContain(`${PUBLIC_URL}/`);
    // The raw header lines, as a mail client reads them.
    const header = (name: string) =>
      mail!.headerLines
        .find((h) => h.key === name)
        ?.line.replace(/^[^:]+:\s*/, '')
        .replace(/\r?\n\s*/g, '');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = header('list-unsubscribe')!.replace(/^<|>$/g, '');
    expect(unsubscribeUrl.startsWith(`${PUBLIC_URL}/api/v1/unsubscribe?token=`)).toBe(true);
    // The footer's visible link goes to the web page (which asks first), with the same token.
    const token = new URL(unsubscribeUrl).searchParams.get('token')!;
    const page = `${PUBLIC_URL}/unsubscribe?token=${encodeURIComponent(token)}`;
    expect(mail!.html).toContain(`href="${page.replace(/&/g, '&amp;')}"`);
    expect(mail!.html).toContain('Unsubscribe from these emails');
    expect(mail!.text).toContain(`Unsubscribe from these emails: ${page}`);

    const [sent] = await mailRows(sponsor.user.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(sent!.sentAt).toBeInstanceOf(Date);

    // What a mail client does per RFC 8058: POST the form body to the List-Unsubscribe URL.
    const res = await ctx.app.inject({
      method: 'POST',
      url: unsubscribeUrl.slice(PUBLIC_URL.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'sponsor_approved', email: false });
    const settings = await call(ctx, 'GET', '/api/v1/me/notification-settings', { auth: sponsor });
    expect(settings.json().email.sponsor_approved).toBe(false);
    expect(settings.json().email.offer_received).toBe(true);
  });

  it('is not sent for a type the user switched off', async () => {
    const sponsor = await f.pendingSponsor();
    const patch = await call(ctx, 'PATCH', '/api/v1/me/notification-settings', {
      auth: sponsor,
      body: { email: { sponsor_approved: false } },
    });
    expect(patch.statusCode).toBe(200);
    expect(
      (await call(ctx, 'POST', `/api/v1/admin/users/${sponsor.user.id}/approve`, { auth: admin })).statusCode,
    ).toBe(200);
    expect(await mailRows(sponsor.user.id)).toHaveLength(0);
  });

  it('is recorded once per cause (dedupe key), however often the cause is replayed', async () => {
    const user = await f.influencer();
    const request = {
      userId: user.user.id,
      kind: 'offer_received' as const,
      dedupeKey: `test:${user.user.id}`,
      content: { subject: 'S', heading: 'H', paragraphs: ['P'], action: { label: 'Open', path: '/' }, reason: 'R' },
    };
    const first = await ctx.app.events.transaction((scope) => ctx.app.services.mail.queue(scope.tx, request));
    const second = await ctx.app.events.transaction((scope) => ctx.app.services.mail.queue(scope.tx, request));
    expect(first?.id).toBeDefined();
    expect(second).toBeUndefined();
    expect(await mailRows(user.user.id)).toHaveLength(1);
  });

  it('is rolled back with a change that is rolled back', async () => {
    const user = await f.influencer();
    await expect(
      ctx.app.events.transaction(async (scope) => {
        await ctx.app.services.mail.queue(scope.tx, {
          userId: user.user.id,
          kind: 'offer_received',
          dedupeKey: `rollback:${user.user.id}`,
          content: { subject: 'S', heading: 'H', paragraphs: ['P'], action: { label: 'Open', path: '/' }, reason: 'R' },
        });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await mailRows(user.user.id)).toHaveLength(0);
  });
});

describe('the delivery job', () => {
  it('sends once when it runs twice, one after the other or at the same time', async () => {
    const { row } = await approvedSponsor();
    expect(await deliver(row.id)).toEqual({ sent: 1 });
    expect(await deliver(row.id)).toEqual({ skipped: 1 });

    const { row: other } = await approvedSponsor();
    const results = await Promise.all([deliver(other.id), deliver(other.id)]);
    expect(results).toContainEqual({ sent: 1 });
    expect(results).toContainEqual({ skipped: 1 });
    await sink.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.received).toHaveLength(2);
    const [sent] = await ctx.db.select().from(outboundMails).where(eq(outboundMails.id, other.id));
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('loses nothing while the SMTP server is down: the error is kept, retries, failed after the last, the admin retries, delivered once back', async () => {
    const { sponsor, row } = await approvedSponsor();
    await sink.stop();

    await expect(deliver(row.id, 0)).rejects.toThrow();
    let [now] = await mailRows(sponsor.user.id);
    expect(now).toMatchObject({ status: 'queued', attempts: 1 });
    expect(now!.error).toBeTruthy();
    expect((await call(ctx, 'GET', '/api/v1/health')).json()).toMatchObject({ mail: 'down', status: 'degraded' });

    await expect(deliver(row.id, 1)).rejects.toThrow();
    await expect(deliver(row.id, 2)).rejects.toThrow(); // the last retry
    [now] = await mailRows(sponsor.user.id);
    expect(now).toMatchObject({ status: 'failed', attempts: 3 });
    expect(now!.error).toBeTruthy();
    expect(await deliver(row.id, 2)).toEqual({ skipped: 1 }); // a failed mail waits for the admin

    await sink.start();
    // Current state, not latched: the server is back, so /health says so.
    expect((await call(ctx, 'GET', '/api/v1/health')).json()).toMatchObject({ mail: 'up', status: 'ok' });

    const retried = await call(ctx, 'POST', `/api/v1/admin/outbox/${row.id}/retry`, { auth: admin });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: row.id, status: 'queued', attempts: 3 });
    expect(await deliver(row.id, 0)).toEqual({ sent: 1 });
    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: sponsor.user.email }] });
    [now] = await mailRows(sponsor.user.id);
    expect(now).toMatchObject({ status: 'sent', attempts: 4, error: null });

    // Retrying a mail that is not failed is refused.
    expectProblem(
      await call(ctx, 'POST', `/api/v1/admin/outbox/${row.id}/retry`, { auth: admin }),
      409,
      'invalid_transition',
    );
  });
});

describe('POST /unsubscribe', () => {
  const post = (body: unknown) => call(ctx, 'POST', '/api/v1/unsubscribe', { body });
  const choice = async (user: TestUser) =>
    (await call(ctx, 'GET', '/api/v1/me/notification-settings', { auth: user })).json().email.offer_received;

  it('takes {token} as JSON, is public, and turns that kind off', async () => {
    const user = await f.influencer();
    const { row } = await approvedSponsor();
    const url = new URL(row.headers['List-Unsubscribe']!.replace(/^<|>$/g, ''));
    const res = await post({ token: url.searchParams.get('token') });
    expect(res.statusCode).toBe(200);
    expect(await choice(user)).toBe(true); // somebody else's choices are untouched
  });

  it('refuses forged, altered and foreign-key tokens with 400 problem+json, changing nothing', async () => {
    const user = await f.influencer();
    const { row } = await approvedSponsor();
    const genuine = new URL(row.headers['List-Unsubscribe']!.replace(/^<|>$/g, '')).searchParams.get('token')!;
    const [payload, signature] = genuine.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ u: user.user.id, k: 'offer_received', i: Math.floor(Date.now() / 1000) }),
    ).toString('base64url');
    for (const token of [
      'nonsense',
      `${forgedPayload}.${signature}`,
      `${payload}.${signature}x`,
      createUnsubscribeTokens('another secret of enough length for hmac').sign({
        userId: user.user.id,
        kind: 'offer_received',
      }),
    ]) {
      expectProblem(await post({ token }), 400, 'validation_failed');
    }
    expectProblem(await post({}), 400, 'validation_failed');
    expect(await choice(user)).toBe(true);
    expect(await mailRows(user.user.id)).toHaveLength(0);
  });

  it('refuses an expired token (400) and one for a vanished account (404); a fresh one works', async () => {
    const user = await f.influencer();
    const secret = await loadSecret();
    const old = new Date(Date.now() - (UNSUBSCRIBE_TTL_DAYS + 1) * 86_400_000);
    const stale = createUnsubscribeTokens(secret).sign({ userId: user.user.id, kind: 'offer_received' }, old);
    expectProblem(await post({ token: stale }), 400, 'validation_failed');
    const fresh = createUnsubscribeTokens(secret).sign({ userId: user.user.id, kind: 'offer_received' });
    expect((await post({ token: fresh })).statusCode).toBe(200);
    expect(await choice(user)).toBe(false);
    const gone = createUnsubscribeTokens(secret).sign({
      userId: '00000000-0000-4000-8000-000000000000',
      kind: 'offer_received',
    });
    expectProblem(await post({ token: gone }), 404, 'not_found');
  });
});

async function loadSecret(): Promise<string> {
  const { loadSigningSecret } = await import('../../../src/db/settings.js');
  return ctx.config.JWT_SECRET ?? loadSigningSecret(ctx.db);
}

describe('the admin outbox', () => {
  const routes = (id: string) =>
    [
      ['GET', '/api/v1/admin/outbox'],
      ['GET', `/api/v1/admin/outbox/${id}`],
      ['POST', `/api/v1/admin/outbox/${id}/retry`],
    ] as const;

  it('answers 401 anonymous and 403 to sponsors and influencers on every route', async () => {
    const { row } = await approvedSponsor();
    const sponsor = await f.sponsor();
    const influencer = await f.influencer();
    for (const [method, url] of routes(row.id)) {
      expectProblem(await call(ctx, method, url), 401, 'unauthenticated');
      expectProblem(await call(ctx, method, url, { auth: sponsor }), 403, 'forbidden');
      expectProblem(await call(ctx, method, url, { auth: influencer }), 403, 'forbidden');
    }
  });

  it('lists mail newest first, filters by status, pages by cursor; shows one with html, text and headers', async () => {
    const a = await approvedSponsor();
    const b = await approvedSponsor();
    const c = await approvedSponsor();
    await deliver(b.row.id);

    const all = await call(ctx, 'GET', '/api/v1/admin/outbox?limit=2', { auth: admin });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((m: { id: string }) => m.id)).toEqual([c.row.id, b.row.id]);
    expect(all.json().items[0]).not.toHaveProperty('html');
    const next = await call(ctx, 'GET', `/api/v1/admin/outbox?limit=2&cursor=${all.json().nextCursor}`, {
      auth: admin,
    });
    expect(next.json().items[0].id).toBe(a.row.id);

    const sent = await call(ctx, 'GET', '/api/v1/admin/outbox?status=sent&limit=100', { auth: admin });
    const sentIds = sent.json().items.map((m: { id: string }) => m.id);
    expect(sentIds).toContain(b.row.id);
    expect(sentIds).not.toContain(c.row.id);
    expect(sent.json().items.every((m: { status: string }) => m.status === 'sent')).toBe(true);
    expectProblem(
      await call(ctx, 'GET', '/api/v1/admin/outbox?status=lost', { auth: admin }),
      400,
      'validation_failed',
    );

    const one = await call(ctx, 'GET', `/api/v1/admin/outbox/${b.row.id}`, { auth: admin });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: b.row.id,
      status: 'sent',
      kind: 'sponsor_approved',
      attempts: 1,
      error: null,
    });
    expect(one.json().html).toContain('<html');
    expect(one.json().text).toContain(PUBLIC_URL);
    expect(one.json().headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    expectProblem(
      await call(ctx, 'GET', '/api/v1/admin/outbox/00000000-0000-4000-8000-000000000000', { auth: admin }),
      404,
      'not_found',
    );
    expectProblem(await call(ctx, 'GET', '/api/v1/admin/outbox/not-an-id', { auth: admin }), 404, 'not_found');
  });
});

describe('outbox mode (no SMTP_URL)', () => {
  let outbox: TestContext;
  beforeAll(async () => {
    outbox = await createTestApp();
  });
  afterAll(async () => outbox?.close());

  it('keeps every mail as `sent` in the local outbox, and /health says outbox', async () => {
    const g = factories(outbox);
    const boss = await g.admin();
    const sponsor = await g.pendingSponsor();
    expect(
      (await call(outbox, 'POST', `/api/v1/admin/users/${sponsor.user.id}/approve`, { auth: boss })).statusCode,
    ).toBe(200);
    const rows = await outbox.db
      .select()
      .from(outboundMails)
      .where(and(eq(outboundMails.userId, sponsor.user.id), eq(outboundMails.kind, 'sponsor_approved')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 0 });
    expect(rows[0]!.sentAt).toBeInstanceOf(Date);
    expect((await call(outbox, 'GET', '/api/v1/health')).json()).toMatchObject({ mail: 'outbox', status: 'ok' });
    const listed = await call(outbox, 'GET', '/api/v1/admin/outbox?status=sent', { auth: boss });
    expect(listed.json().items.map((m: { id: string }) => m.id)).toContain(rows[0]!.id);
  });
});

describe('with the queue running (PROCESS_ROLE=all)', () => {
  let worker: FastifyInstance;
  beforeAll(async () => {
    worker = await queueApp(ctx);
    await worker.ready();
  });
  afterAll(async () => worker?.close());

  it('enqueues the delivery job in the change’s transaction, and a worker delivers it', async () => {
    const sponsor = await f.pendingSponsor();
    const res = await call({ app: worker } as TestContext, 'POST', `/api/v1/admin/users/${sponsor.user.id}/approve`, {
      auth: admin,
    });
    expect(res.statusCode).toBe(200);
    const [mail] = await sink.waitFor(1, 20_000);
    expect(mail!.to).toMatchObject({ value: [{ address: sponsor.user.email }] });
    // The sink has the mail a moment before the worker marks the row sent.
    const deadline = Date.now() + 10_000;
    let [row] = await mailRows(sponsor.user.id);
    while (row?.status !== 'sent' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [row] = await mailRows(sponsor.user.id);
    }
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  }, 30_000);
});
