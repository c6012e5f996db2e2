/**
 * The reminders scenario of `npm run bench` (see bench/README.md): the daily-reminders job for
 * 20,000 users, timed until every mail and job is recorded and enqueued (target ≤ 60 s), and the
 * uncached campaign search's p99 while those mails are being delivered by the app's own workers
 * to an SMTP sink, against the same search with nothing to deliver (target: within +25 %).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../apps/api/src/db/client.js';
import { loadBenchConfig, redact } from './config.js';
import { fmtMs, generate } from './generate.js';
import { campaignSearchPath, sequence } from './paths.js';
import type { FromReminders, ToReminders } from './reminders-server.js';
import { resultsTable } from './report.js';
import { runScenario } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/reminders.md', import.meta.url));
/** Dropped and recreated on every run; the name matches the bench guard (`iescp_bench…`). */
const DATABASE_NAME = 'iescp_bench_reminders';
const ENQUEUE_TARGET_MS = 60_000;
const P99_TARGET = 1.25;
const out = (line = '') => process.stdout.write(`${line}\n`);

/**
 * The data set of the search bench (generate.ts), then what makes each influencer due a
 * reminder: nine in ten have an offer from a sponsor waiting for them (on a campaign of that
 * sponsor), every tenth has applied to one (the sponsor is waited for) and was last seen weeks
 * ago; the others were seen an hour ago. Set-based, like generate.ts.
 */
async function seed(client: pg.Client) {
  const step = async (label: string, sql: string) => {
    const started = performance.now();
    const result = await client.query(sql);
    out(
      `  ${label.padEnd(44)} ${`${(result.rowCount ?? 0).toLocaleString('en-US')} rows`.padStart(14)}  ${fmtMs(performance.now() - started).padStart(8)}`,
    );
  };
  await step(
    'ad requests (one open deal per influencer)',
    `INSERT INTO ad_requests (campaign_id, sponsor_id, influencer_id, status, initiated_by, awaiting_party, payment_cents)
     SELECT c.id, c.sponsor_id, i.id, 'pending',
            (CASE WHEN i.n % 10 = 0 THEN 'influencer' ELSE 'sponsor' END)::party,
            (CASE WHEN i.n % 10 = 0 THEN 'sponsor' ELSE 'influencer' END)::party,
            5000 + (i.n % 200) * 250
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE role = 'influencer') i
     JOIN (SELECT c.id, c.sponsor_id, row_number() OVER (ORDER BY c.id) AS n
           FROM campaigns c JOIN users s ON s.id = c.sponsor_id
           WHERE c.deleted_at IS NULL AND s.status = 'active') c ON c.n = i.n`,
  );
  await step(
    'last seen (every tenth influencer weeks ago)',
    `UPDATE users u SET last_active_at = now() - (CASE WHEN r.initiated_by = 'influencer' THEN interval '30 days' ELSE interval '1 hour' END)
     FROM ad_requests r WHERE r.influencer_id = u.id`,
  );
  await step('VACUUM (ANALYZE)', 'VACUUM (ANALYZE)');
}

async function prepareDatabase(config: ReturnType<typeof loadBenchConfig>) {
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: config.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${DATABASE_NAME} with (force)`);
  await admin(`create database ${DATABASE_NAME}`);
  const url = new URL(config.databaseUrl);
  url.pathname = `/${DATABASE_NAME}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 1 });
  await database.migrate().finally(() => database.close());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await generate(client, { sponsors: config.sponsors, influencers: config.influencers, campaigns: config.campaigns });
    await seed(client);
  } finally {
    await client.end();
  }
  return { url: url.toString(), drop: () => admin(`drop database if exists ${DATABASE_NAME} with (force)`) };
}

