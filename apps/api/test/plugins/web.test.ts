import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/helpers.js';

/**
 * The built web app as the server delivers it (issue 11, item 13): files compressed once at
 * build time and sent by Accept-Encoding, fingerprinted assets cached for a year, the shell
 * always revalidated, and a real robots.txt instead of the SPA's HTML.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../../web');
const script = pathToFileURL(path.join(web, 'scripts/precompress.mjs')).href;

let dist: string;
let ctx: TestContext;
const code = `export const greeting = ${JSON.stringify('hello '.repeat(800))};\n`;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'iescp-web-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), `<!doctype html><title>IESCP</title>${'<!-- pad -->'.repeat(200)}`);
  writeFileSync(path.join(dist, 'assets', 'app-3f2a1b.js'), code);
  writeFileSync(path.join(dist, 'assets', 'tiny-9c8d7e.js'), 'export {};\n');
  copyFileSync(path.join(web, 'public', 'robots.txt'), path.join(dist, 'robots.txt'));
  const { precompress } = (await import(script)) as { precompress: (dir: string) => number };
  expect(precompress(dist)).toBe(2);
  ctx = await createTestApp({ WEB_DIST_DIR: dist });
});
afterAll(async () => {
  await ctx?.close();
  rmSync(dist, { recursive: true, force: true });
});

const get = (url: string, encoding?: string) =>
  ctx.app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('the built web app', () => {
  it('sends a fingerprinted asset as Brotli or gzip by Accept-Encoding, cached for a year', async () => {
    const br = await get('/assets/app-3f2a1b.js', 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(code);
    expect(br.rawPayload.length).toBeLessThan(code.length / 10);

    const gz = await get('/assets/app-3f2a1b.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(code);

    const plain = await get('/assets/app-3f2a1b.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(code);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends small files as they are (no copy is made below 1 KiB)', async () => {
    const res = await get('/assets/tiny-9c8d7e.js', 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('keeps the shell revalidated, compressed too', async () => {
    const res = await get('/', 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).toString()).toContain('<title>IESCP</title>');
  });

  it('answers /robots.txt with the real file, not the SPA', async () => {
    const res = await get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('User-agent: *');
    expect(res.body).toContain('Disallow: /api/');
  });
});
