// Journey: a sponsor is approved, which sends them a mail; with no SMTP server configured the mail
// stays in the local outbox, where the admin finds it, filters by status and reads it as the
// recipient would (HTML, then the text part).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  approveViaApi,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  sponsorBody,
  uniqueEmail,
  useJourney,
} from './support.ts';

const journey = useJourney();

test('the admin reads a mail in the outbox', async () => {
  const email = uniqueEmail('mailed');
  const sponsor = await signUpViaApi(journey.server.baseUrl, sponsorBody(email));
  await approveViaApi(journey.server.baseUrl, sponsor.user.id);

  const { page } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByTestId('nav-admin-outbox').first().click();
  await page.waitForURL(/\/admin\/outbox$/);
  const row = page.getByTestId('outbox-row').filter({ hasText: email });
  await row.waitFor();
  // Outbox mode: "sent" means kept here.
  assert.equal(await row.getByTestId('outbox-status').textContent(), 'sent');
  await screenshot(page, 'admin-outbox-1280');

  // The status filter lives in the URL.
  await page.getByTestId('outbox-tab-failed').click();
  await page.waitForURL((url) => url.searchParams.get('status') === 'failed');
  await page.getByTestId('outbox-empty').waitFor();
  await page.getByTestId('outbox-tab-sent').click();
  await row.waitFor();

  await row.getByRole('link').click();
  await page.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}$/);
  const frame = page.getByTestId('outbox-mail-html');
  await frame.waitFor();
  assert.equal(await frame.getAttribute('sandbox'), '');
  await page.frameLocator('[data-testid="outbox-mail-html"]').getByText('Open in IESCP').waitFor();
  assert.equal(await page.getByTestId('outbox-mail-retry').count(), 0);
  await screenshot(page, 'admin-outbox-mail-1280');

  await page.getByTestId('outbox-mail-tab-text').click();
  const text = await page.getByTestId('outbox-mail-text').textContent();
  assert.match(text ?? '', /Open in IESCP: http/);
  await page.getByTestId('outbox-mail-tab-headers').click();
  await page.getByText('List-Unsubscribe-Post').waitFor();
});
