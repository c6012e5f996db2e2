/**
 * The real-time scenario of `npm run bench` (see bench/README.md): two API instances in two
 * processes on the same PostgreSQL database and the same Redis, 2 × PAIRS sockets split across
 * them (each sponsor–influencer pair has one side on each instance), and chat messages posted
 * through instance A and B alternately. Measured: the time from starting the POST to the
 * message arriving on the recipient's socket, which is always on the other instance, so every
 * delivery crosses the Redis adapter. Needs DATABASE_URL and REDIS_URL; skipped without them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { openDatabase } from '../apps/api/src/db/client.js';
import { createAccessTokens } from '../apps/api/src/lib/access-tokens.js';
import { loadBenchConfig, redact } from './config.js';
import { fmtMs } from './generate.js';
import type { FromInstance, ToInstance } from './realtime-server.js';
import { resultsTable } from './report.js';
import type { ScenarioResult } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/realtime.md', import.meta.url));
/** Dropped and recreated on every run; the name matches the bench guard (`iescp_bench…`). */
const DATABASE_NAME = 'iescp_bench_realtime';
/** How long a message may take to arrive before it counts as lost. */
const LOST_AFTER_MS = 5_000;
const out = (line = '') => process.stdout.write(`${line}\n`);

interface Participant {
  id: string;
  role: 'sponsor' | 'influencer';
  token: string;
  /** 0 = instance A, 1 = instance B: where this user's socket is connected. */
  instance: 0 | 1;
}

interface Pair {
  sponsor: Participant;
  influencer: Participant;
  conversationId?: string;
}

interface Instance {
  child: ChildProcess;
  url: string;
  close(): Promise<void>;
}

/** A uuid that PostgreSQL's `md5(text)::uuid` gives for the same text. */
function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

/** A fresh, migrated database on the DATABASE_URL server, with the bench users in it. */
async function prepareDatabase(serverUrl: string, pairs: number): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(serverUrl);
  if (decodeURIComponent(server.pathname.slice(1)) === DATABASE_NAME) {
    throw new Error(`DATABASE_URL must name another database than ${DATABASE_NAME} (it is dropped and recreated)`);
  }
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${DATABASE_NAME} with (force)`);
  await admin(`create database ${DATABASE_NAME}`);
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE_NAME}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 1 });
  await database.migrate().finally(() => database.close());

  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // Set-based, like generate.ts: active, approved accounts that nobody can log in to.
    for (const role of ['sponsor', 'influencer'] as const) {
      await client.query(
        `INSERT INTO users (id, email, password_hash, role, status, display_name, approved_at)
         SELECT md5('rt-${role}:' || g.i)::uuid, 'rt-${role}-' || g.i || '@bench.iescp.test', 'bench:no-login',
                '${role}', 'active', 'Bench ${role} ' || g.i, CASE WHEN '${role}' = 'sponsor' THEN now() END
         FROM generate_series(1, $1::int) AS g(i)`,
        [pairs],
      );
    }
    // One open login session per account: access tokens name their session (sid).
    for (const role of ['sponsor', 'influencer'] as const) {
      await client.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
         SELECT md5('rt-${role}:' || g.i)::uuid, md5('rt-session-${role}:' || g.i)::uuid,
                md5('rt-token-${role}:' || g.i), now() + interval '1 day'
         FROM generate_series(1, $1::int) AS g(i)`,
        [pairs],
      );
    }
    await client.query(
      `INSERT INTO sponsor_profiles (user_id, company_name, industry)
       SELECT md5('rt-sponsor:' || g.i)::uuid, 'Bench Company ' || g.i, 'Retail' FROM generate_series(1, $1::int) AS g(i)`,
      [pairs],
    );
    await client.query(
      `INSERT INTO influencer_profiles (user_id, niche, bio)
       SELECT md5('rt-influencer:' || g.i)::uuid, 'fitness', 'Bench creator ' || g.i FROM generate_series(1, $1::int) AS g(i)`,
      [pairs],
    );
  } finally {
    await client.end();
  }
  return { url: url.toString(), drop: () => admin(`drop database if exists ${DATABASE_NAME} with (force)`) };
}

