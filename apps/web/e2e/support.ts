/**
 * Shared setup for the browser journeys: a real, built IESCP server on a free port with a
 * fresh embedded database, and Debian's Chromium driven by playwright-core.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const screenshotDir = join(here, 'screenshots');

export const ADMIN = { email: 'admin@e2e.test', password: 'admin-password-123' };

/** Phone and desktop widths every journey's screenshots are taken at. */
export const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 900 },
};

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
  output(): string;
}

/** What `useJourney` hands each test: set once `before` has run. */
export interface Journey {
  server: RunningServer;
  browser: Browser;
}

type Viewport = { width: number; height: number };

/** A signed-up account as the API answers it (the fields the journeys read). */
export interface SignedUp {
  accessToken: string;
  user: { id: string; displayName: string; role: string; status: string; [key: string]: unknown };
}

interface ProfileOverrides {
  displayName?: string;
  profile?: Record<string, unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `node apps/api/dist/main.js` with its own data directory and waits until
 * `GET /api/v1/health` answers 200. Returns `{ baseUrl, stop() }`.
 */
export async function startServer(options: { demoData?: boolean } = {}): Promise<RunningServer> {
  const entry = join(repoRoot, 'apps/api/dist/main.js');
  const webIndex = join(repoRoot, 'apps/web/dist/index.html');
  for (const [file, hint] of <[string, string][]>[
    [entry, 'npm run build -w apps/api'],
    [webIndex, 'npm run build -w apps/web'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${hint}\` (or \`npm run build\`) first.`);
  }

  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'iescp-e2e-'));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_DATA: options.demoData ? 'true' : 'false',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: env.E2E_LOG_LEVEL ?? 'warn',
  });

  const child = spawn(process.execPath, [entry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<unknown>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let healthy = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${baseUrl}/api/v1/health`);
      if (response.status === 200) {
        healthy = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  if (!healthy) {
    await stop();
    throw new Error(`The server did not become healthy on ${baseUrl}. Its last output:\n${output}`);
  }
  return { baseUrl, stop, output: () => output };
}

/**
 * The hooks every journey file needs: before its tests a fresh server and browser (then the
 * file's own `setup`, given both, for the data it needs), after them both closed. Returns a
 * holder whose `server` and `browser` are set once `before` has run. (The setup goes through
 * here rather than a second `before`: top-level hooks start as they are registered, so a
 * second one would not wait for the server.)
 */
export function useJourney(setup?: (journey: Journey) => Promise<void>, options: { demoData?: boolean } = {}): Journey {
  const journey = {} as Journey;
  before(async () => {
    journey.server = await startServer(options);
    journey.browser = await launchBrowser();
    await setup?.(journey);
  });
  after(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (its own cookies) at a viewport; failed page errors are collected. */
export async function newPage(browser: Browser, baseUrl: string, viewport: Viewport = VIEWPORTS.desktop) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, serviceWorkers: 'block' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/**
 * A full-page PNG in e2e/screenshots. Sticky bars would be painted mid-page in a full-page
 * capture, so they are laid out statically for the shot; animations are frozen.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({
    path,
    fullPage: true,
    animations: 'disabled',
    style:
      '.sticky-top, .sticky-aside, .save-bar, .auth-aside { position: relative !important; top: auto !important; bottom: auto !important; }',
  });
  return path;
}

/** A unique email per run, so journeys never depend on each other's data. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@e2e.test`;
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/dashboard');
}

export async function logOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu-toggle').click();
  await page.getByTestId('logout-button').click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Creates an account straight through the API (for data a journey needs but does not test). */
export async function signUpViaApi(baseUrl: string, body: object): Promise<SignedUp> {
  const response = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return response.json();
}

export function influencerBody(email: string, overrides: ProfileOverrides = {}) {
  return {
    email,
    password: 'a-long-creator-password',
    role: 'influencer',
    displayName: overrides.displayName ?? 'Test Creator',
    profile: {
      bio: 'Creator used by the browser tests.',
      niche: 'lifestyle',
      platforms: [{ platform: 'instagram', handle: '@tester', followers: 1000 }],
      ...overrides.profile,
    },
  };
}

/** Fails when the page is wider than its viewport (a horizontal scrollbar on phones). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Logs in through the API and returns the access token (for setup a journey does not test). */
export async function apiToken(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
}

/** The admin approves a pending sponsor through the API. */
export async function approveViaApi(baseUrl: string, userId: string): Promise<SignedUp['user']> {
  const token = await apiToken(baseUrl, ADMIN.email, ADMIN.password);
  const response = await fetch(`${baseUrl}/api/v1/admin/users/${userId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`approve failed: ${response.status} ${await response.text()}`);
  return response.json();
}

export function sponsorBody(email: string, overrides: ProfileOverrides = {}) {
  return {
    email,
    password: 'a-long-sponsor-password',
    role: 'sponsor',
    displayName: overrides.displayName ?? 'Test Sponsor',
    profile: { companyName: 'Testbrand Ltd', industry: 'Consumer goods', ...overrides.profile },
  };
}

/** A `YYYY-MM-DD` date `days` from today, in UTC as the server counts days. */
export function utcDay(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The demo data set's logins (`DEMO_DATA`, see apps/api/src/db/seed/demo.ts). */
export const DEMO = {
  password: 'demo-password',
  admin: 'admin@iescp.local',
  sponsor: 'brand@glowskin.example',
  pendingSponsor: 'hello@byteforge.example',
};

/** What axe reports as serious or critical: barriers, not advice. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation,
 * printing each rule with the elements it flagged (their selectors and axe's summary), so a
 * failure says what to fix without a second run. `label` names the page and state.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const lines = violations.map(
    (v) =>
      `  ${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n` +
      v.nodes
        .map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.split('\n').join('\n      ')}`)
        .join('\n'),
  );
  throw new Error(`${label}: ${violations.length} serious/critical axe violation(s)\n${lines.join('\n')}`);
}

/** The serious and critical violations axe finds on the page now. */
export async function axeViolations(page: Page) {
  // Only violations are read: asking for just those spares axe building the (large) list of passes.
  // A sandboxed frame (a mail's HTML in the admin's outbox) runs no script by design, so axe
  // cannot run inside it and waits for it without end; its content is not our interface.
  const results = await new AxeBuilder({ page })
    .exclude('iframe[sandbox]')
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
}
