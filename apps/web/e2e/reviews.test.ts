// Journey: two-sided, double-blind reviews. A deal is driven to completion through the API;
// the creator reviews the brand on the deal page (stars and a comment) and is told the review
// stays private; the brand sees no review of itself yet and reviews the creator; now both
// reviews show on the deal page for both, and each profile shows the rating summary and the
// review. Screenshots of the review card and a profile with ratings are saved and checked.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN,
  VIEWPORTS,
  apiToken,
  approveViaApi,
  expectAccessible,
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
} from './support.ts';

const sponsorEmail = uniqueEmail('review-brand');
const creatorEmail = uniqueEmail('review-creator');
const SPONSOR_PASSWORD = 'a-long-sponsor-password';
const CREATOR_PASSWORD = 'a-long-creator-password';
let sponsorId = '';
let creatorId = '';
let dealId = '';
/** Where the brief asks for the screenshots, besides e2e/screenshots. */
const BRIEF_DIR = process.env.REVIEW_SHOTS_DIR;

async function post(baseUrl: string, token: string, path: string, body: unknown) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  assert.ok(response.status < 300, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

const journey = useJourney(async ({ server }) => {
  const sponsor = await signUpViaApi(
    server.baseUrl,
    sponsorBody(sponsorEmail, { displayName: 'Ada Park', profile: { companyName: 'Brightleaf Tea' } }),
  );
  sponsorId = sponsor.user.id;
  await approveViaApi(server.baseUrl, sponsorId);
  const creator = await signUpViaApi(server.baseUrl, influencerBody(creatorEmail, { displayName: 'Rio Santos' }));
  creatorId = creator.user.id;

  const brand = await apiToken(server.baseUrl, sponsorEmail, SPONSOR_PASSWORD);
  const maker = await apiToken(server.baseUrl, creatorEmail, CREATOR_PASSWORD);
  const campaign = await post(server.baseUrl, brand, '/campaigns', {
    name: 'Spring tea tasting',
    description: 'Three teas, one honest tasting video.',
    niche: 'lifestyle',
    startDate: utcDay(0),
    endDate: utcDay(30),
    budgetCents: 300_000,
    visibility: 'public',
  });
  const deal = await post(server.baseUrl, brand, '/ad-requests', {
    campaignId: campaign.id,
    influencerId: creatorId,
    requirements: 'One tasting video.',
    paymentCents: 60_000,
  });
  dealId = deal.id;
  await post(server.baseUrl, maker, `/ad-requests/${dealId}/accept`, {});
  await post(server.baseUrl, maker, `/ad-requests/${dealId}/deliver`, { deliverableUrl: 'https://example.com/tea' });
  await post(server.baseUrl, brand, `/ad-requests/${dealId}/complete`, {});
});

async function openDeal(page: Page) {
  await page.goto(`/ad-requests/${dealId}`);
  await page.locator('[data-testid="deal-detail"][data-status="completed"]').waitFor();
  await page.getByTestId('deal-review-card').waitFor();
  await page.locator('[data-testid="deal-review-card"] .placeholder').first().waitFor({ state: 'detached' });
}

async function review(page: Page, stars: number, comment: string) {
  const card = page.getByTestId('deal-review-card');
  // The stars are a radio group a keyboard or a screen reader can use: pick by its label.
  await card.getByRole('group', { name: /How was working with/ }).waitFor();
  // A person clicks the star (the label); the radio it labels is then the checked one.
  await card.locator(`label[for="review-star-${stars}"]`).click();
  assert.equal(await card.getByRole('radio', { name: new RegExp(`^${stars} stars? `) }).isChecked(), true);
  await card.getByLabel(/Comment/).fill(comment);
  await card.getByTestId('review-submit').click();
  await card.getByTestId('review-form').waitFor({ state: 'detached' });
}

async function saveShot(page: Page, name: string) {
  const path = await screenshot(page, name);
  if (BRIEF_DIR) await copyFile(path, `${BRIEF_DIR}/${name}.png`);
}

test('each side reviews the other; the first review stays private until the second', async () => {
  // The creator reviews first.
  const creator = await newPage(journey.browser, journey.server.baseUrl);
  const cp = creator.page;
  await logIn(cp, creatorEmail, CREATOR_PASSWORD);
  await openDeal(cp);
  const card = cp.getByTestId('deal-review-card');
  assert.match(await card.innerText(), /Review Brightleaf Tea/);
  await expectAccessible(cp, 'review form');
  // Submitting without stars says what is missing, and sends nothing.
  await card.getByTestId('review-submit').click();
  await cp.locator('#review-rating-error').waitFor();
  await saveShot(cp, 'review-card-form');
  await review(cp, 4, 'Clear brief and paid on time.');
  await cp.getByTestId('review-pending-note').waitFor();
  assert.match(await cp.getByTestId('review-pending-note').innerText(), /stays private until Brightleaf Tea/);
  assert.equal(await cp.locator('[data-testid="deal-review"][data-published="false"]').count(), 1);
  await saveShot(cp, 'review-card-private');

  // The brand does not see it: its card offers the form, and its profile has no rating yet.
  const sponsor = await newPage(journey.browser, journey.server.baseUrl);
  const sp = sponsor.page;
  await logIn(sp, sponsorEmail, SPONSOR_PASSWORD);
  await openDeal(sp);
  assert.equal(await sp.getByTestId('deal-review').count(), 0, 'the creator’s review is not visible yet');
  await sp.goto(`/sponsors/${sponsorId}`);
  await sp.getByTestId('rating-summary-empty').waitFor();

  // The brand reviews: both publish at once.
  await openDeal(sp);
  await review(sp, 5, 'A lovely video, our best this spring.');
  await sp.locator('[data-testid="deal-review"][data-published="true"]').nth(1).waitFor();
  assert.equal(await sp.locator('[data-testid="deal-review"][data-published="true"]').count(), 2);
  await expectAccessible(sp, 'both reviews');
  await saveShot(sp, 'review-card-both');

  // The creator now sees both, and both profiles show their rating.
  await openDeal(cp);
  assert.equal(await cp.locator('[data-testid="deal-review"][data-published="true"]').count(), 2);
  await cp.goto(`/sponsors/${sponsorId}`);
  await cp.getByTestId('rating-average').waitFor();
  assert.equal((await cp.getByTestId('rating-average').innerText()).trim(), '4.0');
  assert.match(await cp.getByTestId('review-list').innerText(), /Clear brief and paid on time/);

  await sp.goto(`/influencers/${creatorId}`);
  await sp.getByTestId('rating-average').waitFor();
  assert.equal((await sp.getByTestId('rating-average').innerText()).trim(), '5.0');
  assert.match(await sp.getByTestId('review-list').innerText(), /our best this spring/);
  await expectAccessible(sp, 'profile with ratings');
  await saveShot(sp, 'review-profile');

  // At phone width the profile and the deal page fit.
  const phone = await newPage(journey.browser, journey.server.baseUrl, VIEWPORTS.phone);
  await logIn(phone.page, creatorEmail, CREATOR_PASSWORD);
  await openDeal(phone.page);
  assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the deal page fits a phone');
  await saveShot(phone.page, 'review-card-phone');

  assert.deepEqual([...creator.errors, ...sponsor.errors, ...phone.errors], []);
  await Promise.all([creator.context.close(), sponsor.context.close(), phone.context.close()]);
});

test('the admin hides a review with a reason: it leaves the profile and its rating', async () => {
  const admin = await newPage(journey.browser, journey.server.baseUrl);
  const ap = admin.page;
  await logIn(ap, ADMIN.email, ADMIN.password);
  await ap.getByTestId('nav-admin-reviews').click();
  await ap.waitForURL('**/admin/reviews');
  const row = ap.getByTestId('reviews-row').filter({ hasText: 'Clear brief and paid on time.' });
  await row.getByTestId('reviews-hide').click();
  await ap.getByTestId('hide-review-reason').fill('Shares a private payment detail.');
  await ap.getByTestId('hide-review-confirm').click();
  await ap.getByRole('dialog').waitFor({ state: 'detached' });
  assert.equal((await row.getByTestId('reviews-state').innerText()).trim(), 'Hidden');
  await ap.getByTestId('reviews-tab-hidden').click();
  await ap.getByTestId('reviews-row').first().waitFor();
  assert.equal(await ap.getByTestId('reviews-row').count(), 1);

  // The brand's profile has no rating left; the creator's own deal page no longer shows it.
  await ap.goto(`/sponsors/${sponsorId}`);
  await ap.getByTestId('rating-summary-empty').waitFor();
  const creator = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(creator.page, creatorEmail, CREATOR_PASSWORD);
  await openDeal(creator.page);
  assert.equal(await creator.page.getByTestId('deal-review').count(), 1, 'only the brand’s review of the creator');
  assert.deepEqual([...admin.errors, ...creator.errors], []);
  await Promise.all([admin.context.close(), creator.context.close()]);
});