/** An SMTP server that takes every mail and counts it (no parsing: it must not compete for CPU). */
async function startSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 50,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received: () => received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function startServer() {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./reminders-server.ts', import.meta.url))],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
  );
  function next<T extends FromReminders['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromReminders, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`the reminders server did not answer "${type}" in time`)),
        timeoutMs,
      );
      const onMessage = (raw: unknown) => {
        const message = raw as FromReminders;
        if (message.type === 'error') finish(new Error(`reminders server: ${message.message}`));
        else if (message.type === type) finish(undefined, message as Extract<FromReminders, { type: T }>);
      };
      const onExit = (code: number | null) => finish(new Error(`the reminders server exited (code ${code})`));
      function finish(error?: Error, value?: Extract<FromReminders, { type: T }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value!);
      }
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }
  const send = (message: ToReminders) => child.send(message);
  return { child, next, send };
}

async function mailCounts(client: pg.Client) {
  const { rows } = await client.query<{ queued: string; sent: string; failed: string }>(
    `select count(*) filter (where status = 'queued') as queued, count(*) filter (where status = 'sent') as sent,
            count(*) filter (where status = 'failed') as failed
     from outbound_mails where kind = 'daily_reminder'`,
  );
  return { queued: Number(rows[0]!.queued), sent: Number(rows[0]!.sent), failed: Number(rows[0]!.failed) };
}

