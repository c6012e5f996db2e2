import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundMails } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, queueApp, type TestContext, type TestUser } from '../../support/helpers.js';
import { conversationWith, say } from '../../support/fixtures/messaging.js';

/**
 * Chat messages by email (issue 12 item 4): a burst in a conversation becomes one mail per
 * conversation and recipient per CHAT_MAIL_DELAY_SECONDS, listing what the recipient has not read.
 * The enqueue and its dedupe are proven against pg-boss itself (jobs enabled, `pgboss.job` rows);
 * where the delay would have to pass, the task's handler is run directly.
 */

const PUBLIC_URL = 'https://iescp.example';
let ctx: TestContext;
/** The same database served by an app whose queue runs, with a worker (PROCESS_ROLE=all). */
let queued: FastifyInstance;
let q: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp({ PUBLIC_URL, MESSAGES_PER_MINUTE: 100_000 });
  queued = await queueApp(ctx);
  await queued.ready();
  q = { ...ctx, app: queued };
  f = factories(ctx);
  admin = await f.admin();
});
afterAll(async () => {
  await queued?.close();
  await ctx?.close();
});

interface JobRow {
  id: string;
  state: string;
  data: { conversationId: string; recipientId: string; messageId: string };
  delay: number;
}

/** The chat-mail jobs of a conversation and recipient, as pg-boss holds them, oldest first. */
async function jobsFor(conversationId: string, recipient: TestUser): Promise<JobRow[]> {
  const { rows } = await ctx.database.executeSql(
    `select id, state, data, extract(epoch from start_after - created_on)::float as delay
       from pgboss.job
      where name = 'chat-mail' and singleton_key = $1
      order by created_on, id`,
    [`${conversationId}:${recipient.user.id}`],
  );
  return rows as JobRow[];
}

const chatMails = (recipient: TestUser) =>
  ctx.db
    .select()
    .from(outboundMails)
    .where(and(eq(outboundMails.userId, recipient.user.id), eq(outboundMails.kind, 'new_message')))
    .orderBy(asc(outboundMails.createdAt));

/** Lets pg-boss start a waiting job now (the delay is what a test cannot wait for). */
const startNow = (id: string) =>
  ctx.database.executeSql('update pgboss.job set start_after = now() where id = $1', [id]);

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function pair() {
  const [sponsor, influencer] = await Promise.all([f.sponsor(), f.influencer()]);
  const conversation = await conversationWith(ctx, sponsor, influencer);
  return { sponsor, influencer, id: conversation.id as string };
}

const run = (data: JobRow['data']) => ctx.app.services.chatMail.run({ data: { ...data } });

describe('a burst of messages', () => {
  it('five messages make one delayed job (pg-boss drops the rest); it mails them once; a later message makes a second mail', async () => {
    const { sponsor, influencer, id } = await pair();
    const bodies = ['Hi!', 'Are you free next week?', 'We would like a reel', 'Budget is flexible', 'Let me know'];
    const sent = [];
    for (const body of bodies) sent.push(await say(q, sponsor, id, body));

    const [job, more] = await jobsFor(id, influencer);
    expect(more, 'one job for the burst').toBeUndefined();
    expect(job).toMatchObject({
      state: 'created',
      data: { conversationId: id, recipientId: influencer.user.id, messageId: sent[0].id },
    });
    expect(job!.delay).toBeGreaterThanOrEqual(ctx.config.CHAT_MAIL_DELAY_SECONDS - 5);
    // The sender is never written to about their own messages.
    expect(await jobsFor(id, sponsor)).toHaveLength(0);
    expect(await chatMails(influencer)).toHaveLength(0); // nothing before the delay

    await startNow(job!.id);
    const [mail, extra] = await until(
      () => chatMails(influencer),
      (rows) => rows.length > 0,
      'the chat mail',
    );
    expect(extra).toBeUndefined();
    expect(mail).toMatchObject({ to: influencer.user.email, kind: 'new_message' });
    expect(mail!.subject).toBe(`${sponsor.user.displayName} sent you 5 new messages`);
    for (const body of bodies) {
      expect(mail!.text).toContain(`“${body}”`);
      expect(mail!.html).toContain(body);
    }
    expect(mail!.text).toContain(`${PUBLIC_URL}/messages/${id}`);
    expect(mail!.headers['List-Unsubscribe']).toContain(`${PUBLIC_URL}/api/v1/unsubscribe?token=`);
    await until(
      () => jobsFor(id, influencer),
      (rows) => rows[0]?.state === 'completed',
      'the job to complete',
    );
    expect(await chatMails(sponsor)).toHaveLength(0);

    // After that job started, the next message is a new burst: a second job, a second mail with it alone.
    const later = await say(q, sponsor, id, 'One more thing');
    const jobs = await jobsFor(id, influencer);
    expect(jobs).toHaveLength(2);
    expect(jobs[1]).toMatchObject({ state: 'created', data: { messageId: later.id } });
    await startNow(jobs[1]!.id);
    const mails = await until(
      () => chatMails(influencer),
      (rows) => rows.length > 1,
      'the second chat mail',
    );
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toBe(`${sponsor.user.displayName} sent you a new message`);
    expect(mails[1]!.text).toContain('“One more thing”');
    expect(mails[1]!.text).not.toContain('Budget is flexible');
  }, 60_000);

  it('running the job twice records one mail', async () => {
    const { sponsor, influencer, id } = await pair();
    const first = await say(ctx, influencer, id, 'Thanks for the invite');
    const data = { conversationId: id, recipientId: sponsor.user.id, messageId: first.id };
    expect(await run(data)).toEqual({ mailed: 1, messages: 1 });
    expect(await run(data)).toEqual({ skipped: 1 });
    expect(await chatMails(sponsor)).toHaveLength(1);
  });

  it('quotes the newest five, each cut short, and counts the earlier ones', async () => {
    const { sponsor, influencer, id } = await pair();
    const first = await say(ctx, sponsor, id, 'Message 1');
    for (let i = 2; i <= 6; i++) await say(ctx, sponsor, id, `Message ${i}`);
    const long = await say(ctx, sponsor, id, 'x'.repeat(1000));
    await run({ conversationId: id, recipientId: influencer.user.id, messageId: first.id });
    const [mail] = await chatMails(influencer);
    expect(mail!.subject).toContain('7 new messages');
    expect(mail!.text).toContain('… and 2 earlier messages.');
    expect(mail!.text).not.toContain('Message 2”');
    expect(mail!.text).toContain('“Message 3”');
    expect(mail!.text).not.toContain(long.body);
    expect(mail!.text).toContain(`“${'x'.repeat(299)}…”`);
  });
});

