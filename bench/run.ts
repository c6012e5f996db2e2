/**
 * `npm run bench`: builds (or reuses) a large data set on the PostgreSQL server, starts the real
 * app against it in a child process, explains the search queries at that size and loads four
 * scenarios with autocannon; then the real-time scenario (realtime.ts) and the reminders one
 * (reminders.ts). `npm run bench -- search`, `-- realtime` or `-- reminders` runs one of them.
 * A benchmark, not a test: CI never runs it. See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../apps/api/src/db/client.js';
import { loadBenchConfig, redact, type BenchConfig } from './config.js';
import { explain, searchStatements, SLOW_MS, type Plan } from './explain.js';
import { existingDataset, fmtMs, generate, DATASET_VERSION, type Step } from './generate.js';
import {
  CACHED_CAMPAIGN_PATH,
  SMALL_CACHED_CAMPAIGN_PATH,
  campaignSearchPath,
  influencerSearchPath,
  sequence,
} from './paths.js';
import type { ToChild, ToParent } from './protocol.js';
import { generationLines, markdown, planSummary, resultsTable, type ReportInput } from './report.js';
import { runRealtimeBench } from './realtime.js';
import { runRemindersBench } from './reminders.js';
import { runScenario, type ScenarioResult } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/latest.md', import.meta.url));
const out = (line = '') => process.stdout.write(`${line}\n`);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Reuses a complete data set of the requested size, or drops, recreates and fills the database. */
async function prepareData(config: BenchConfig): Promise<ReportInput['generation']> {
  const counts = { sponsors: config.sponsors, influencers: config.influencers, campaigns: config.campaigns };
  const admin = await connect(config.adminUrl);
  const quoted = `"${config.databaseName}"`; // the name matched BENCH_DATABASE_NAME: [a-z0-9_] only
  try {
    const exists = (await admin.query(`select 1 from pg_database where datname = $1`, [config.databaseName])).rowCount;
    if (exists && !config.regenerate) {
      const client = await connect(config.databaseUrl);
      const found = await existingDataset(client).finally(() => client.end());
      if (
        found?.version === DATASET_VERSION &&
        found.sponsors === counts.sponsors &&
        found.influencers === counts.influencers &&
        found.campaigns === counts.campaigns
      ) {
        return { reused: true, steps: [], totalMs: 0, counts };
      }
    }
    out(`Generating the data set in ${config.databaseName} (${exists ? 'dropped and recreated' : 'new database'}):`);
    if (exists) await admin.query(`drop database ${quoted} with (force)`);
    await admin.query(`create database ${quoted}`);
  } finally {
    await admin.end();
  }

  const started = performance.now();
  const steps: Step[] = [];
  const migrateStarted = performance.now();
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: 'unused', poolSize: 1 });
  await database.migrate().finally(() => database.close());
  const migrateMs = performance.now() - migrateStarted;
  steps.push({ step: 'migrations', rows: 0, ms: migrateMs });
  out(`  ${'migrations'.padEnd(44)} ${''.padStart(13)} ${fmtMs(migrateMs)}`);
  const client = await connect(config.databaseUrl);
  try {
    steps.push(...(await generate(client, counts)));
  } finally {
    await client.end();
  }
  return { reused: false, steps, totalMs: performance.now() - started, counts };
}

/** The signed-in viewers of the scenarios: an influencer browses campaigns, a sponsor the directory. */
async function pickViewers(config: BenchConfig) {
  const client = await connect(config.databaseUrl);
  try {
    const one = async (role: string) => {
      const { rows } = await client.query<{ id: string }>(
        `select id from users where role = $1 and status = 'active' and not flagged order by email limit 1`,
        [role],
      );
      if (!rows[0]) throw new Error(`the bench data set has no active ${role}`);
      return rows[0].id;
    };
    return { influencerId: await one('influencer'), sponsorId: await one('sponsor') };
  } finally {
    await client.end();
  }
}

