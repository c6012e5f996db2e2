// Journey: a sponsor signs up and waits for approval; an admin approves them on the users
// page; the sponsor reloads and sees the approved state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, logIn, newPage, screenshot, uniqueEmail, useJourney } from './support.ts';

const journey = useJourney();

test('a new sponsor awaits approval until an admin approves them', async () => {
  const sponsorEmail = uniqueEmail('sponsor');
  const sponsor = await newPage(journey.browser, journey.server.baseUrl);
  const { page } = sponsor;

  // Sign up from the landing page's "I'm a brand" call to action.
  await page.goto('/');
  await page.getByTestId('hero-signup-sponsor').click();
  await page.waitForURL('**/signup?role=sponsor');
  assert.equal(await page.getByTestId('signup-role-sponsor').isChecked(), true);
  await page.getByTestId('signup-email').fill(sponsorEmail);
  await page.getByTestId('signup-display-name').fill('Maya Brandt');
  await page.getByTestId('signup-password').fill('a-long-sponsor-password');
  await page.getByTestId('profile-company').fill('Glowlab Skincare');
  await page.getByTestId('profile-industry').fill('Beauty');
  await page.getByTestId('profile-website').fill('https://glowlab.example');
  await page.getByTestId('profile-budget').fill('12,500');
  await page.getByTestId('signup-submit').click();

  await page.waitForURL('**/dashboard');
  const pending = page.getByTestId('pending-approval');
  await pending.waitFor();
  assert.match(await pending.innerText(), /awaiting approval/i);
  assert.equal(await page.getByTestId('sponsor-approved').count(), 0);
  await screenshot(page, 'sponsor-pending-1280');

  // Elsewhere in the app the pending state is a banner.
  await page.getByTestId('nav-profile').click();
  await page.getByTestId('pending-approval-banner').waitFor();

  // The admin approves the sponsor from the filtered users page.
  const admin = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.getByTestId('nav-admin-users').click();
  await admin.page.getByTestId('admin-filter-status').selectOption('pending_approval');
  await admin.page.waitForURL((url) => url.searchParams.get('status') === 'pending_approval');
  const row = admin.page.locator(`[data-testid="admin-user-row"][data-email="${sponsorEmail}"]`);
  await row.waitFor();
  assert.equal((await row.getByTestId('user-status').innerText()).trim(), 'Awaiting approval');
  await row.getByTestId('user-action-approve').click();
  await admin.page.getByTestId('toast-success').waitFor();
  await row.getByTestId('user-status').filter({ hasText: 'Active' }).waitFor();
  assert.equal(await row.getByTestId('user-action-approve').count(), 0);
  await screenshot(admin.page, 'admin-approved-1280');

  // The sponsor reloads (the session survives through the refresh cookie) and is approved.
  // Two loads back to back: the second often aborts the first one's token refresh, which
  // must not cost the session (the server has already rotated the token by then).
  await page.goto('/dashboard');
  await page.reload();
  const approved = page.getByTestId('sponsor-approved');
  await approved.waitFor();
  assert.match(await approved.innerText(), /approved/i);
  assert.equal(await page.getByTestId('pending-approval').count(), 0);
  assert.equal(await page.getByTestId('pending-approval-banner').count(), 0);
  await screenshot(page, 'sponsor-approved-1280');

  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(admin.errors, []);
});
