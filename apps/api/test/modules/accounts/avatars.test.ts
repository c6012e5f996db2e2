import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import {
  expectNoSecrets,
  expectProblem,
  expectValidation,
  multipart,
  uploadAvatar,
} from '../../support/fixtures/http.js';
import { gifImage, jpegImage, jpegWithExif, pngImage, pngOfSize, webpImage } from '../../support/fixtures/images.js';

/**
 * PUT /me/avatar and serving the stored image, per API.md "Accounts and auth": multipart field
 * `file`, PNG/JPEG/WebP ≤ 2 MiB judged by content, stored re-encoded, shown as `avatarUrl`.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
});
afterAll(async () => ctx?.close());

const getMe = (who: TestUser) => call(ctx, 'GET', '/api/v1/me', { auth: who });

/** The path part of an avatar URL, relative or absolute. */
const pathOf = (url: string) => {
  const u = new URL(url, 'http://localhost');
  return u.pathname + u.search;
};

describe('PUT /me/avatar', () => {
  const serve = (url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url: pathOf(url), headers });

  it('requires authentication', async () => {
    expectProblem(await uploadAvatar(ctx, null, await pngImage()), 401, 'unauthenticated');
  });

  it('stores a PNG re-encoded as WebP and serves it publicly at avatarUrl', async () => {
    const inf = await f.influencer();
    const png = await pngImage();
    const res = await uploadAvatar(ctx, inf, png);
    expect(res.statusCode).toBe(200);
    const user = res.json();
    expect(user.id).toBe(inf.user.id);
    expect(typeof user.avatarUrl).toBe('string');
    expectNoSecrets(res);
    expect((await getMe(inf)).json().avatarUrl).toBe(user.avatarUrl);

    // Anyone may load it, signed in or not.
    const image = await serve(user.avatarUrl);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\/webp/);
    expect((await sharp(image.rawPayload).metadata()).format).toBe('webp');
    const other = await f.sponsor();
    expect((await serve(user.avatarUrl, other.auth)).statusCode).toBe(200);
  });

  it.each([
    ['JPEG', jpegImage, 'me.jpg', 'image/jpeg'],
    ['WebP', webpImage, 'me.webp', 'image/webp'],
  ])('accepts a %s and stores it as WebP', async (_name, make, filename, type) => {
    const spo = await f.sponsor();
    const upload = await make();
    const res = await uploadAvatar(ctx, spo, upload, { filename, type });
    expect(res.statusCode).toBe(200);
    const image = await serve(res.json().avatarUrl);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\/webp/);
    expect((await sharp(image.rawPayload).metadata()).format).toBe('webp');
    // Re-encoded, not stored as sent.
    expect(Buffer.compare(image.rawPayload, upload)).not.toBe(0);
  });

  it('judges by content, not by name or declared type', async () => {
    const inf = await f.influencer();
    const res = await uploadAvatar(ctx, inf, await pngImage(), { filename: 'notes.txt', type: 'text/plain' });
    expect(res.statusCode).toBe(200);
    expect(typeof res.json().avatarUrl).toBe('string');
  });

  it('answers 415 for a text file renamed .png and keeps the old avatar', async () => {
    const inf = await f.influencer();
    const first = (await uploadAvatar(ctx, inf, await pngImage())).json().avatarUrl;
    const res = await uploadAvatar(ctx, inf, 'this is not an image, just text pretending\n', {
      filename: 'evil.png',
      type: 'image/png',
    });
    expectProblem(res, 415, 'unsupported_media_type');
    expect((await getMe(inf)).json().avatarUrl).toBe(first);
  });

  it('answers 415 for a real PNG header over corrupt data (not a 500) and keeps the old avatar', async () => {
    const inf = await f.influencer();
    const first = (await uploadAvatar(ctx, inf, await pngImage())).json().avatarUrl;
    const png = await pngImage();
    // Headers intact (so the format is recognised), the end of the image data garbled.
    const corrupt = Buffer.concat([png.subarray(0, png.length - 20), Buffer.alloc(200, 0x5a)]);
    const res = await uploadAvatar(ctx, inf, corrupt, { filename: 'broken.png', type: 'image/png' });
    expectProblem(res, 415, 'unsupported_media_type');
    expect((await getMe(inf)).json().avatarUrl).toBe(first);
  });

  it('answers 415 for an image format that is not PNG, JPEG or WebP (GIF, SVG)', async () => {
    const inf = await f.influencer();
    expectProblem(
      await uploadAvatar(ctx, inf, await gifImage(), { filename: 'a.png', type: 'image/png' }),
      415,
      'unsupported_media_type',
    );
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    expectProblem(
      await uploadAvatar(ctx, inf, svg, { filename: 'a.png', type: 'image/png' }),
      415,
      'unsupported_media_type',
    );
    expect((await getMe(inf)).json().avatarUrl).toBeNull();
  });

  it('accepts a genuine image of 1.5 MiB (the limit is 2 MiB)', async () => {
    const inf = await f.influencer();
    const png = await pngOfSize(1.5 * 1024 * 1024);
    expect(png.length).toBeGreaterThan(1.4 * 1024 * 1024);
    expect(png.length).toBeLessThan(2 * 1024 * 1024);
    const res = await uploadAvatar(ctx, inf, png);
    expect(res.statusCode).toBe(200);
    expect(typeof res.json().avatarUrl).toBe('string');
  });

  it('answers 413 payload_too_large for an image over 2 MiB and keeps no avatar', async () => {
    const inf = await f.influencer();
    const png = await pngOfSize(2.2 * 1024 * 1024);
    expect(png.length).toBeGreaterThan(2 * 1024 * 1024);
    expectProblem(await uploadAvatar(ctx, inf, png), 413, 'payload_too_large');
    expect((await getMe(inf)).json().avatarUrl).toBeNull();
  });

  it('strips metadata when re-encoding', async () => {
    const inf = await f.influencer();
    const jpeg = await jpegWithExif();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await uploadAvatar(ctx, inf, jpeg, { filename: 'cam.jpg', type: 'image/jpeg' });
    expect(res.statusCode).toBe(200);
    const image = await serve(res.json().avatarUrl);
    expect((await sharp(image.rawPayload).metadata()).exif).toBeUndefined();
    expect(image.rawPayload.includes(Buffer.from('TestCam'))).toBe(false);
    expect(image.rawPayload.includes(Buffer.from('secret-location'))).toBe(false);
  });

  it('answers 400 validation_failed without a `file` part', async () => {
    const inf = await f.influencer();
    expectValidation(await uploadAvatar(ctx, inf, await pngImage(), { field: 'avatar' }));
    const { payload, contentType } = await multipart([{ name: 'note', data: 'no file here' }]);
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/me/avatar',
      headers: { ...inf.auth, 'content-type': contentType },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expectProblem(res as never, 400, 'validation_failed');
  });

  it('answers 415 for a body that is not multipart', async () => {
    const inf = await f.influencer();
    const res = await call(ctx, 'PUT', '/api/v1/me/avatar', {
      auth: inf,
      body: { file: 'data:image/png;base64,AAAA' },
    });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('replaces the avatar on a new upload and changes only the caller (other user untouched)', async () => {
    const a = await f.influencer();
    const b = await f.influencer();
    const bUrl = (await uploadAvatar(ctx, b, await jpegImage(), { filename: 'b.jpg', type: 'image/jpeg' })).json()
      .avatarUrl;
    const first = (await uploadAvatar(ctx, a, await pngImage())).json().avatarUrl;
    const blue = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#00f' } })
      .png()
      .toBuffer();
    const second = (await uploadAvatar(ctx, a, blue)).json().avatarUrl;
    expect(second).not.toBe(first);
    expect((await getMe(a)).json().avatarUrl).toBe(second);
    expect((await serve(second)).statusCode).toBe(200);
    expect((await getMe(b)).json().avatarUrl).toBe(bUrl);
    expect((await serve(bUrl)).statusCode).toBe(200);
  });

  it('serves every role: a sponsor, a pending sponsor and an admin may have an avatar too', async () => {
    for (const who of [await f.sponsor(), await f.pendingSponsor(), await f.admin()]) {
      const res = await uploadAvatar(ctx, who, await pngImage());
      expect(res.statusCode).toBe(200);
      expect((await getMe(who)).json().avatarUrl).toBe(res.json().avatarUrl);
    }
  });

  it('answers 403 account_deactivated to a deactivated user', async () => {
    const gone = await f.influencer({ status: 'deactivated' });
    expectProblem(await uploadAvatar(ctx, gone, await pngImage()), 403, 'account_deactivated');
  });

  it('answers 404 not_found for an avatar that does not exist', async () => {
    const inf = await f.influencer();
    const url = (await uploadAvatar(ctx, inf, await pngImage())).json().avatarUrl as string;
    const path = pathOf(url);
    const unknown = path.replace(/[^/]+$/, (last) => last.replace(/[0-9a-f]/g, (c) => (c === '0' ? '1' : '0')));
    expect(unknown).not.toBe(path);
    expectProblem((await ctx.app.inject({ method: 'GET', url: unknown })) as never, 404, 'not_found');
  });
});

