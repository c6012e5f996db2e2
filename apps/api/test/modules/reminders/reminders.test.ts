import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { ConfigError, loadConfig, type Config } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/client.js';
import {
  dailyReminders,
  notificationSettings,
  outboundMails,
  sponsorProfiles,
  users,
} from '../../../src/db/schema/index.js';
import { dateIn } from '../../../src/lib/clock.js';
import { createRemindersService } from '../../../src/modules/reminders/reminders.service.js';
import { call, createTestApp, factories, queueApp, type TestContext, type TestUser } from '../../support/helpers.js';
import { startSmtpSink, type SmtpSink } from '../../support/fixtures/smtp-sink.js';

/**
 * Daily reminders (issue 12 item 6): who gets a digest and who does not, what it says, the
 * reminder day in REMINDER_TIMEZONE, once a day under a double run and two workers, and the
 * chat webhook. The clock is fixed per run (the service takes `now`); mail goes to a real SMTP
 * server in this process and is parsed as a client would. The webhook is a local HTTP server:
 * the test config allows 127.0.0.1 (WEBHOOK_ALLOWED_HOSTS) and plain http (WEBHOOK_ALLOW_HTTP,
 * which the config refuses outside NODE_ENV=test), the only way a test can stand in for
 * chat.googleapis.com without a certificate the server would have to trust.
 */

const PUBLIC_URL = 'https://iescp.example';
const DAY = 86_400_000;
// Close to the real time: the factories' accounts are created now, so none is "inactive" by age.
const NOW = new Date();
const TODAY = dateIn('UTC', NOW);
const nextDay = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

let sink: SmtpSink;
let ctx: TestContext;
let f: ReturnType<typeof factories>;

/** What the hook received; `status` is what it answers. */
const hook = { server: null as Server | null, url: '', status: 200, received: [] as { body: unknown; type: string }[] };

