// Journey: an influencer signs up, adds a platform on the profile page, saves, and sees the
// reach the server computed (the sum of followers); then uploads an avatar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPage, screenshot, uniqueEmail, useJourney } from './support.ts';

const journey = useJourney();

// A 64×64 indigo PNG, so the upload needs no fixture file.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAoUlEQVR4nO2SQQkAQRDDqu6+9S8gPlbEPcJAoQKS0PTj9KITdALoFbsLcXfRCToB9Irdhbi76ASdAHrF7kLcXXSCTgC9Ynch7i46QSeAXrG7EHcXnaATQK/YXYi7i07QCaBX7C7E3UUn6ATQK3YX4u6iE3QC6BW7C3F30Qk6AfSK3YW4u+gEnQB6xe5C3F10gk4AvWJ3Ie4uOkEngF7xz4UeNvShWmu5tU8AAAAASUVORK5CYII=',
  'base64',
);

test('an influencer adds a platform and sees reach update to the sum of followers', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);

  await page.goto('/signup?role=influencer');
  await page.getByTestId('signup-email').fill(uniqueEmail('creator'));
  await page.getByTestId('signup-display-name').fill('Jonas Kim');
  await page.getByTestId('signup-password').fill('a-long-creator-password');
  await page.getByTestId('profile-niche').selectOption('tech');
  await page.getByTestId('profile-bio').fill('Gadget reviews and desk setups.');
  await page.getByTestId('platform-add').click();
  await page.getByTestId('platform-select-0').selectOption('instagram');
  await page.getByTestId('platform-handle-0').fill('@jonas.builds');
  await page.getByTestId('platform-followers-0').fill('1200');
  await page.getByTestId('signup-submit').click();
  await page.waitForURL('**/dashboard');
  await page.getByTestId('influencer-home').waitFor();

  await page.getByTestId('nav-profile').click();
  await page.waitForURL('**/profile');
  const reach = page.getByTestId('profile-reach');
  assert.equal(await reach.getAttribute('data-reach'), '1200');

  // Add a second platform and save.
  await page.getByTestId('platform-add').click();
  await page.getByTestId('platform-select-1').selectOption('youtube');
  await page.getByTestId('platform-handle-1').fill('JonasBuilds');
  await page.getByTestId('platform-followers-1').fill('3400');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('toast-success').filter({ hasText: 'Profile saved.' }).waitFor();
  await page.locator('[data-testid="profile-reach"][data-reach="4600"]').waitFor();
  assert.equal((await reach.innerText()).trim(), '4,600');

  // The server, not the page, holds the sum: it survives a reload.
  await page.reload();
  await page.locator('[data-testid="profile-reach"][data-reach="4600"]').waitFor();
  assert.equal(await page.getByTestId('platform-handle-1').inputValue(), 'JonasBuilds');

  // Validation as you type: a negative follower count is refused before any request.
  await page.getByTestId('platform-followers-1').fill('-5');
  await page.getByText('Followers cannot be negative.').waitFor();
  await page.getByTestId('platform-followers-1').fill('3400');

  // Avatar: a file that is not an image is refused by the server and the error is shown.
  await page
    .getByTestId('avatar-input')
    .setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await page.getByTestId('avatar-upload').click();
  const avatarError = page.getByTestId('avatar-error');
  await avatarError.waitFor();
  assert.match(await avatarError.innerText(), /PNG, JPEG or WebP/);

  // A real PNG uploads, previews and becomes the avatar.
  await page.getByTestId('avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await page.getByTestId('avatar-preview-name').waitFor();
  await page.getByTestId('avatar-upload').click();
  await page.getByText('Your new photo is live.').waitFor();
  const avatar = page.locator('[data-testid="profile-summary"] img');
  await avatar.waitFor();
  assert.match((await avatar.getAttribute('src')) ?? '', /avatars/);
  assert.equal(await avatar.evaluate((img) => img.complete && img.naturalWidth > 0), true);

  await screenshot(page, 'influencer-profile-1280');
  assert.deepEqual(errors, []);
});
