// Journey: forms validate as you type, server errors land on the right field or the form,
// route guards send people where they belong, and rate limiting explains when to retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  expectAccessible,
  influencerBody,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  uniqueEmail,
  useJourney,
} from './support.ts';

const journey = useJourney();

test('sign-up validates as you type and maps email_taken onto the email field', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  await page.goto('/signup');

  // Nothing shows before the person types; a short password is called out while typing.
  assert.equal(await page.locator('.invalid-feedback').count(), 0);
  await page.getByTestId('signup-password').pressSequentially('short');
  await page.getByText('Use at least 10 characters.').waitFor();
  await page.getByTestId('signup-password').pressSequentially('-but-now-long-enough');
  await page.getByText('Use at least 10 characters.').waitFor({ state: 'detached' });

  // Submitting an incomplete form marks the missing fields without calling the server.
  await page.getByTestId('signup-submit').click();
  await page.getByText('Display name is required.').waitFor();
  await page.getByText('Choose a niche.').waitFor();
  assert.equal(await page.getByTestId('signup-display-name').getAttribute('aria-invalid'), 'true');

  // The server's 409 email_taken lands on the email field.
  await page.getByTestId('signup-email').fill(ADMIN.email);
  await page.getByTestId('signup-display-name').fill('Second Admin');
  await page.getByTestId('profile-niche').selectOption('music');
  await page.getByTestId('signup-submit').click();
  await page.getByText('An account with this email already exists.').waitFor();
  assert.equal(await page.getByTestId('signup-email').getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).pathname, '/signup');
  await screenshot(page, 'signup-email-taken-1280');
  await expectAccessible(page, 'sign-up with a field error shown');
  assert.deepEqual(errors, []);
});

test('wrong credentials show a form-level message; guards redirect by role', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);

  // A signed-out visitor is sent to log in, then back to where they were going.
  await page.goto('/admin/users');
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/admin/users');
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  const formError = page.getByTestId('form-error');
  await formError.waitFor();
  assert.match(await formError.innerText(), /do not match an account/);

  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/admin/users');
  await page.getByTestId('admin-user-row').first().waitFor();

  // An influencer cannot open the admin page: the guard sends them to their dashboard.
  const email = uniqueEmail('guarded');
  await signUpViaApi(journey.server.baseUrl, influencerBody(email));
  const other = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(other.page, email, 'a-long-creator-password');
  assert.equal(await other.page.getByTestId('nav-admin-users').count(), 0);
  await other.page.goto('/admin/users');
  await other.page.waitForURL('**/dashboard');
  await other.page.getByTestId('influencer-home').waitFor();

  // Logging out ends the session for good: a reload stays signed out.
  await other.page.getByTestId('account-menu-toggle').click();
  await other.page.getByTestId('logout-button').click();
  await other.page.waitForURL((url) => url.pathname === '/');
  await other.page.getByTestId('nav-login').waitFor();
  await other.page.goto('/profile');
  await other.page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/profile');

  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
});

test('too many failed logins say when to try again', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  const email = uniqueEmail('locked');
  await signUpViaApi(journey.server.baseUrl, influencerBody(email));
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill('wrong-password-1');
  const formError = page.getByTestId('form-error');
  for (let attempt = 0; attempt < 12; attempt += 1) {
    await page.getByTestId('login-submit').click();
    await formError.waitFor();
    if (/Try again in \d+ minutes?/.test(await formError.innerText())) break;
    await page.waitForFunction(() => !document.querySelector('[data-testid="login-submit"]')?.hasAttribute('disabled'));
  }
  assert.match(await formError.innerText(), /Too many attempts\. Try again in \d+ minutes?\./);
  await screenshot(page, 'login-rate-limited-1280');
  await expectAccessible(page, 'log-in with a form-level error shown');
  assert.deepEqual(errors, []);
});
