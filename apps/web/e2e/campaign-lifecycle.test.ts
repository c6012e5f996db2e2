// Journey: a campaign's life. A pending sponsor is told why they cannot create campaigns; once
// approved they create a private campaign through the form (the form refuses an end date before
// the start date as they type), find it in My campaigns, raise its budget and see it on the
// detail page. An influencer cannot find the private campaign in Discover nor open its URL;
// once the sponsor makes it public, the influencer finds it by a word prefix. The sponsor
// deletes it with confirmation and it is gone for both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  VIEWPORTS,
  approveViaApi,
  horizontalOverflow,
  influencerBody,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  sponsorBody,
  uniqueEmail,
  utcDay,
  useJourney,
  expectAccessible,
} from './support.ts';

const journey = useJourney();

const NAME = 'Aurora trail running series';

/**
 * Keeps the JSON bodies of the page's PATCH requests in `window.__patches`. (The app sends
 * `Request` objects whose bodies the browser streams, so the protocol does not show them.)
 */
async function recordPatches(page) {
  await page.evaluate(() => {
    window.__patches = [];
    const original = window.fetch;
    window.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'PATCH') window.__patches.push(await request.clone().json());
      return original(request);
    };
  });
}

/**
 * Picks a visibility card by its label, as a person does. (A forced click on the visually hidden
 * radio lands on whatever covers its spot, the sticky save bar for one.)
 */
async function chooseVisibility(page, visibility: 'public' | 'private') {
  await page.locator(`[data-testid="campaign-visibility-${visibility}"] + label`).click();
  assert.equal(await page.getByTestId(`campaign-visibility-${visibility}`).isChecked(), true);
}