function startInstance(start: Extract<ToInstance, { type: 'start' }>): Promise<Instance> {
  const entry = fileURLToPath(new URL('./realtime-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const next = (type: FromInstance['type'], timeoutMs: number) =>
    new Promise<FromInstance>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`a bench instance did not answer "${type}" in time`)), timeoutMs);
      const onMessage = (raw: unknown) => {
        const message = raw as FromInstance;
        if (message.type === 'error') finish(new Error(`bench instance: ${message.message}`));
        else if (message.type === type) finish(undefined, message);
      };
      const onExit = (code: number | null) => finish(new Error(`a bench instance exited (code ${code})`));
      function finish(error?: Error, value?: FromInstance) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value!);
      }
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ready = next('ready', 60_000);
  child.send(start);
  return ready.then(
    (message) => ({
      child,
      url: (message as Extract<FromInstance, { type: 'ready' }>).url,
      async close() {
        const closed = next('closed', 15_000);
        child.send({ type: 'close' } satisfies ToInstance);
        await closed.catch(() => child.kill());
      },
    }),
    (error: unknown) => {
      child.kill();
      throw error;
    },
  );
}

function connectSocket(url: string, token: string): Promise<ClientSocket> {
  const socket = connectClient(url, {
    path: '/socket.io',
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a socket did not connect in 10 s')), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`a socket was refused: ${err.message}`));
    });
  });
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** What one load phase saw. */
interface Phase {
  posted: number;
  httpMs: number[];
  deliveryMs: number[];
  non2xx: number;
  errors: number;
  lost: number;
  seconds: number;
  /** Settles when the message arrived, was refused, or counted as lost. */
  deliveries: Promise<void>[];
}

type Pending = Map<string, { startedAt: number; recipientId: string; delivered: (ms: number) => void }>;

const newPhase = (): Phase => ({
  posted: 0,
  httpMs: [],
  deliveryMs: [],
  non2xx: 0,
  errors: 0,
  lost: 0,
  seconds: 0,
  deliveries: [],
});

/**
 * The message sender. Message n goes through instance n % 2, sent by the pair member connected
 * there, so the recipient's socket is always on the other instance.
 */