describe('PUT /me/avatar with a malformed multipart body', () => {
  const put = async (contentType: string, payload: Buffer | string) => {
    const who = await f.influencer();
    return ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/me/avatar',
      headers: { ...who.auth, 'content-type': contentType },
      payload,
    });
  };

  it('answers 400 validation_failed, not 500, when the boundary is missing', async () => {
    const { payload } = await multipart([
      { name: 'file', data: await pngImage(), filename: 'a.png', type: 'image/png' },
    ]);
    expectValidation(await put('multipart/form-data', payload));
  });

  it('answers 400 validation_failed when the boundary does not match the body', async () => {
    const { payload } = await multipart([
      { name: 'file', data: await pngImage(), filename: 'a.png', type: 'image/png' },
    ]);
    expectValidation(await put('multipart/form-data; boundary=not-the-one-in-the-body', payload));
  });

  it('answers 400 validation_failed when the body is truncated', async () => {
    const { payload, contentType } = await multipart([
      { name: 'file', data: await pngImage(), filename: 'a.png', type: 'image/png' },
    ]);
    expectValidation(await put(contentType, payload.subarray(0, Math.floor(payload.length / 2))));
  });

  it('answers 400 validation_failed when a part header is malformed', async () => {
    const body = '--b\r\nthis is no header\r\n\r\nxx\r\n--b--\r\n';
    expectValidation(await put('multipart/form-data; boundary=b', body));
  });
});
