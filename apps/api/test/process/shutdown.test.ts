import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyPgliteTemplate } from '../support/database-template.js';
import { createServerDatabase } from '../support/helpers.js';

/**
 * SIGTERM under load (issue 11, item 5) against the real process entry: every request the
 * server had received gets a complete answer (201, or 503 problem+json for one that arrives while
 * it closes), the process exits 0, and every 201 is in the database after a restart. With
 * DATABASE_URL the server runs on a database of its own on that server (and REDIS_URL as given).
 */

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(api, 'src/main.ts');

const ADMIN = { email: 'admin@shutdown.test', password: 'shutdown-admin-password' };
const PARALLEL = 60;
/**
 * The grace period given to the server: long enough that 60 sign-ups finish in it even on a
 * loaded machine (each hashes a password), so every one of them must be answered.
 */
const GRACE_SECONDS = 30;
/** How long a stop may take at most: the grace period, and a margin for closing the pools. */
const EXIT_BOUND_MS = (GRACE_SECONDS + 10) * 1000;

interface Server {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a JSON log line satisfies the predicate. */
  logged(predicate: (line: Record<string, unknown>) => boolean): Promise<void>;
  output(): string;
}

let dataDir: string;
let databaseUrl: string | undefined;
const cleanups: (() => unknown)[] = [];
const running: ChildProcess[] = [];

beforeAll(async () => {
  // A copy of the run's migrated template, like every other file: no initdb or migrations here.
  const template = inject('databaseTemplate') ?? null;
  if (process.env.DATABASE_URL) {
    const server = await createServerDatabase(
      process.env.DATABASE_URL,
      template?.kind === 'postgres' ? template.name : undefined,
    );
    databaseUrl = server.url;
    cleanups.push(server.drop);
  }
  if (template?.kind === 'pglite') {
    const copy = copyPgliteTemplate(template);
    dataDir = copy.dataDir;
    cleanups.push(copy.remove);
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'iescp-shutdown-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  }
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts `src/main.ts` (compiled on the fly by tsx, as `npm run dev` does) and waits until it is up. */
async function start(extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SIGNUP_PER_IP_PER_HOUR: '100000',
    LOGIN_PER_IP_PER_HOUR: '100000',
    SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  // Vitest's own variables would make the child think it is a test run.
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;

  // Node itself with tsx's loader (not the tsx wrapper), so the signal reaches the server directly.
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: api,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  let buffered = '';
  const waiters: { predicate: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  const seen: Record<string, unknown>[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      seen.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(line)) waiter.resolve();
        else waiters.push(waiter);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server: Server = {
    child,
    port,
    exited,
    output: () => output,
    logged: (predicate) =>
      seen.some(predicate) ? Promise.resolve() : new Promise((resolve) => waiters.push({ predicate, resolve })),
  };
  const listening = server.logged((line) => String(line.msg).startsWith('Server listening'));
  const worker = server.logged((line) => line.msg === 'worker started (no HTTP listener)');
  const outcome = await Promise.race([
    listening.then(() => 'up'),
    worker.then(() => 'up'),
    exited.then(() => 'exited'),
    new Promise((resolve) => setTimeout(resolve, 60_000, 'timeout').unref()),
  ]);
  if (outcome !== 'up') throw new Error(`the server did not start (${String(outcome)}):\n${output}`);
  return server;
}

async function stopped(server: Server) {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, EXIT_BOUND_MS, 'timeout').unref());
  return Promise.race([server.exited, timeout]);
}

interface Answer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: string;
  error?: string;
}

/** One request, with the outcome as data: a complete answer, or the socket error instead. */
function request(
  port: number,
  method: string,
  url: string,
  body: unknown,
  agent: http.Agent,
  token?: string,
): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });
}