/** The server process and a request/answer helper over its IPC channel. */
function startServer() {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    },
  );
  function next<T extends ToParent['type']>(
    type: T,
    timeoutMs: number,
    match: (m: Extract<ToParent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ToParent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`the bench server did not answer "${type}" in time`)), timeoutMs);
      const onMessage = (raw: unknown) => {
        const message = raw as ToParent;
        if (message.type === 'error') finish(new Error(`bench server: ${message.message}`));
        else if (message.type === type && match(message as Extract<ToParent, { type: T }>))
          finish(undefined, message as Extract<ToParent, { type: T }>);
      };
      const onExit = (code: number | null) => finish(new Error(`the bench server exited (code ${code})`));
      function finish(error?: Error, value?: Extract<ToParent, { type: T }>) {
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
  const send = (message: ToChild) => child.send(message);
  let captures = 0;
  async function capture(path: string, as: 'influencer' | 'sponsor') {
    const id = ++captures;
    const answer = next('captured', 30_000, (m) => m.id === id);
    send({ type: 'capture', id, path, as });
    const result = await answer;
    if (result.status !== 200) throw new Error(`GET ${path} as ${as} answered ${result.status}: ${result.body}`);
    return result;
  }
  return { child, next, send, capture };
}

async function searchBench() {
  const config = loadBenchConfig();
  const perScenarioS = config.warmup + config.duration;
  // Bounded: generation, start-up and four scenarios, with generous slack; then give up loudly.
  const limitMs = (6 * 60 + 4 * (perScenarioS + 30)) * 1000;
  const running: { child?: ChildProcess } = {};
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${fmtMs(limitMs)}; stopping\n`);
    running.child?.kill('SIGKILL');
    process.exit(2);
  }, limitMs);
  watchdog.unref();

  out(`IESCP bench — database ${redact(config.databaseUrl)}, Redis ${redact(config.redisUrl)}`);
  const generation = await prepareData(config);
  out(generation.reused ? generationLines(generation).join('\n') : `  total ${fmtMs(generation.totalMs)}`);
  const viewers = await pickViewers(config);

  const server = startServer();
  running.child = server.child;
  const ready = server.next('ready', 60_000);
  server.send({
    type: 'start',
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    poolSize: config.poolSize,
    ...viewers,
  });
  const { appUrl, tokens, poolSize } = await ready;

  // The cached scenario's first request is a miss: it fills the cache, gives the typical
  // response size for the bare route, and the SQL behind the cached listing.
  const listing = await server.capture(CACHED_CAMPAIGN_PATH, 'influencer');
  const bareReady = server.next('bare-ready', 30_000);
  server.send({ type: 'bare', body: listing.body });
  const bare = await bareReady;

  // The samples explained below come from the same generators the scenarios use (k = 2: a
  // niche topic, k = 3: a generic word or a name); the load starts after them, so it never
  // repeats a sample and the cache must miss there.
  const FIRST_LOAD_K = 16;
  const samples: { label: string; path: string; as: 'influencer' | 'sponsor' }[] = [
    { label: 'cached campaign listing (the query behind its first miss)', path: CACHED_CAMPAIGN_PATH, as: 'influencer' },
    { label: 'campaign search, topic word + niche + budget, as an influencer', path: campaignSearchPath(2), as: 'influencer' },
    { label: 'campaign search, generic word + niche + budget, as an influencer', path: campaignSearchPath(3), as: 'influencer' },
    { label: 'campaign search as a sponsor (own OR public)', path: campaignSearchPath(3), as: 'sponsor' },
    { label: 'influencer search, topic + niche + reach, as a sponsor', path: influencerSearchPath(2), as: 'sponsor' },
    { label: 'influencer search, name + niche + reach, as a sponsor', path: influencerSearchPath(3), as: 'sponsor' },
  ]; // prettier-ignore
  const plans: Plan[] = [];
  const pgClient = await connect(config.databaseUrl);
  try {
    for (const sample of samples) {
      const captured = sample.path === CACHED_CAMPAIGN_PATH ? listing : await server.capture(sample.path, sample.as);
      const statements = searchStatements(captured.statements);
      if (statements.length === 0)
        throw new Error(`no search SQL captured for ${sample.path} (x-cache: ${captured.xCache})`);
      for (const [i, statement] of statements.entries()) {
        const part = statements.length > 1 ? ` [statement ${i + 1}/${statements.length}]` : '';
        plans.push(await explain(pgClient, `${sample.label}${part}\n    GET ${sample.path}`, statement));
      }
    }
  } finally {
    await pgClient.end();
  }
  out();
  out('Query plans (EXPLAIN (ANALYZE, BUFFERS); estimated costs omitted):');
  for (const plan of plans) out(planSummary(plan).join('\n'));

  // Other processes on the machine skew throughput; say so rather than let it pass unnoticed.
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  const busy = Number(loadBefore) > os.cpus().length;
  const origin = new URL(appUrl).origin;
  const load = { connections: config.connections, duration: config.duration, warmup: config.warmup };
  out();
  out(
    `Load: ${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per scenario, ` +
      `API pool ${poolSize} connections; campaign response ${listing.body.length} bytes, bare ${bare.bytes} bytes`,
  );
  const scenarios = [
    { name: 'bare Fastify route (same JSON size)', origin: new URL(bare.url).origin, path: new URL(bare.url).pathname },
    { name: 'campaigns, cached (x-cache: hit)', origin, path: CACHED_CAMPAIGN_PATH, token: tokens.influencer, expectCache: 'hit' as const },
    { name: 'campaigns, uncached: q + niche + budget', origin, path: campaignSearchPath(FIRST_LOAD_K - 1), nextPath: sequence(campaignSearchPath, FIRST_LOAD_K), token: tokens.influencer, expectCache: 'miss' as const },
    { name: 'influencers: q + niche + reach', origin, path: influencerSearchPath(FIRST_LOAD_K - 1), nextPath: sequence(influencerSearchPath, FIRST_LOAD_K), token: tokens.sponsor, expectCache: 'miss' as const },
    // Compression: what it costs (or saves) on the same cached page, and that answers under the
    // threshold cost nothing when the client accepts compression. They run a minute after the
    // cached scenario filled the cache, so a request may refill an expired entry: no x-cache check.
    { name: 'campaigns, cached, Brotli (Accept-Encoding: br, gzip)', origin, path: CACHED_CAMPAIGN_PATH, token: tokens.influencer, acceptEncoding: 'gzip, deflate, br', expectEncoding: 'br' },
    { name: 'campaigns, cached, gzip (Accept-Encoding: gzip)', origin, path: CACHED_CAMPAIGN_PATH, token: tokens.influencer, acceptEncoding: 'gzip', expectEncoding: 'gzip' },
    { name: 'one campaign, cached, no Accept-Encoding', origin, path: SMALL_CACHED_CAMPAIGN_PATH, token: tokens.influencer, expectEncoding: 'identity' },
    { name: 'one campaign, cached, br accepted (under threshold)', origin, path: SMALL_CACHED_CAMPAIGN_PATH, token: tokens.influencer, acceptEncoding: 'gzip, deflate, br', expectEncoding: 'identity' },
  ]; // prettier-ignore
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    out(`  running: ${scenario.name} …`);
    results.push(await runScenario(scenario, load));
  }

  const closed = server.next('closed', 15_000);
  server.send({ type: 'close' });
  await closed.catch(() => server.child.kill());

  const pgVersion = await connect(config.databaseUrl).then(async (c) => {
    const { rows } = await c.query<{ v: string }>(`select current_setting('server_version') as v`);
    await c.end();
    return rows[0]?.v ?? '?';
  });
  const loadAfter = os.loadavg()[0]!.toFixed(1);
  const report: ReportInput = {
    environment: [
      `load average ${loadBefore} before the scenarios, ${loadAfter} after (${os.cpus().length} CPUs)${busy ? ' — other work was running: figures are noisy' : ''}`,
      `run at ${new Date().toISOString()}`,
      `Node ${process.version}, PostgreSQL ${pgVersion}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`,
      `${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s measured per scenario; API pool ${poolSize}`,
      'server (app + bare route) in a child process, autocannon in the parent; everything on 127.0.0.1',
    ],
    generation,
    sampleBytes: listing.body.length,
    bareBytes: bare.bytes,
    results,
    plans,
  };
  out();
  out(resultsTable(results));
  out();
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(RESULTS, markdown(report));
  out(`Full report with the query plans: ${RESULTS}`);

  const seq = plans.filter((p) => p.seqScans.length > 0);
  if (seq.length > 0) out(`⚠ sequential scans on large tables in ${seq.length} plan(s): see above.`);
  const slow = plans.filter((p) => p.executionMs > SLOW_MS);
  if (slow.length > 0)
    out(`⚠ ${slow.length} search statement(s) took more than ${SLOW_MS} ms at this size: see above.`);
  if (busy) out(`⚠ the machine was busy (load average ${loadBefore} before the run): throughput figures are noisy.`);
  const flagged = results.filter((r) => r.problems.length > 0);
  if (flagged.length > 0) {
    out(`⚠ ${flagged.length} scenario(s) had errors: ${flagged.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
  clearTimeout(watchdog);
}

const SUITES = ['search', 'realtime', 'reminders'] as const;

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(SUITES as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  const run = asked.length > 0 ? asked : SUITES;
  if (run.includes('search')) await searchBench();
  if (run.includes('realtime') && (await runRealtimeBench()) === 'problems') process.exitCode = 1;
  if (run.includes('reminders') && (await runRemindersBench()) === 'problems') process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