test('a sponsor creates, edits, publishes and deletes a campaign; an influencer sees it only when public', async () => {
  const sponsorEmail = uniqueEmail('aurora-brand');
  const creatorEmail = uniqueEmail('runner');
  const signup = await signUpViaApi(
    journey.server.baseUrl,
    sponsorBody(sponsorEmail, { displayName: 'Ines Vidal', profile: { companyName: 'Aurora Outdoor Co' } }),
  );
  await signUpViaApi(journey.server.baseUrl, influencerBody(creatorEmail, { displayName: 'Riley Runner' }));

  const sponsor = await newPage(journey.browser, journey.server.baseUrl);
  const { page } = sponsor;
  await logIn(page, sponsorEmail, 'a-long-sponsor-password');

  // Pending: My campaigns explains the wait instead of offering a form that would be refused.
  await page.getByTestId('nav-my-campaigns').click();
  await page.waitForURL('**/campaigns/mine');
  const pending = page.getByTestId('campaigns-pending');
  await pending.waitFor();
  assert.match(await pending.innerText(), /once your account is approved/i);
  assert.equal(await page.getByTestId('new-campaign').isDisabled(), true);
  await page.goto('/campaigns/new');
  await page.getByTestId('campaign-form-pending').waitFor();
  assert.equal(await page.getByTestId('campaign-form').count(), 0);

  // Approved by an admin, the sponsor reloads and creates a campaign through the form.
  await approveViaApi(journey.server.baseUrl, signup.user.id);
  await page.goto('/campaigns/mine');
  await page.getByTestId('my-campaigns-empty').waitFor();
  assert.equal(await page.getByTestId('campaigns-pending').count(), 0);
  await page.getByTestId('new-campaign').click();
  await page.waitForURL('**/campaigns/new');
  // A sponsor who skims the form makes a campaign creators can find: Public is the default.
  assert.equal(await page.getByTestId('campaign-visibility-public').isChecked(), true);
  assert.equal(await page.getByTestId('campaign-visibility-private').isChecked(), false);
  await page.getByTestId('campaign-name').fill(NAME);
  await page.getByTestId('campaign-niche').selectOption('sports');
  await page.getByTestId('campaign-description').fill('Three trail runs filmed at dawn, wearing the Aurora vest.');
  await page.getByTestId('campaign-goals').fill('Reach 100k trail runners in the Alps.');
  await page.getByTestId('campaign-start-date').fill(utcDay(0));
  // Validation as you type: an end date before the start date is refused before any request.
  await page.getByTestId('campaign-end-date').fill(utcDay(-3));
  await page.getByText('The end date must be on or after the start date.').waitFor();
  assert.equal(await page.getByTestId('campaign-end-date').getAttribute('aria-invalid'), 'true');
  await expectAccessible(page, 'the campaign form with an error shown');
  await page.getByTestId('campaign-end-date').fill(utcDay(30));
  await page.getByText('The end date must be on or after the start date.').waitFor({ state: 'detached' });
  await page.getByTestId('campaign-budget').fill('12,500');
  await chooseVisibility(page, 'private');
  await page.getByTestId('campaign-save').click();

  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
  const campaignId = new URL(page.url()).pathname.split('/').pop();
  await page.getByTestId('toast-success').waitFor();
  assert.equal((await page.getByTestId('campaign-name').innerText()).trim(), NAME);
  assert.equal((await page.getByTestId('campaign-budget-total').innerText()).trim(), '$12,500');
  assert.equal(await page.getByTestId('campaign-visibility').getAttribute('data-visibility'), 'private');
  assert.equal(await page.getByTestId('campaign-status').getAttribute('data-status'), 'active');
  assert.equal((await page.getByTestId('campaign-stat-remaining').innerText()).trim(), '$12,500');

  // The next step is on the page: invite creators, through Find influencers filtered to the niche.
  const invite = page.getByTestId('campaign-invite-cta');
  await invite.waitFor();
  assert.match(await page.getByTestId('campaign-invite-callout').innerText(), /only the creators you invite/i);
  await screenshot(page, 'campaign-created-invite-1280');
  await invite.click();
  await page.waitForURL((url) => url.pathname === '/influencers' && url.searchParams.get('niche') === 'sports');
  await page.goBack();
  await page.waitForURL(`**/campaigns/${campaignId}`);
  await page.getByTestId('campaign-invite-cta').waitFor();

  // My campaigns lists it, with its budget.
  await page.getByTestId('nav-my-campaigns').click();
  const row = page.locator(`[data-testid="my-campaign-row"][data-campaign-id="${campaignId}"]`);
  await row.waitFor();
  assert.equal(await page.getByTestId('my-campaign-row').count(), 1);
  assert.match(await row.innerText(), new RegExp(NAME));
  assert.equal((await row.getByTestId('my-campaign-budget').innerText()).trim(), '$12,500');
  await screenshot(page, 'my-campaigns-1280');

  // Raise the budget: the PATCH carries only the changed field.
  await row.getByTestId('my-campaign-edit').click();
  await page.waitForURL(`**/campaigns/${campaignId}/edit`);
  assert.equal(await page.getByTestId('campaign-budget').inputValue(), '12500');
  await page.getByTestId('campaign-budget').fill('15000');
  await recordPatches(page);
  await page.getByTestId('campaign-save').click();
  await page.waitForURL(`**/campaigns/${campaignId}`);
  assert.deepEqual(await page.evaluate(() => window.__patches), [{ budgetCents: 1_500_000 }]);
  await page.getByTestId('campaign-budget-total').filter({ hasText: '$15,000' }).waitFor();
  assert.equal((await page.getByTestId('campaign-stat-budget').innerText()).trim(), '$15,000');
  await screenshot(page, 'campaign-detail-owner-1280');
  // The owner's view: the statistics panel (a description list) is there.
  await expectAccessible(page, "the owner's campaign page with its statistics");

  // The influencer cannot find the private campaign, nor open it by its address.
  const creator = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(creator.page, creatorEmail, 'a-long-creator-password');
  await creator.page.getByTestId('nav-discover').click();
  await creator.page.waitForURL('**/discover');
  await creator.page.getByTestId('discover-filter-q').fill('Aurora');
  await creator.page.waitForURL((url) => url.searchParams.get('q') === 'Aurora');
  const empty = creator.page.getByTestId('discover-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /No campaigns match — try removing a filter/);
  await creator.page.getByTestId('discover-clear-filters').click();
  await creator.page.waitForURL((url) => url.pathname === '/discover' && url.search === '');
  assert.equal(await creator.page.getByTestId('discover-filter-q').inputValue(), '');
  await creator.page.goto(`/campaigns/${campaignId}`);
  await creator.page.getByTestId('campaign-not-found').waitFor();

  // The sponsor makes it public.
  await page.getByTestId('campaign-edit').click();
  await page.waitForURL(`**/campaigns/${campaignId}/edit`);
  await chooseVisibility(page, 'public');
  await page.getByTestId('campaign-save').click();
  await page.waitForURL(`**/campaigns/${campaignId}`);
  await page.locator('[data-testid="campaign-visibility"][data-visibility="public"]').waitFor();

  // Now a word prefix finds it, and the card leads to the detail page with a disabled Apply.
  await creator.page.goto('/discover');
  await creator.page.getByTestId('discover-filter-q').fill('auro');
  await creator.page.waitForURL((url) => url.searchParams.get('q') === 'auro');
  const card = creator.page.locator(`[data-testid="campaign-card"][data-campaign-id="${campaignId}"]`);
  await card.waitFor();
  assert.equal(await creator.page.getByTestId('campaign-card').count(), 1);
  assert.equal((await card.getByTestId('campaign-card-budget').innerText()).trim(), '$15,000');
  assert.equal((await card.getByTestId('campaign-card-sponsor').innerText()).trim(), 'Aurora Outdoor Co');
  await screenshot(creator.page, 'discover-search-1280');
  await card.getByTestId('campaign-card-link').click();
  await creator.page.waitForURL(`**/campaigns/${campaignId}`);
  // A public, active campaign takes applications (the apply journey is in deal-lifecycle).
  assert.equal(await creator.page.getByTestId('campaign-apply').isEnabled(), true);
  assert.equal(await creator.page.getByTestId('campaign-edit').count(), 0);
  assert.equal(await creator.page.getByTestId('campaign-delete').count(), 0);
  assert.equal(await creator.page.getByTestId('campaign-stats').count(), 0);
  await screenshot(creator.page, 'campaign-detail-1280');

  // The sponsor name leads to the sponsor's public page, which lists the campaign.
  await creator.page.getByTestId('campaign-sponsor-link').click();
  await creator.page.waitForURL(`**/sponsors/${signup.user.id}`);
  assert.equal((await creator.page.getByTestId('profile-name').innerText()).trim(), 'Aurora Outdoor Co');
  await creator.page.locator(`[data-testid="campaign-card"][data-campaign-id="${campaignId}"]`).waitFor();

  // Discover fits a phone.
  const phone = await newPage(journey.browser, journey.server.baseUrl, VIEWPORTS.phone);
  await logIn(phone.page, creatorEmail, 'a-long-creator-password');
  await phone.page.goto('/discover?q=auro');
  await phone.page.getByTestId('campaign-card').first().waitFor();
  assert.ok((await horizontalOverflow(phone.page)) <= 0, 'discover overflows at 375px');
  await screenshot(phone.page, 'discover-375');

  // The sponsor deletes it, after confirming.
  await page.getByTestId('campaign-delete').click();
  const dialog = page.getByTestId('campaign-delete-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(`Delete “${NAME}”\\?`));
  await expectAccessible(page, 'the delete dialog open');
  await page.getByTestId('campaign-delete-confirm').click();
  await page.waitForURL('**/campaigns/mine');
  await page.getByText(`“${NAME}” is deleted.`).waitFor();
  await page.getByTestId('my-campaigns-empty').waitFor();
  assert.equal(await page.getByTestId('my-campaign-row').count(), 0);

  // Gone for the influencer too.
  await creator.page.goto(`/campaigns/${campaignId}`);
  await creator.page.getByTestId('campaign-not-found').waitFor();
  await creator.page.goto('/discover?q=auro');
  await creator.page.getByTestId('discover-empty').waitFor();

  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(creator.errors, []);
  assert.deepEqual(phone.errors, []);
});
