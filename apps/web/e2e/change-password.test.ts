// Journey: a creator changes the password on the profile page. The form applies the sign-up rule
// as they type and puts the server's refusal of a wrong current password on that field; after
// the change this browser stays signed in, the creator's other browser is signed out at once, and
// only the new password logs in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { influencerBody, logIn, newPage, screenshot, signUpViaApi, uniqueEmail, useJourney } from './support.ts';

const journey = useJourney();

test('changing the password keeps this browser signed in and signs the other one out', async () => {
  const email = uniqueEmail('password-change');
  const body = influencerBody(email, { displayName: 'Pat Passwordchange' });
  await signUpViaApi(journey.server.baseUrl, body);
  const newPassword = 'violet kites over quiet harbours';

  const here = await newPage(journey.browser, journey.server.baseUrl);
  const elsewhere = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(here.page, email, body.password);
  await logIn(elsewhere.page, email, body.password);

  const { page } = here;
  await page.goto('/profile');
  const form = page.getByTestId('password-form');
  await form.waitFor();

  // The new password is checked as it is typed: the person's own name is refused.
  await page.getByTestId('password-new').fill('Pat Passwordchange');
  await page.getByTestId('password-new').blur();
  await form.locator('.invalid-feedback').first().waitFor();
  assert.equal(await page.getByTestId('password-new').getAttribute('aria-invalid'), 'true');

  // A wrong current password is the server's to judge; its answer lands on that field.
  await page.getByTestId('password-current').fill('not-my-password-at-all');
  await page.getByTestId('password-new').fill(newPassword);
  await page.getByTestId('password-save').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="password-current"]')?.getAttribute('aria-invalid') === 'true',
  );
  assert.notEqual(await page.getByTestId('password-new').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'password-change-wrong-current-1280');

  await page.getByTestId('password-current').fill(body.password);
  await page.getByTestId('password-save').click();
  await page.getByText('Password changed. You were signed out everywhere else.').waitFor();
  assert.equal(await page.getByTestId('password-current').inputValue(), '', 'the form is cleared');

  // This browser is still signed in: the notifications page loads its data.
  await page.goto('/notifications');
  await page.waitForURL('**/notifications');
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();

  // The other browser's session has ended: opening a page sends it to the login page.
  await elsewhere.page.goto('/notifications');
  await elsewhere.page.waitForURL((url) => url.pathname === '/login');

  // Only the new password works from now on.
  await elsewhere.page.getByTestId('login-email').fill(email);
  await elsewhere.page.getByTestId('login-password').fill(body.password);
  await elsewhere.page.getByTestId('login-submit').click();
  await elsewhere.page.getByTestId('form-error').waitFor();
  assert.match(await elsewhere.page.getByTestId('form-error').innerText(), /do not match an account/);
  await logIn(elsewhere.page, email, newPassword);

  assert.deepEqual(here.errors, []);
  assert.deepEqual(elsewhere.errors, []);
  await here.context.close();
  await elsewhere.context.close();
});