/** Every influencer an admin sees, page by page. */
async function influencerEmails(port: number): Promise<Set<string>> {
  const agent = new http.Agent({ keepAlive: true });
  const login = await request(port, 'POST', '/api/v1/auth/login', ADMIN, agent);
  expect(login.status, login.body ?? login.error).toBe(200);
  const { accessToken } = JSON.parse(login.body!) as { accessToken: string };
  const emails = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: string = `role=influencer&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await request(port, 'GET', `/api/v1/admin/users?${query}`, undefined, agent, accessToken);
    expect(page.status, page.body ?? page.error).toBe(200);
    const parsed = JSON.parse(page.body!) as { items: { email: string }[]; nextCursor: string | null };
    for (const user of parsed.items) emails.add(user.email);
    cursor = parsed.nextCursor;
  } while (cursor);
  agent.destroy();
  return emails;
}

const isSignup = (line: Record<string, unknown>) =>
  line.msg === 'incoming request' && (line.req as { url?: string } | undefined)?.url === '/api/v1/auth/signup';

describe('SIGTERM while requests are in flight', () => {
  it(
    'answers every request it received, exits 0, and every 201 is in the database after a restart',
    { timeout: 180_000 },
    async () => {
      const server = await start();
      const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
      const run = randomUUID().slice(0, 8);
      const emails = Array.from({ length: PARALLEL }, (_, i) => `load-${run}-${i}@shutdown.test`);

      // A request that has started to arrive (its connection is busy, not idle) and is completed
      // after the signal: the shape of a request on a kept-alive connection during the drain.
      const late = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => late.once('connect', resolve));
      const lateBody = JSON.stringify({
        email: `late-${run}@shutdown.test`,
        password: 'a-long-password-1',
        role: 'influencer',
        displayName: 'Late',
      });
      late.write(`POST /api/v1/auth/signup HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      let lateAnswer = '';
      let lateError: string | undefined;
      late.on('data', (chunk: Buffer) => (lateAnswer += chunk.toString()));
      late.on('error', (error: NodeJS.ErrnoException) => (lateError = error.code ?? error.message));
      const lateEnded = new Promise<void>((resolve) => late.once('close', () => resolve()));

      // Sign-ups hash a password, so they stay in progress for a while; each has its own
      // connection. The signal goes once the server has received them all: a connection the
      // process has not taken from the kernel yet is, for it, one that arrives after the signal.
      let received = 0;
      const allReceived = server.logged((line) => isSignup(line) && ++received === PARALLEL);
      let answered = 0;
      const answers = emails.map(async (email, i) => {
        const answer = await request(
          server.port,
          'POST',
          '/api/v1/auth/signup',
          { email, password: `a-long-password-${i}`, role: 'influencer', displayName: `Load ${i}` },
          agent,
        );
        answered++;
        return answer;
      });
      await allReceived;
      server.child.kill('SIGTERM');
      const answeredBeforeSignal = answered;
      await Promise.race([server.logged((line) => String(line.msg).startsWith('draining')), server.exited]);
      late.end(`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(lateBody)}\r\n\r\n${lateBody}`);

      const results = await Promise.all(answers);
      const exit = await stopped(server);
      await lateEnded;
      agent.destroy();

      const failures = results.filter((r) => r.error !== undefined);
      const created = emails.filter((_, i) => results[i]!.status === 201);
      const refused = results.filter((r) => r.status === 503);
      expect(
        { failures: failures.length, errors: [...new Set(failures.map((f) => f.error))], exit },
        server.output().slice(-4000),
      ).toEqual({ failures: 0, errors: [], exit: { code: 0, signal: null } });
      // Not a vacuous run: requests were still in progress when the signal came.
      expect(answeredBeforeSignal).toBeLessThan(PARALLEL);
      expect(created.length + refused.length).toBe(PARALLEL);
      for (const r of refused) {
        expect(r.headers!['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(r.body!)).toMatchObject({ status: 503, code: 'unavailable' });
      }

      // The request that arrived during the drain: refused as worth retrying, and its connection closed.
      expect(lateError).toBeUndefined();
      const [head, lateText] = lateAnswer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      expect(head).toMatch(/\r\nretry-after: \d+/i);
      expect(head).toMatch(/\r\nconnection: close/i);
      expect(JSON.parse(lateText!)).toMatchObject({ status: 503, code: 'unavailable' });

      // Every acknowledged sign-up survived; nothing that was refused was written.
      const again = await start();
      const stored = await influencerEmails(again.port);
      expect(emails.filter((email) => stored.has(email))).toEqual(created);
      expect(stored.has(`late-${run}@shutdown.test`)).toBe(false);
      // SIGINT (Ctrl-C) stops it the same way.
      again.child.kill('SIGINT');
      expect(await stopped(again), again.output().slice(-4000)).toEqual({ code: 0, signal: null });
    },
  );

  it('stops a worker (no HTTP listener) cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const worker = await start({ PROCESS_ROLE: 'worker' });
    worker.child.kill('SIGTERM');
    expect(await stopped(worker), worker.output().slice(-4000)).toEqual({ code: 0, signal: null });
    // It stopped its job queue and closed the database without an error on the way.
    expect(worker.output()).not.toMatch(/"level":(50|60)/);
  });
});
