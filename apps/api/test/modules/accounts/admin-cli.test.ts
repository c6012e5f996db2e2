import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run admin` (issue 11, item 10) as a real process: it resolves its configuration exactly
 * as `npm start` does (the working directory's .env, then the environment), refuses while
 * another process holds the embedded database, and prints its usage on --help.
 */

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(api, '../../node_modules/.bin/tsx');
const cli = path.join(api, 'src/cli.ts');

let dir: string;
const children: ChildProcess[] = [];

function runCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  // Only the .env in the working directory may say where the data lives.
  delete env.DATA_DIR;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return spawnSync(tsx, [cli, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 110_000 });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'iescp-cli-'));
  writeFileSync(path.join(dir, '.env'), 'DATA_DIR=./from-dotenv\n');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each test starts a process that compiles the CLI and opens (or migrates) an embedded
// database: seconds when the machine is idle, well over the default 30 s when it is not.
describe('npm run admin', { timeout: 120_000 }, () => {
  it('prints its usage on --help and exits 0', () => {
    const res = runCli(['--help']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^usage: npm run admin -- --email EMAIL --password PASSWORD/);
    expect(res.stdout).toContain('.env');
  });

  it('writes to the DATA_DIR the working directory’s .env names, as npm start reads it', () => {
    const res = runCli(['--email', 'Root@Example.test', '--password', 'a-long-admin-password']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('created admin root@example.test');
    expect(existsSync(path.join(dir, 'from-dotenv', 'pglite'))).toBe(true);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
    // The lock is released when the CLI is done, so the server can start afterwards.
    expect(existsSync(path.join(dir, 'from-dotenv', 'iescp.lock'))).toBe(false);
    const again = runCli(['--email', 'root@example.test', '--password', 'another-long-password']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('reset the password of admin root@example.test');
  });

  it('refuses clearly while another live process holds the embedded database', () => {
    const holder = spawn('sleep', ['30']);
    children.push(holder);
    const data = path.join(dir, 'from-dotenv');
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'iescp.lock'), String(holder.pid));
    const res = runCli(['--email', 'root@example.test', '--password', 'a-third-long-password']);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`in use by process ${holder.pid}`);
    expect(res.stdout).not.toContain('admin');
  });

  it('takes over a lock left by a process that is gone', () => {
    const gone = spawnSync('true').pid;
    writeFileSync(path.join(dir, 'from-dotenv', 'iescp.lock'), String(gone));
    const res = runCli(['--email', 'root@example.test', '--password', 'a-fourth-long-password']);
    expect(res.status, res.stderr).toBe(0);
  });
});
