import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';

/**
 * `chatWebhookUrl` in /me/notification-settings (API.md "Dashboards, reports, exports, jobs,
 * mail"): an https URL on a host of WEBHOOK_ALLOWED_HOSTS (chat.googleapis.com by default), so a
 * user can never make the server call inside its own network.
 */

let ctx: TestContext;
let user: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  user = await factories(ctx).influencer();
});
afterAll(async () => ctx?.close());

const settings = () => call(ctx, 'GET', '/api/v1/me/notification-settings', { auth: user });
const patch = (body: unknown) => call(ctx, 'PATCH', '/api/v1/me/notification-settings', { auth: user, body });
const HOOK = 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t';

describe('chatWebhookUrl', () => {
  it('is null until set, is set and cleared, and leaves the email choices alone', async () => {
    expect((await settings()).json().chatWebhookUrl).toBeNull();
    expect((await patch({ email: { offer_received: false } })).statusCode).toBe(200);

    const set = await patch({ chatWebhookUrl: HOOK });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ chatWebhookUrl: HOOK, email: { offer_received: false, offer_updated: true } });
    expect((await settings()).json().chatWebhookUrl).toBe(HOOK);

    const cleared = await patch({ chatWebhookUrl: null });
    expect(cleared.json()).toMatchObject({ chatWebhookUrl: null, email: { offer_received: false } });
  });

  it('refuses anything but https on an allowed host (400, nothing stored)', async () => {
    expect((await patch({ chatWebhookUrl: HOOK })).statusCode).toBe(200);
    for (const url of [
      'http://chat.googleapis.com/v1/spaces/A/messages',
      'https://127.0.0.1/v1/spaces/A/messages',
      'https://localhost/hook',
      'https://chat.googleapis.com.evil.example/hook',
      'https://user:pass@chat.googleapis.com/hook',
      'https://chat.googleapis.com:8443/hook',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expectValidation(await patch({ chatWebhookUrl: url }), '/chatWebhookUrl');
    }
    expect((await settings()).json().chatWebhookUrl).toBe(HOOK);
  });

  it('requires a signed-in user', async () => {
    expectProblem(
      await call(ctx, 'PATCH', '/api/v1/me/notification-settings', { body: { chatWebhookUrl: HOOK } }),
      401,
      'unauthenticated',
    );
  });
});