beforeAll(async () => {
  sink = await startSmtpSink();
  hook.server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hook.received.push({ body: JSON.parse(body || 'null'), type: req.headers['content-type'] ?? '' });
      // A hook under /fail always fails; the others answer `hook.status`.
      const status = req.url?.startsWith('/fail') ? 500 : hook.status;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.server!.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/v1/spaces/AAA/messages?key=k`;
  ctx = await createTestApp({
    SMTP_URL: sink.url,
    PUBLIC_URL,
    MAIL_RETRY_LIMIT: 1,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_ALLOW_HTTP: true,
  });
  f = factories(ctx);
});
afterAll(async () => {
  await ctx?.close();
  await sink?.stop();
  await new Promise((resolve) => hook.server?.close(resolve));
});
beforeEach(() => {
  sink.received.length = 0;
  hook.received.length = 0;
  hook.status = 200;
});

/** The reminders service of this app with the clock fixed at `at` (and config overrides). */
function reminders(at: Date, overrides: Partial<Config> = {}, app: FastifyInstance = ctx.app, db = ctx.db) {
  return createRemindersService({
    db,
    config: { ...ctx.config, ...overrides },
    jobs: app.jobs,
    mail: app.services.mail,
    notifications: app.services.notifications,
    now: () => at,
  });
}
const rowsOf = (u: TestUser) =>
  ctx.db.select().from(dailyReminders).where(eq(dailyReminders.userId, u.user.id)).orderBy(dailyReminders.day);
const mailsOf = (u: TestUser) =>
  ctx.db
    .select()
    .from(outboundMails)
    .where(and(eq(outboundMails.userId, u.user.id), eq(outboundMails.kind, 'daily_reminder')))
    .orderBy(outboundMails.createdAt);
const seen = (u: TestUser, at: Date | null) =>
  ctx.db.update(users).set({ lastActiveAt: at }).where(eq(users.id, u.user.id));
const setStatus = (u: TestUser, status: 'active' | 'deactivated' | 'pending_approval') =>
  ctx.db.update(users).set({ status }).where(eq(users.id, u.user.id));

/** A sponsor, a campaign of theirs, and an influencer with an offer from them (awaiting the influencer). */
async function offerToInfluencer(name?: string) {
  const sponsor = await f.sponsor();
  const campaign = await f.campaign({ sponsor, ...(name ? { name } : {}) });
  const influencer = await f.influencer();
  const deal = await f.adRequest({ campaign, influencer, announce: false });
  return { sponsor, campaign, influencer, deal };
}

describe('who gets a reminder', () => {
  it('goes to each user a deal waits for, and to inactive influencers; not to anyone else', async () => {
    // Influencers.
    const { influencer: withOffer } = await offerToInfluencer();
    await seen(withOffer, new Date(NOW.getTime() - 3_600_000));
    const inactive = await f.influencer();
    await seen(inactive, new Date(NOW.getTime() - 8 * DAY));
    const activeYesterday = await f.influencer();
    await seen(activeYesterday, new Date(NOW.getTime() - DAY));

    // A sponsor with an application to answer; the applicant waits, nothing is due for them.
    const applied = await f.sponsor();
    const applicant = await f.influencer();
    await f.adRequest({
      campaign: await f.campaign({ sponsor: applied }),
      influencer: applicant,
      initiatedBy: 'influencer',
      announce: false,
    });
    // A sponsor with delivered work to approve.
    const toApprove = await f.sponsor();
    const deliverer = await f.influencer();
    await f.adRequest({
      campaign: await f.campaign({ sponsor: toApprove }),
      influencer: deliverer,
      status: 'delivered',
      announce: false,
    });
    // A sponsor whose deals all wait on the other side: an invitation, a counter-offer to the
    // influencer, and accepted work to deliver; each of those influencers gets one instead.
    const waiting = await f.sponsor();
    const waitingCampaign = await f.campaign({ sponsor: waiting });
    const invited = await f.influencer();
    const countered = await f.influencer();
    const toDeliver = await f.influencer();
    await f.adRequest({ campaign: waitingCampaign, influencer: invited, announce: false });
    // Applied, the sponsor countered: it waits for the influencer again.
    await f.adRequest({
      campaign: waitingCampaign,
      influencer: countered,
      initiatedBy: 'influencer',
      counters: [6_000],
      status: 'negotiating',
      announce: false,
    });
    await f.adRequest({ campaign: waitingCampaign, influencer: toDeliver, status: 'accepted', announce: false });
    // Closed deals wait for nobody.
    const closed = await f.sponsor();
    const closedCampaign = await f.campaign({ sponsor: closed });
    await f.adRequest({
      campaign: closedCampaign,
      influencer: await f.influencer(),
      status: 'completed',
      announce: false,
    });
    await f.adRequest({
      campaign: closedCampaign,
      influencer: await f.influencer(),
      status: 'rejected',
      announce: false,
    });

    // Deactivated: an influencer with an offer, and an inactive one.
    const { influencer: deactivated } = await offerToInfluencer();
    await setStatus(deactivated, 'deactivated');
    const deactivatedInactive = await f.influencer();
    await seen(deactivatedInactive, new Date(NOW.getTime() - 30 * DAY));
    await setStatus(deactivatedInactive, 'deactivated');
    // A sponsor back to pending approval (reactivated before approval) cannot act: no reminder.
    const pending = await f.sponsor();
    await f.adRequest({
      campaign: await f.campaign({ sponsor: pending }),
      influencer: await f.influencer(),
      initiatedBy: 'influencer',
      announce: false,
    });
    await setStatus(pending, 'pending_approval');

    // Email choice off: the day is recorded (for the webhook's once a day), no mail.
    const { influencer: emailOff } = await offerToInfluencer();
    const patch = await call(ctx, 'PATCH', '/api/v1/me/notification-settings', {
      auth: emailOff,
      body: { email: { daily_reminder: false } },
    });
    expect(patch.statusCode).toBe(200);

    const result = await reminders(NOW).run();
    expect(result.reminded).toBeGreaterThanOrEqual(8);

    const gets = { withOffer, inactive, applied, toApprove, invited, countered, toDeliver };
    for (const [name, u] of Object.entries(gets)) {
      const [row, more] = await rowsOf(u);
      expect({ name, day: row?.day, more }).toEqual({ name, day: TODAY, more: undefined });
      const mails = await mailsOf(u);
      expect({ name, mails: mails.length, dedupe: mails[0]?.dedupeKey }).toEqual({
        name,
        mails: 1,
        dedupe: `reminder:${u.user.id}:${TODAY}`,
      });
      expect(row!.mailId).toBe(mails[0]!.id);
    }
    expect((await rowsOf(withOffer))[0]!.counts).toEqual({ offers: 1, toDeliver: 0, toApprove: 0 });
    expect((await rowsOf(inactive))[0]!.counts).toEqual({ offers: 0, toDeliver: 0, toApprove: 0 });
    expect((await rowsOf(applied))[0]!.counts).toEqual({ offers: 1, toDeliver: 0, toApprove: 0 });
    expect((await rowsOf(toApprove))[0]!.counts).toEqual({ offers: 0, toDeliver: 0, toApprove: 1 });
    expect((await rowsOf(countered))[0]!.counts).toEqual({ offers: 1, toDeliver: 0, toApprove: 0 });
    expect((await rowsOf(toDeliver))[0]!.counts).toEqual({ offers: 0, toDeliver: 1, toApprove: 0 });

    const none = { activeYesterday, applicant, deliverer, waiting, closed, deactivated, deactivatedInactive, pending };
    for (const [name, u] of Object.entries(none)) {
      expect({ name, rows: (await rowsOf(u)).length, mails: (await mailsOf(u)).length }).toEqual({
        name,
        rows: 0,
        mails: 0,
      });
    }

    const [offRow] = await rowsOf(emailOff);
    expect(offRow).toMatchObject({ day: TODAY, mailId: null, webhookStatus: 'none' });
    expect(await mailsOf(emailOff)).toHaveLength(0);
  });

  it('counts an influencer never seen by the age of the account', async () => {
    const old = await f.influencer();
    const fresh = await f.influencer();
    // Signed up nine days ago and never came back; `fresh` signed up now.
    await ctx.db
      .update(users)
      .set({ createdAt: new Date(NOW.getTime() - 9 * DAY), lastActiveAt: null })
      .where(eq(users.id, old.user.id));
    await reminders(NOW).run();
    expect(await rowsOf(old)).toHaveLength(1);
    expect(await rowsOf(fresh)).toHaveLength(0);
  });
});

describe('the reminder mail', () => {
  it('arrives with the subject, the counts, linked deals under PUBLIC_URL and a text part', async () => {
    const sponsor = await f.sponsor();
    // A sponsor is named by the company.
    await ctx.db
      .update(sponsorProfiles)
      .set({ companyName: 'Acme Sports' })
      .where(eq(sponsorProfiles.userId, sponsor.user.id));
    const influencer = await f.influencer();
    const first = await f.campaign({ sponsor, name: 'Spring Run' });
    const second = await f.campaign({ sponsor, name: 'Summer Swim' });
    const offer = await f.adRequest({ campaign: first, influencer, paymentCents: 12_345, announce: false });
    const accepted = await f.adRequest({ campaign: second, influencer, status: 'accepted', announce: false });

    await reminders(NOW).run();
    const [row] = await mailsOf(influencer);
    expect(row).toMatchObject({ status: 'queued', to: influencer.user.email });
    expect(await ctx.app.services.mail.deliver({ data: { id: row!.id }, retryCount: 0, retryLimit: 1 })).toEqual({
      sent: 1,
    });
    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toBe('2 deals wait for you on IESCP');
    expect(mail!.text).toContain('You have 1 offer to answer, 1 accepted deal to deliver.');
    expect(mail!.text).toContain(
      `- Spring Run with Acme Sports, $123.45: offer to answer: ${PUBLIC_URL}/ad-requests/${offer.id}`,
    );
    expect(mail!.text).toContain(`${PUBLIC_URL}/ad-requests/${accepted.id}`);
    expect(mail!.text).toContain(`Open your deals: ${PUBLIC_URL}/deals`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/ad-requests/${offer.id}"`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/deals"`);
    expect(mail!.html).not.toContain('<style');
    const unsubscribe = mail!.headerLines.find((h) => h.key === 'list-unsubscribe');
    expect(unsubscribe?.line).toContain(`${PUBLIC_URL}/api/v1/unsubscribe?token=`);
  });

  it('lists the five deals waiting longest and says how many more; a sponsor sees the influencer', async () => {
    const sponsor = await f.sponsor();
    const influencer = await f.influencer({ displayName: 'Robin Runner' });
    const deals = [];
    for (let i = 0; i < 6; i++)
      deals.push(await f.adRequest({ campaign: await f.campaign({ sponsor }), influencer, announce: false }));
    const applicant = await f.influencer({ displayName: 'Sam Swimmer' });
    const application = await f.adRequest({
      campaign: await f.campaign({ sponsor, name: 'Pool Party' }),
      influencer: applicant,
      initiatedBy: 'influencer',
      paymentCents: 20_000,
      announce: false,
    });
    await reminders(NOW).run();

    const [mail] = await mailsOf(influencer);
    expect(mail!.subject).toBe('6 deals wait for you on IESCP');
    expect(mail!.text).toContain('The 5 waiting longest are below; 1 more is in your deals.');
    const linked = deals.filter((d) => mail!.text.includes(`/ad-requests/${d.id}`));
    expect(linked.map((d) => d.id)).toEqual(deals.slice(0, 5).map((d) => d.id));

    const [toSponsor] = await mailsOf(sponsor);
    expect(toSponsor!.subject).toBe('1 deal waits for you on IESCP');
    expect(toSponsor!.text).toContain(
      `- Pool Party with Sam Swimmer, $200.00: offer to answer: ${PUBLIC_URL}/ad-requests/${application.id}`,
    );
  });

  it('invites an inactive influencer to discover campaigns', async () => {
    const inactive = await f.influencer();
    await seen(inactive, new Date(NOW.getTime() - 10 * DAY));
    await reminders(NOW).run();
    const [row] = await mailsOf(inactive);
    expect(row!.subject).toBe('New campaigns are waiting for you on IESCP');
    expect(row!.text).toContain(`Discover campaigns: ${PUBLIC_URL}/discover`);
  });
});