function sender(instances: readonly [Instance, Instance], pairs: readonly Pair[], pending: Pending) {
  const runId = randomBytes(3).toString('hex');
  let n = 0;
  return async function postOne(phase: Phase): Promise<void> {
    const k = n++;
    const via = (k % 2) as 0 | 1;
    const pair = pairs[Math.floor(k / 2) % pairs.length]!;
    const [from, to] =
      pair.sponsor.instance === via ? [pair.sponsor, pair.influencer] : [pair.influencer, pair.sponsor];
    const body = `bench ${runId} #${k}`;
    const startedAt = performance.now();
    let cancel: () => void = () => undefined;
    phase.deliveries.push(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(body);
          phase.lost += 1;
          resolve();
        }, LOST_AFTER_MS);
        pending.set(body, {
          startedAt,
          recipientId: to.id,
          delivered: (ms) => {
            clearTimeout(timer);
            phase.deliveryMs.push(ms);
            resolve();
          },
        });
        // A refused post is never delivered: it counts as non-2xx or as an error, not as lost.
        cancel = () => {
          clearTimeout(timer);
          pending.delete(body);
          resolve();
        };
      }),
    );
    phase.posted += 1;
    try {
      const res = await fetch(`${instances[via].url}/api/v1/conversations/${pair.conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${from.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      await res.arrayBuffer();
      phase.httpMs.push(performance.now() - startedAt);
      if (res.status !== 201) {
        phase.non2xx += 1;
        cancel();
      }
    } catch {
      phase.errors += 1;
      cancel();
    }
  };
}

/** Closed loop: `connections` senders, each posting again as soon as its last post is answered. */
async function saturate(postOne: (phase: Phase) => Promise<void>, seconds: number, connections: number) {
  const phase = newPhase();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await postOne(phase);
    }),
  );
  phase.seconds = (performance.now() - started) / 1000;
  await Promise.all(phase.deliveries);
  return phase;
}

/** Open loop: one post every 1/rate s whatever the answers, so latency is not queueing behind itself. */
async function paced(postOne: (phase: Phase) => Promise<void>, seconds: number, rate: number) {
  const phase = newPhase();
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (let k = 0; k < Math.round(seconds * rate); k++) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    posts.push(postOne(phase));
  }
  await Promise.all(posts);
  phase.seconds = (performance.now() - started) / 1000;
  await Promise.all(phase.deliveries);
  return phase;
}

function problemsOf(phase: Phase): string[] {
  const problems: string[] = [];
  if (phase.lost > 0) problems.push(`${phase.lost} messages not delivered within ${LOST_AFTER_MS} ms`);
  if (phase.non2xx > 0) problems.push(`${phase.non2xx} non-201 responses`);
  if (phase.errors > 0) problems.push(`${phase.errors} request errors`);
  return problems;
}

function summaryOf(label: string, phase: Phase): string {
  const slowest = phase.deliveryMs.length > 0 ? Math.max(...phase.deliveryMs).toFixed(1) : 'n/a';
  return (
    `${label}: ${phase.posted.toLocaleString('en-US')} posted in ${phase.seconds.toFixed(1)} s, ` +
    `${phase.deliveryMs.length.toLocaleString('en-US')} delivered on the other instance, ${phase.lost} lost, ` +
    `${phase.non2xx} non-201, ${phase.errors} errors; slowest delivery ${slowest} ms`
  );
}

function asResult(name: string, samples: number[], phase: Phase, problems: string[]): ScenarioResult {
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    name,
    rps: samples.length / phase.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: samples.length,
    non2xx: phase.non2xx,
    errors: phase.errors,
    timeouts: 0,
    cache: {},
    avgBytes: 0,
    problems,
  };
}

/** Runs the scenario; 'skipped' without DATABASE_URL and REDIS_URL, 'problems' when deliveries failed. */
export async function runRealtimeBench(env: NodeJS.ProcessEnv = process.env): Promise<'ok' | 'problems' | 'skipped'> {
  const serverUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!serverUrl || !redisUrl) {
    out('Real time: skipped — it needs DATABASE_URL (a PostgreSQL server) and REDIS_URL, shared by two instances.');
    return 'skipped';
  }
  const config = loadBenchConfig(env);
  const pairCount = Number(env.BENCH_REALTIME_PAIRS || 250);
  if (!Number.isInteger(pairCount) || pairCount < 1 || pairCount > 5_000)
    throw new Error('BENCH_REALTIME_PAIRS must be an integer between 1 and 5000');
  const rate = Number(env.BENCH_REALTIME_RATE || 50);
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000)
    throw new Error('BENCH_REALTIME_RATE must be an integer between 1 and 10000');

  const instances: Instance[] = [];
  const sockets: ClientSocket[] = [];
  const limitMs = (config.warmup + 2 * config.duration) * 1000 + 180_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: the real-time scenario is still running after ${fmtMs(limitMs)}; stopping\n`);
    for (const instance of instances) instance.child.kill('SIGKILL');
    process.exit(2);
  }, limitMs);
  watchdog.unref();

  out();
  out(`Real time — PostgreSQL ${redact(serverUrl)} (database ${DATABASE_NAME}), Redis ${redact(redisUrl)}`);
  const setupStarted = performance.now();
  const database = await prepareDatabase(serverUrl, pairCount);
  const redisKeyPrefix = `iescp-bench:${randomBytes(6).toString('hex')}:`;
  const jwtSecret = randomBytes(48).toString('base64url');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const start = { type: 'start', databaseUrl: database.url, redisUrl, redisKeyPrefix, jwtSecret } as const;
    // Started together, like a rolling deploy; the migrations are already in place.
    const started = await Promise.allSettled([startInstance(start), startInstance(start)]);
    for (const s of started) if (s.status === 'fulfilled') instances.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [a, b] = instances as [Instance, Instance];

    const tokens = createAccessTokens(jwtSecret, 3_600);
    const pairs: Pair[] = [];
    for (let i = 1; i <= pairCount; i++) {
      const side = ((i - 1) % 2) as 0 | 1;
      const participant = async (role: 'sponsor' | 'influencer', instance: 0 | 1): Promise<Participant> => {
        const id = md5Uuid(`rt-${role}:${i}`);
        const sessionId = md5Uuid(`rt-session-${role}:${i}`);
        return { id, role, token: await tokens.sign({ userId: id, role, sessionId }), instance };
      };
      pairs.push({
        sponsor: await participant('sponsor', side),
        influencer: await participant('influencer', side === 0 ? 1 : 0),
      });
    }

    // Conversations are opened through the API, alternating instances, as a sponsor would.
    await pool(pairs, 20, async (pair, i) => {
      const via = instances[i % 2]!;
      const res = await postJson(`${via.url}/api/v1/conversations`, pair.sponsor.token, {
        participantId: pair.influencer.id,
      });
      if (res.status !== 201)
        throw new Error(`POST /conversations answered ${res.status}: ${JSON.stringify(res.json)}`);
      pair.conversationId = (res.json as { id: string }).id;
    });

    const pending: Pending = new Map();
    let disconnects = 0;
    const participants = pairs.flatMap((p) => [p.sponsor, p.influencer]);
    await pool(participants, 50, async (participant) => {
      const socket = await connectSocket(instances[participant.instance]!.url, participant.token);
      sockets.push(socket);
      socket.on('disconnect', () => (disconnects += 1));
      socket.on('message', (message: { body?: string }) => {
        const entry = message.body === undefined ? undefined : pending.get(message.body);
        // The sender's own socket hears it too, on the posting instance: only the recipient's counts.
        if (!entry || entry.recipientId !== participant.id) return;
        pending.delete(message.body!);
        entry.delivered(performance.now() - entry.startedAt);
      });
    });
    const onA = participants.filter((p) => p.instance === 0).length;
    const setupMs = performance.now() - setupStarted;
    out(
      `  setup: ${pairCount} pairs, conversations opened, ${sockets.length} sockets ` +
        `(${onA} on A, ${sockets.length - onA} on B), in ${fmtMs(setupMs)}`,
    );

    const postOne = sender([a, b], pairs, pending);
    const loadBefore = os.loadavg()[0]!.toFixed(1);
    // The warm-up (unmeasured) comes first, so neither phase measures a cold JIT or cold caches.
    out(`  running: ${config.warmup} s warm-up, ${config.connections} concurrent senders …`);
    if (config.warmup > 0) await saturate(postOne, config.warmup, config.connections);
    out(`  running: ${rate} messages/s paced for ${config.duration} s …`);
    const light = await paced(postOne, config.duration, rate);
    out(`  running: ${config.connections} concurrent senders for ${config.duration} s …`);
    const heavy = await saturate(postOne, config.duration, config.connections);
    const loadAfter = os.loadavg()[0]!.toFixed(1);

    const problems = [...problemsOf(light), ...problemsOf(heavy)];
    if (disconnects > 0) problems.push(`${disconnects} sockets disconnected during the run`);
    const results = [
      asResult(`paced ${rate}/s: POST → socket on the other instance`, light.deliveryMs, light, problemsOf(light)),
      asResult(`paced ${rate}/s: POST answered (201)`, light.httpMs, light, []),
      asResult(`${config.connections} senders: POST → socket on the other instance`, heavy.deliveryMs, heavy, problemsOf(heavy)),
      asResult(`${config.connections} senders: POST answered (201)`, heavy.httpMs, heavy, []),
    ]; // prettier-ignore
    const table = resultsTable(results);
    const summary = [
      summaryOf(`paced ${rate}/s`, light),
      summaryOf(`${config.connections} senders`, heavy),
      'req/s: messages delivered (delivery rows) or answered (POST rows) per second. Paced = open loop at a fixed ' +
        'rate (latency without self-queueing); senders = closed loop (throughput; latency includes queueing).',
    ];
    if (disconnects > 0) summary.push(`${disconnects} sockets disconnected during the run`);
    // Other processes on the machine skew the figures; say so rather than let it pass unnoticed.
    if (Number(loadBefore) > os.cpus().length)
      summary.push(`⚠ the machine was busy (load average ${loadBefore} before the run): the figures are noisy.`);
    out();
    out(table);
    out();
    for (const line of summary) out(line);

    const cpus = os.cpus();
    const environment = [
      `run at ${new Date().toISOString()}`,
      `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}; load average ${loadBefore} before, ${loadAfter} after`,
      `two API instances (two processes) on one PostgreSQL database and one Redis (Socket.IO Redis adapter); ` +
        `${sockets.length} sockets and the senders in the bench process; everything on 127.0.0.1`,
      `${pairCount} sponsor–influencer pairs, one side on each instance; ${config.warmup} s warm-up, then ` +
        `${rate} messages/s paced for ${config.duration} s, then ${config.connections} concurrent senders for ` +
        `${config.duration} s; delivery = POST start → recipient's socket`,
    ];
    mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    writeFileSync(
      RESULTS,
      [
        '# IESCP bench — real time, latest run',
        '',
        ...environment.map((l) => `- ${l}`),
        '',
        table,
        '',
        ...summary,
        '',
      ].join('\n'),
    );
    out(`Report: ${RESULTS}`);
    if (problems.length > 0) out(`⚠ real time: ${problems.join('; ')}`);
    return problems.length > 0 ? 'problems' : 'ok';
  } finally {
    for (const socket of sockets) {
      socket.removeAllListeners('disconnect');
      socket.disconnect();
    }
    await Promise.all(instances.map((instance) => instance.close()));
    for await (const keys of redis.scanStream({ match: `${redisKeyPrefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.del(...batch);
    }
    redis.disconnect();
    await database.drop();
    clearTimeout(watchdog);
  }
}
