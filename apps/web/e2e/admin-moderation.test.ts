// Journey: an admin pages through users, searches, flags and unflags, deactivates with a
// reason (the person is signed out on their next request) and reactivates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, influencerBody, logIn, newPage, screenshot, signUpViaApi, uniqueEmail, useJourney } from './support.ts';

const journey = useJourney();

test('admin moderation: paging, search, flag, deactivate and reactivate', async () => {
  // 22 creators + the admin: more than one page of 20.
  const victimEmail = uniqueEmail('victim');
  await signUpViaApi(journey.server.baseUrl, influencerBody(victimEmail, { displayName: 'Vic Tim' }));
  for (let index = 0; index < 21; index += 1) {
    await signUpViaApi(
      journey.server.baseUrl,
      influencerBody(uniqueEmail(`crowd${index}`), { displayName: `Crowd Creator ${index}` }),
    );
  }

  const creator = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(creator.page, victimEmail, 'a-long-creator-password');

  const admin = await newPage(journey.browser, journey.server.baseUrl);
  const { page } = admin;
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto('/admin/users');
  const rows = page.getByTestId('admin-user-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 20);
  await page.getByTestId('admin-users-load-more').click();
  await page.getByTestId('admin-users-end').waitFor();
  assert.equal(await rows.count(), 23);

  // Search goes into the URL, and the URL drives the list.
  await page.getByTestId('admin-filter-q').fill(victimEmail);
  await page.waitForURL((url) => url.searchParams.get('q') === victimEmail);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="admin-user-row"]').length === 1);
  const row = page.locator(`[data-testid="admin-user-row"][data-email="${victimEmail}"]`);

  // Flag, with a reason.
  await row.getByTestId('user-action-flag').click();
  const dialog = page.getByTestId('user-reason-dialog');
  await dialog.waitFor();
  await page.getByTestId('user-reason-input').fill('Bought followers');
  await page.getByTestId('user-reason-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('Vic Tim is flagged and hidden from search.').waitFor();
  await row.getByTestId('user-flagged').waitFor();

  // The flagged filter (from the URL) finds them; unflag lifts it.
  await page.goto('/admin/users?flagged=true');
  await row.waitFor();
  assert.equal(await page.getByTestId('admin-filter-flagged').inputValue(), 'true');
  assert.equal(await rows.count(), 1);
  await row.getByTestId('user-action-unflag').click();
  await page.getByText('The flag on Vic Tim is lifted.').waitFor();
  await row.getByTestId('user-flagged').waitFor({ state: 'detached' });

  // Deactivate needs a reason: the dialog validates before sending.
  await page.goto(`/admin/users?q=${encodeURIComponent(victimEmail)}`);
  await row.getByTestId('user-action-deactivate').click();
  await dialog.waitFor();
  await page.getByTestId('user-reason-confirm').click();
  await page.getByText('Reason is required.').waitFor();
  await page.getByTestId('user-reason-input').fill('Repeated spam reports');
  await screenshot(page, 'admin-deactivate-dialog-1280');
  await page.getByTestId('user-reason-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('Vic Tim is deactivated and has been signed out.').waitFor();
  await row.getByTestId('user-status').filter({ hasText: 'Deactivated' }).waitFor();

  // The creator is signed out at once, without doing anything: the server closes their socket,
  // the refresh fails, and they land on the login page with an explanation.
  await creator.page.waitForURL('**/login**');
  const notice = creator.page.getByTestId('login-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /deactivated/i);

  // And they cannot log back in until reactivated.
  await creator.page.getByTestId('login-email').fill(victimEmail);
  await creator.page.getByTestId('login-password').fill('a-long-creator-password');
  await creator.page.getByTestId('login-submit').click();
  await creator.page.getByTestId('form-error').waitFor();
  assert.match(await creator.page.getByTestId('form-error').innerText(), /deactivated/i);

  await row.getByTestId('user-action-reactivate').click();
  await page.getByText('Vic Tim is active again.').waitFor();
  await row.getByTestId('user-status').filter({ hasText: 'Active' }).waitFor();

  // Back in, they return to the page they were on when they were signed out (the dashboard).
  await creator.page.getByTestId('login-submit').click();
  await creator.page.waitForURL('**/dashboard');

  assert.deepEqual(admin.errors, []);
  assert.deepEqual(creator.errors, []);
});