describe('once a day', () => {
  it('takes the day in REMINDER_TIMEZONE: 23:30 UTC is already the next day in Tokyo', async () => {
    const { influencer } = await offerToInfluencer();
    const late = new Date(`${TODAY}T23:30:00Z`);
    await reminders(late, { REMINDER_TIMEZONE: 'Asia/Tokyo' }).run();
    expect((await rowsOf(influencer)).map((r) => r.day)).toEqual([nextDay(TODAY)]);
    // The same instant read in UTC is still today: another day, so another reminder.
    await reminders(late).run();
    expect((await rowsOf(influencer)).map((r) => r.day)).toEqual([TODAY, nextDay(TODAY)]);
    expect((await mailsOf(influencer)).map((m) => m.dedupeKey).sort()).toEqual(
      [`reminder:${influencer.user.id}:${TODAY}`, `reminder:${influencer.user.id}:${nextDay(TODAY)}`].sort(),
    );
  });

  it('sends one reminder when the job runs twice, or twice at once, and a new one the next day', async () => {
    const { influencer } = await offerToInfluencer();
    const service = reminders(NOW);
    await service.run();
    const again = await service.run();
    expect(await rowsOf(influencer)).toHaveLength(1);
    expect(await mailsOf(influencer)).toHaveLength(1);
    // The second run found nobody left to remind today.
    expect(again.candidates).toBe(0);

    const { influencer: other } = await offerToInfluencer();
    await Promise.all([service.run(), service.run()]);
    expect(await rowsOf(other)).toHaveLength(1);
    expect(await mailsOf(other)).toHaveLength(1);

    await reminders(new Date(NOW.getTime() + DAY)).run();
    expect((await rowsOf(influencer)).map((r) => r.day)).toEqual([TODAY, nextDay(TODAY)]);
    expect(await mailsOf(influencer)).toHaveLength(2);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'sends one reminder per user when two workers on PostgreSQL run the job at the same time',
    async () => {
      const database = openDatabase({ databaseUrl: ctx.config.DATABASE_URL, dataDir: 'unused', poolSize: 5 });
      const second = await buildApp(ctx.config, { database, redis: null, ownsConnections: false, logger: false });
      await second.ready();
      try {
        const crowd = await Promise.all(Array.from({ length: 40 }, () => f.influencer()));
        await ctx.db
          .update(users)
          .set({ lastActiveAt: new Date(NOW.getTime() - 20 * DAY) })
          .where(
            inArray(
              users.id,
              crowd.map((u) => u.user.id),
            ),
          );
        const day = nextDay(TODAY, 3);
        const at = new Date(`${day}T12:00:00Z`);
        const [a, b] = await Promise.all([reminders(at).run(), reminders(at, {}, second, database.db).run()]);
        expect(a.reminded + b.reminded).toBeGreaterThanOrEqual(crowd.length);
        for (const u of crowd) {
          expect((await rowsOf(u)).filter((r) => r.day === day)).toHaveLength(1);
          expect((await mailsOf(u)).filter((m) => m.dedupeKey.endsWith(day))).toHaveLength(1);
        }
      } finally {
        await second.close();
        await database.close();
      }
    },
  );
});

describe('the chat webhook', () => {
  const setHook = async (u: TestUser, url: string) => {
    const res = await call(ctx, 'PATCH', '/api/v1/me/notification-settings', {
      auth: u,
      body: { chatWebhookUrl: url },
    });
    expect(res.statusCode).toBe(200);
  };
  /** One attempt of the webhook job, as pg-boss runs it (`retryCount` retries came before). */
  const post = (u: TestUser, day: string, retryCount = 0) =>
    ctx.app.services.reminders.postWebhook({
      data: { userId: u.user.id, day, text: 'You have 1 offer to answer.' },
      retryCount,
      retryLimit: 3,
    });

  it('posts the digest as a Google Chat message and records it sent', async () => {
    const { influencer, campaign } = await offerToInfluencer('Autumn Ride');
    await setHook(influencer, hook.url);
    await reminders(NOW).run();
    expect((await rowsOf(influencer))[0]).toMatchObject({ webhookStatus: 'queued' });

    expect(await post(influencer, TODAY)).toEqual({ sent: 1 });
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.type).toContain('application/json');
    expect(hook.received[0]!.body).toEqual({ text: 'You have 1 offer to answer.' });
    expect((await rowsOf(influencer))[0]).toMatchObject({ webhookStatus: 'sent', webhookError: null });
    // Sent once: a second run of the job does nothing.
    expect(await post(influencer, TODAY)).toEqual({ skipped: 1 });
    expect(hook.received).toHaveLength(1);
    expect(campaign.name).toBe('Autumn Ride');
  });

  it('never blocks the mail: a failing hook is retried, then failed; the mail still goes', async () => {
    const { influencer } = await offerToInfluencer();
    await setHook(influencer, hook.url);
    await reminders(NOW).run();
    hook.status = 500;
    for (let retry = 0; retry < 3; retry++) {
      await expect(post(influencer, TODAY, retry)).rejects.toThrow('answered 500');
      expect((await rowsOf(influencer))[0]).toMatchObject({ webhookStatus: 'queued' });
    }
    await expect(post(influencer, TODAY, 3)).rejects.toThrow('answered 500');
    expect(hook.received).toHaveLength(4);
    const [row] = await rowsOf(influencer);
    expect(row).toMatchObject({ webhookStatus: 'failed', webhookError: 'the chat webhook answered 500' });

    const [mail] = await mailsOf(influencer);
    expect(await ctx.app.services.mail.deliver({ data: { id: mail!.id }, retryCount: 0, retryLimit: 1 })).toEqual({
      sent: 1,
    });
    expect((await sink.waitFor(1))[0]!.to).toMatchObject({ value: [{ address: influencer.user.email }] });
  });

  it('is not called when the stored URL is not allowed at send time', async () => {
    const { influencer } = await offerToInfluencer();
    await setHook(influencer, hook.url);
    await reminders(NOW).run();
    // Stored under an older policy (or by hand): a host the configuration does not allow now.
    await ctx.db
      .update(notificationSettings)
      .set({ chatWebhookUrl: 'https://internal.example/hook' })
      .where(eq(notificationSettings.userId, influencer.user.id));
    expect(await post(influencer, TODAY)).toEqual({ skipped: 1 });
    expect(hook.received).toHaveLength(0);
    expect((await rowsOf(influencer))[0]).toMatchObject({ webhookStatus: 'failed' });
  });

  it('does not follow a redirect', async () => {
    const { influencer } = await offerToInfluencer();
    await setHook(influencer, hook.url);
    await reminders(NOW).run();
    hook.status = 307;
    await expect(post(influencer, TODAY, 3)).rejects.toThrow();
    expect((await rowsOf(influencer))[0]).toMatchObject({ webhookStatus: 'failed' });
  });

  it('still posts for a user who switched the reminder email off, once a day', async () => {
    const { influencer } = await offerToInfluencer();
    await setHook(influencer, hook.url);
    expect(
      (
        await call(ctx, 'PATCH', '/api/v1/me/notification-settings', {
          auth: influencer,
          body: { email: { daily_reminder: false } },
        })
      ).statusCode,
    ).toBe(200);
    await reminders(NOW).run();
    await reminders(NOW).run();
    expect(await mailsOf(influencer)).toHaveLength(0);
    expect(await rowsOf(influencer)).toHaveLength(1);
    expect(await post(influencer, TODAY)).toEqual({ sent: 1 });
  });

  describe('with the queue running (PROCESS_ROLE=all)', () => {
    let worker: FastifyInstance;
    beforeAll(async () => {
      worker = await queueApp(ctx);
      await worker.ready();
    });
    afterAll(async () => worker?.close());

    it('enqueues the webhook job with the reminder, and a worker posts the digest', async () => {
      const { influencer, deal } = await offerToInfluencer('Winter Walk');
      await setHook(influencer, hook.url);
      const day = nextDay(TODAY, 5);
      await reminders(new Date(`${day}T12:00:00Z`), {}, worker).run();
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await rowsOf(influencer))[0]?.webhookStatus !== 'sent')
        await new Promise((r) => setTimeout(r, 200));
      expect((await rowsOf(influencer))[0]).toMatchObject({ day, webhookStatus: 'sent' });
      const text = (hook.received.find((h) => JSON.stringify(h.body).includes(deal.id))?.body as { text: string }).text;
      expect(text).toContain('*1 deal waits for you*');
      expect(text).toContain(`<${PUBLIC_URL}/ad-requests/${deal.id}|Winter Walk with`);
      expect(text).toContain(`<${PUBLIC_URL}/deals|Open your deals>`);
    });

    it('settles each job of a batch on its own: a failing hook is retried, the others complete', async () => {
      const { influencer: good } = await offerToInfluencer();
      const { influencer: bad } = await offerToInfluencer();
      await setHook(good, hook.url);
      await setHook(bad, hook.url.replace('/v1/', '/fail/'));
      const day = nextDay(TODAY, 6);
      await reminders(new Date(`${day}T12:00:00Z`), {}, worker).run();
      const jobState = async (u: TestUser) => {
        const { rows } = await ctx.database.executeSql(
          `select state from pgboss.job where name = 'post-chat-webhook' and data->>'userId' = $1 and data->>'day' = $2`,
          [u.user.id, day],
        );
        return (rows[0] as { state: string } | undefined)?.state;
      };
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && ((await jobState(good)) !== 'completed' || (await jobState(bad)) !== 'retry'))
        await new Promise((r) => setTimeout(r, 200));
      expect(await jobState(good)).toBe('completed');
      expect(await jobState(bad)).toBe('retry');
      expect((await rowsOf(good)).find((r) => r.day === day)).toMatchObject({ webhookStatus: 'sent' });
      // Still queued: its retries (30 s apart and more) are to come.
      expect((await rowsOf(bad)).find((r) => r.day === day)).toMatchObject({
        webhookStatus: 'queued',
        webhookError: 'the chat webhook answered 500',
      });
    });
  });
});

describe('WEBHOOK_ALLOW_HTTP', () => {
  it('is refused outside tests, so a deployment can never point a webhook at a plain-http local server', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_HTTP: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_ALLOW_HTTP: 'true' })).toThrow('WEBHOOK_ALLOW_HTTP is for tests only');
    expect(loadConfig({ WEBHOOK_ALLOW_HTTP: 'true', NODE_ENV: 'test' }).WEBHOOK_ALLOW_HTTP).toBe(true);
  });
});
