// Journey: an influencer keeps a Google Chat webhook for daily reminders on the profile page (a
// URL the server refuses is shown on the field), then follows the "Unsubscribe" link of a mail
// they got: the page asks first, switches that kind of mail off, and the profile page shows it
// off. The admin's user list shows when people were last seen.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  ADMIN,
  apiToken,
  influencerBody,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  uniqueEmail,
  useJourney,
  VIEWPORTS,
} from './support.ts';

const journey = useJourney();
const WEBHOOK = 'https://chat.googleapis.com/v1/spaces/X/messages?key=k&token=t';
const BRIEFS = '/work/briefs';

async function adminApi<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = await apiToken(journey.server.baseUrl, ADMIN.email, ADMIN.password);
  const response = await fetch(`${journey.server.baseUrl}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

/** One of the user's email choices, as the API has it now. */
async function emailChoice(email: string, kind: string): Promise<boolean> {
  const token = await apiToken(journey.server.baseUrl, email, 'a-long-creator-password');
  const response = await fetch(`${journey.server.baseUrl}/api/v1/me/notification-settings`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { email: Record<string, boolean> }).email[kind]!;
}

/** Keeps a copy of a screenshot where the brief asks for it, when that folder exists. */
async function keep(path: string, name: string): Promise<void> {
  await copyFile(path, `${BRIEFS}/${name}`).catch(() => undefined);
}

test('an influencer sets the chat webhook and unsubscribes from a kind of mail through its link', async () => {
  const email = uniqueEmail('unsub');
  const creator = await signUpViaApi(journey.server.baseUrl, influencerBody(email, { displayName: 'Una Subscriber' }));
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, email, 'a-long-creator-password');

  // The webhook field: a host the server does not allow is refused on the field, then an allowed one is kept.
  await page.goto('/profile');
  const field = page.getByTestId('chat-webhook-url');
  await field.waitFor();
  assert.equal(await field.inputValue(), '');
  await field.fill('https://hooks.example.com/services/x');
  await page.getByTestId('chat-webhook-save').click();
  await page
    .getByTestId('chat-webhook-form')
    .locator('.invalid-feedback')
    .getByText(/chat\.googleapis\.com/)
    .waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await field.fill(WEBHOOK);
  await page.getByTestId('chat-webhook-save').click();
  await page.getByText('Chat webhook saved.').waitFor();
  await page.reload();
  await page.getByTestId('chat-webhook-url').waitFor();
  assert.equal(await page.getByTestId('chat-webhook-url').inputValue(), WEBHOOK);
  await page.getByTestId('chat-webhook-remove').waitFor();
  await page.getByTestId('chat-webhook-form').scrollIntoViewIfNeeded();
  await screenshot(page, 'profile-chat-webhook-1280');
  // The new email kinds are listed, on.
  assert.equal(await page.getByTestId('email-setting-new_message').isChecked(), true);
  assert.equal(await page.getByTestId('email-setting-daily_reminder').isChecked(), true);
  assert.equal(await page.getByTestId('email-setting-account_flagged').isChecked(), true);

  // A mail: the admin flags the account (a notification, and its email), then lifts the flag.
  await adminApi(`/admin/users/${creator.user.id}/flag`, { method: 'POST', body: JSON.stringify({ reason: 'Check' }) });
  await adminApi(`/admin/users/${creator.user.id}/unflag`, { method: 'POST', body: '{}' });
  const outbox = await adminApi<{ items: { id: string; to: string; kind: string }[] }>('/admin/outbox?limit=100');
  const sent = outbox.items.find((m) => m.to === email && m.kind === 'account_flagged');
  assert.ok(sent, 'the flag mail is in the outbox');
  const mail = await adminApi<{ text: string; html: string }>(`/admin/outbox/${sent.id}`);
  // The link the recipient sees in the footer, as the mail gives it.
  const link = /Unsubscribe from these emails: (\S+)/.exec(mail.text)?.[1];
  assert.ok(link, 'the text part has the unsubscribe link');
  const target = new URL(link);
  assert.equal(target.pathname, '/unsubscribe');
  assert.ok(mail.html.includes('Unsubscribe from these emails'));

  // Opening the page changes nothing (mail scanners open links); the button does.
  await page.goto(`${target.pathname}${target.search}`);
  await page.getByTestId('unsubscribe-confirm').waitFor();
  await page.getByRole('heading', { name: 'Stop these emails?' }).waitFor();
  await screenshot(page, 'unsubscribe-ask-1280');
  assert.equal(await emailChoice(email, 'account_flagged'), true, 'opening the page changed nothing');
  await page.getByTestId('unsubscribe-confirm').click();
  await page.getByTestId('unsubscribe-done').waitFor();
  assert.equal(await page.getByTestId('unsubscribe-kind').textContent(), 'Your account flagged by moderation');
  await keep(await screenshot(page, 'unsubscribe-done-1280'), 'unsubscribe.png');

  await page.getByTestId('unsubscribe-settings').click();
  await page.waitForURL(/\/profile$/);
  await page.getByTestId('email-setting-account_flagged').waitFor();
  assert.equal(await page.getByTestId('email-setting-account_flagged').isChecked(), false);
  assert.equal(await page.getByTestId('email-setting-new_message').isChecked(), true);

  // A damaged link says so.
  await page.goto(`/unsubscribe?token=${encodeURIComponent(target.searchParams.get('token')!.slice(0, -3))}`);
  await page.getByTestId('unsubscribe-confirm').click();
  await page.getByTestId('unsubscribe-error').getByText('This unsubscribe link does not work').waitFor();
  assert.deepEqual(errors, []);

  // On a phone the page fits.
  const phone = await newPage(journey.browser, journey.server.baseUrl, VIEWPORTS.phone);
  await phone.page.goto(`${target.pathname}${target.search}`);
  await phone.page.getByTestId('unsubscribe-confirm').waitFor();
  await screenshot(phone.page, 'unsubscribe-ask-375');
  await phone.context.close();
});

test('the admin sees when each user was last seen', async () => {
  const seen = uniqueEmail('seen');
  // Signing up opens a session: that is the first login.
  await signUpViaApi(journey.server.baseUrl, influencerBody(seen, { displayName: 'Seen Recently' }));
  const { page } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto('/admin/users');
  const row = page.locator(`[data-testid="admin-user-row"][data-email="${seen}"]`);
  await row.waitFor();
  const lastSeen = row.getByTestId('user-last-seen');
  assert.equal(await lastSeen.textContent(), 'just now');
  assert.match((await lastSeen.getAttribute('title')) ?? '', /Last login: \w+/);
  await keep(await screenshot(page, 'admin-users-last-seen-1280'), 'admin-users.png');
});