/** Runs the scenario; 'problems' when a target is missed or a request failed. */
export async function runRemindersBench(): Promise<'ok' | 'problems'> {
  const config = loadBenchConfig();
  const limitMs = (6 * 60 + 2 * (config.warmup + config.duration + 30)) * 1000;
  const running: { child?: ChildProcess } = {};
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench reminders: still running after ${fmtMs(limitMs)}; stopping\n`);
    running.child?.kill('SIGKILL');
    process.exit(2);
  }, limitMs);
  watchdog.unref();

  out();
  out(`Reminders — database ${DATABASE_NAME} on ${redact(config.adminUrl)} (dropped and recreated):`);
  const database = await prepareDatabase(config);
  const sink = await startSink();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const server = startServer();
  running.child = server.child;
  const problems: string[] = [];
  try {
    const viewer = await client.query<{ id: string }>(
      `select id from users where role = 'influencer' and status = 'active' and not flagged order by email limit 1`,
    );
    const due = await client.query<{ n: string }>(
      `select count(*) as n from users where status = 'active' and role in ('sponsor', 'influencer')`,
    );
    const ready = server.next('ready', 60_000);
    server.send({
      type: 'start',
      databaseUrl: database.url,
      redisUrl: config.redisUrl,
      smtpUrl: sink.url,
      viewerId: viewer.rows[0]!.id,
      ...(config.poolSize ? { poolSize: config.poolSize } : {}),
    });
    const { appUrl, token, poolSize } = await ready;
    const origin = new URL(appUrl).origin;
    const load = { connections: config.connections, duration: config.duration, warmup: config.warmup };
    const search = (name: string, start: number): Parameters<typeof runScenario>[0] => ({
      name,
      origin,
      path: campaignSearchPath(start - 1),
      nextPath: sequence(campaignSearchPath, start),
      token,
      expectCache: 'miss',
    });

    out(`  running: campaign search, nothing to deliver …`);
    const quiet = await runScenario(search('campaigns, uncached, nothing to deliver', 1_000), load);

    out(
      `  running: daily-reminders for ${Number(due.rows[0]!.n).toLocaleString('en-US')} active users, with the campaign search at the same time …`,
    );
    const reminded = server.next('reminded', 5 * 60_000);
    server.send({ type: 'remind' });
    const during = await runScenario(
      search('campaigns, uncached, while the job enqueues (and mails go)', 250_000),
      load,
    );
    const { ms: remindMs, result } = await reminded;
    const afterRun = await mailCounts(client);
    const sinkAtStart = sink.received();
    out(`  enqueued in ${fmtMs(remindMs)}: ${JSON.stringify(result)}`);

    out(`  running: campaign search while the queued mails are delivered …`);
    const loadStarted = performance.now();
    const busy = await runScenario(search('campaigns, uncached, while the queued mails are delivered', 500_000), load);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const deliveredDuringLoad = sink.received() - sinkAtStart;
    const afterLoad = await mailCounts(client);

    // Then until the queue is empty (bounded), for the delivery rate with nothing else running.
    const drainStarted = performance.now();
    let drained = afterLoad;
    while (drained.queued > 0 && performance.now() - drainStarted < 180_000) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      drained = await mailCounts(client);
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;

    const ratio = busy.p99 / quiet.p99;
    if (remindMs > ENQUEUE_TARGET_MS) problems.push(`enqueueing took ${fmtMs(remindMs)} (target ≤ 60 s)`);
    if (ratio > P99_TARGET) problems.push(`p99 under delivery is ×${ratio.toFixed(2)} (target ≤ ×${P99_TARGET})`);
    if (afterLoad.queued === 0)
      problems.push('the queue emptied before the load ended: the load did not overlap delivery throughout');
    for (const r of [quiet, during, busy])
      if (r.problems.length > 0) problems.push(`${r.name}: ${r.problems.join('; ')}`);

    const lines = [
      `daily-reminders: ${result.reminded?.toLocaleString('en-US')} users reminded, ${result.mails?.toLocaleString('en-US')} mails recorded and their delivery jobs enqueued in ${fmtMs(remindMs)} (target ≤ 60 s)`,
      `delivery while searched: ${deliveredDuringLoad.toLocaleString('en-US')} mails reached the SMTP sink in ${loadSeconds.toFixed(1)} s (${(deliveredDuringLoad / loadSeconds).toFixed(0)} mails/s); ${afterLoad.queued.toLocaleString('en-US')} still queued at the end of the load`,
      `delivery afterwards: ${(afterLoad.queued - drained.queued).toLocaleString('en-US')} more in ${drainSeconds.toFixed(1)} s (${((afterLoad.queued - drained.queued) / Math.max(drainSeconds, 0.001)).toFixed(0)} mails/s); ${drained.queued.toLocaleString('en-US')} left, ${drained.failed} failed`,
      `campaign search p99: ${quiet.p99.toFixed(1)} ms with nothing to deliver, ${busy.p99.toFixed(1)} ms while delivering: ×${ratio.toFixed(2)} (target ≤ ×${P99_TARGET}); ${during.p99.toFixed(1)} ms while the job itself runs (×${(during.p99 / quiet.p99).toFixed(2)})`,
      `mail rows right after the run: ${afterRun.queued.toLocaleString('en-US')} queued, ${afterRun.sent.toLocaleString('en-US')} sent`,
    ];
    const environment = [
      `run at ${new Date().toISOString()}, load average ${os.loadavg()[0]!.toFixed(1)} (${os.cpus().length} CPUs)`,
      `${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s measured per phase; API pool ${poolSize}; PROCESS_ROLE=all (the API and the job workers in one process)`,
    ];
    const table = resultsTable([quiet, during, busy]);
    out();
    out(table);
    out();
    for (const line of lines) out(line);
    for (const p of problems) out(`⚠ ${p}`);
    mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    writeFileSync(
      RESULTS,
      [
        '# Reminders bench',
        '',
        ...environment.map((e) => `- ${e}`),
        '',
        table,
        '',
        ...lines.map((l) => `- ${l}`),
        '',
        ...problems.map((p) => `- ⚠ ${p}`),
        '',
      ].join('\n'),
    );
    out(`Report: ${RESULTS}`);
  } finally {
    const closed = server.next('closed', 30_000);
    server.send({ type: 'close' });
    await closed.catch(() => server.child.kill());
    await client.end();
    await sink.stop();
    await database.drop();
    clearTimeout(watchdog);
  }
  return problems.length > 0 ? 'problems' : 'ok';
}