describe('no mail', () => {
  it('when the recipient read the messages in the app before the job ran', async () => {
    const { sponsor, influencer, id } = await pair();
    const first = await say(ctx, sponsor, id, 'Are you there?');
    await say(ctx, sponsor, id, 'Hello?');
    expect((await call(ctx, 'POST', `/api/v1/conversations/${id}/read`, { auth: influencer })).statusCode).toBe(200);
    expect(await run({ conversationId: id, recipientId: influencer.user.id, messageId: first.id })).toEqual({
      skipped: 1,
    });
    expect(await chatMails(influencer)).toHaveLength(0);
  });

  it('for what was read: only the messages written after the read mark are mailed', async () => {
    const { sponsor, influencer, id } = await pair();
    const first = await say(ctx, sponsor, id, 'Seen this one');
    expect((await call(ctx, 'POST', `/api/v1/conversations/${id}/read`, { auth: influencer })).statusCode).toBe(200);
    await say(ctx, sponsor, id, 'Not this one');
    await run({ conversationId: id, recipientId: influencer.user.id, messageId: first.id });
    const [mail] = await chatMails(influencer);
    expect(mail!.text).toContain('Not this one');
    expect(mail!.text).not.toContain('Seen this one');
  });

  it('when the recipient switched chat mail off: no job at all, and a job already waiting mails nothing', async () => {
    const { sponsor, influencer, id } = await pair();
    const waiting = await say(q, sponsor, id, 'Before the switch');
    expect(await jobsFor(id, influencer)).toHaveLength(1);
    const off = await call(ctx, 'PATCH', '/api/v1/me/notification-settings', {
      auth: influencer,
      body: { email: { new_message: false } },
    });
    expect(off.statusCode).toBe(200);
    const [job] = await jobsFor(id, influencer);
    await ctx.database.executeSql('delete from pgboss.job where id = $1', [job!.id]);
    await say(q, sponsor, id, 'After the switch');
    expect(await jobsFor(id, influencer)).toHaveLength(0);
    expect(await run({ conversationId: id, recipientId: influencer.user.id, messageId: waiting.id })).toEqual({
      skipped: 1,
    });
    expect(await chatMails(influencer)).toHaveLength(0);
  });

  it('to the sender about their own messages, even if asked', async () => {
    const { sponsor, id } = await pair();
    const mine = await say(ctx, sponsor, id, 'My own words');
    expect(await run({ conversationId: id, recipientId: sponsor.user.id, messageId: mine.id })).toEqual({
      skipped: 1,
    });
    expect(await chatMails(sponsor)).toHaveLength(0);
  });

  it('to a recipient deactivated before the job ran', async () => {
    const { sponsor, influencer, id } = await pair();
    const first = await say(ctx, sponsor, id, 'Hello');
    const res = await call(ctx, 'POST', `/api/v1/admin/users/${influencer.user.id}/deactivate`, {
      auth: admin,
      body: { reason: 'spam' },
    });
    expect(res.statusCode).toBe(200);
    expect(await run({ conversationId: id, recipientId: influencer.user.id, messageId: first.id })).toEqual({
      skipped: 1,
    });
    expect(await chatMails(influencer)).toHaveLength(0);
  });

  it('for deal events in the chat (their notifications carry their own email)', async () => {
    const { sponsor, influencer, id } = await pair();
    const campaign = await f.campaign({ sponsor });
    await factories(q).adRequest({ campaign, influencer, status: 'negotiating' });
    const { rows } = await ctx.database.executeSql(
      `select count(*)::int as n from messages where conversation_id = $1 and kind = 'event'`,
      [id],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(await jobsFor(id, influencer)).toHaveLength(0);
    expect(await jobsFor(id, sponsor)).toHaveLength(0);
    const notificationMails = await ctx.db
      .select()
      .from(outboundMails)
      .where(eq(outboundMails.userId, influencer.user.id));
    expect(notificationMails.every((m) => m.kind !== 'new_message')).toBe(true);
  });

  it('for malformed or unknown job data', async () => {
    expect(await ctx.app.services.chatMail.run({ data: { conversationId: 'x' } })).toEqual({ skipped: 1 });
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await run({ conversationId: ghost, recipientId: ghost, messageId: ghost })).toEqual({ skipped: 1 });
  });
});
