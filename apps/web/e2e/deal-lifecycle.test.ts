// Journey: a deal from invitation to payment. A sponsor invites a creator from the creator's
// public profile; the creator sees it in Deals with the awaiting-me badge and counters; the
// creator then has no accept button (it is the sponsor's turn); the sponsor accepts after a
// confirmation that states the amount, and the campaign's budget bar shows it reserved; the
// creator delivers a link; the sponsor approves and pays after a confirmation; the creator's
// earnings page shows the payment. A second creator applies to the public campaign, and a
// second application is refused with a link to the open one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  VIEWPORTS,
  apiToken,
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

const sponsorEmail = uniqueEmail('deal-brand');
const creatorEmail = uniqueEmail('deal-creator');
const applicantEmail = uniqueEmail('deal-applicant');
let creatorId;
let campaignId;
const CAMPAIGN = 'Lumen lamp launch';

const journey = useJourney(async ({ server }) => {
  const sponsor = await signUpViaApi(
    server.baseUrl,
    sponsorBody(sponsorEmail, { displayName: 'Nora Lind', profile: { companyName: 'Lumen Home' } }),
  );
  await approveViaApi(server.baseUrl, sponsor.user.id);
  const creator = await signUpViaApi(
    server.baseUrl,
    influencerBody(creatorEmail, { displayName: 'Kai Moreno', profile: { niche: 'lifestyle', rateCents: 90000 } }),
  );
  creatorId = creator.user.id;
  await signUpViaApi(server.baseUrl, influencerBody(applicantEmail, { displayName: 'Ivy Chen' }));

  const token = await apiToken(server.baseUrl, sponsorEmail, 'a-long-sponsor-password');
  const response = await fetch(`${server.baseUrl}/api/v1/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: CAMPAIGN,
      description: 'A cosy evening routine featuring the Lumen lamp.',
      niche: 'lifestyle',
      startDate: utcDay(0),
      endDate: utcDay(30),
      budgetCents: 500_000,
      visibility: 'public',
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  campaignId = (await response.json()).id;
});

const text = async (locator) => (await locator.innerText()).trim();

/** Waits until the deal page shows `status`. */
async function waitForStatus(page, status) {
  await page.locator(`[data-testid="deal-detail"][data-status="${status}"]`).waitFor();
}

test('invite, counter, accept, deliver, complete: the money moves and every side sees it', async () => {
  const sponsor = await newPage(journey.browser, journey.server.baseUrl);
  const sp = sponsor.page;
  await logIn(sp, sponsorEmail, 'a-long-sponsor-password');

  // The sponsor invites the creator from the creator's public profile.
  await sp.goto(`/influencers/${creatorId}`);
  await sp.getByTestId('invite-to-campaign').click();
  const invite = sp.getByTestId('invite-dialog');
  await invite.waitFor();
  await invite.getByTestId('invite-campaign').selectOption(campaignId);
  // The creator's usual rate is the starting payment; the sponsor offers less.
  assert.equal(await invite.getByTestId('offer-payment').inputValue(), '900');
  await invite.getByTestId('offer-payment').fill('1200');
  await invite.getByTestId('create-deal-submit').click();
  // Requirements are required in an invitation: refused as you type, before any request.
  await invite.getByText('Requirements is required.').waitFor();
  await invite.getByTestId('offer-requirements').fill('One evening-routine reel showing the lamp, tagged @lumenhome.');
  await invite.getByTestId('offer-message').fill('Your cosy evening content is a perfect fit.');
  await invite.getByTestId('create-deal-submit').click();
  await sp.waitForURL(/\/ad-requests\/[0-9a-f-]{36}$/);
  const dealId = new URL(sp.url()).pathname.split('/').pop();
  await waitForStatus(sp, 'pending');
  assert.equal(await text(sp.getByTestId('deal-payment')), '$1,200');
  assert.match(await text(sp.getByTestId('deal-turn')), /Waiting for Kai Moreno/);
  // The inviting sponsor may edit, withdraw or delete, but not accept its own offer.
  assert.equal(await sp.getByTestId('deal-action-accept').count(), 0);
  assert.equal(await sp.getByTestId('deal-action-withdraw').count(), 1);

  // The creator sees it in Deals with the awaiting-me badge.
  const creator = await newPage(journey.browser, journey.server.baseUrl);
  const cp = creator.page;
  await logIn(cp, creatorEmail, 'a-long-creator-password');
  const badge = cp.getByTestId('nav-deals-badge');
  await badge.waitFor();
  assert.equal(await badge.getAttribute('data-count'), '1');
  await cp.getByTestId('nav-deals').click();
  await cp.waitForURL('**/deals');
  await cp.getByTestId('deal-tab-awaiting').click();
  await cp.waitForURL((url) => url.searchParams.get('tab') === 'awaiting');
  assert.equal(await cp.getByTestId('deal-tab-awaiting-count').getAttribute('data-count'), '1');
  const row = cp.locator(`[data-testid="deal-row"][data-deal-id="${dealId}"]`);
  await row.waitFor();
  assert.equal(await cp.getByTestId('deal-row').count(), 1);
  assert.equal(await text(row.getByTestId('deal-payment')), '$1,200');
  assert.match(await text(row), new RegExp(CAMPAIGN));
  assert.match(await text(row), /Lumen Home|Nora Lind/);
  assert.equal(await row.getByTestId('deal-turn').getAttribute('data-mine'), 'true');

  // The creator counters with a higher payment.
  await row.getByTestId('deal-link').click();
  await cp.waitForURL(`**/ad-requests/${dealId}`);
  await waitForStatus(cp, 'pending');
  await cp.getByTestId('deal-action-counter').click();
  const counter = cp.getByTestId('deal-dialog-counter');
  await counter.waitFor();
  assert.equal(await counter.getByTestId('offer-payment').inputValue(), '1200');
  await counter.getByTestId('offer-payment').fill('1,500');
  await counter.getByTestId('offer-message').fill('My rate for a reel with a story is $1,500.');
  await counter.getByTestId('deal-dialog-confirm').click();
  await waitForStatus(cp, 'negotiating');
  await cp.getByTestId('toast-success').waitFor();
  assert.equal(await text(cp.getByTestId('deal-payment')), '$1,500');
  assert.equal(await cp.getByTestId('deal-offer').count(), 2);
  const latest = cp.locator('[data-testid="deal-offer"][data-latest="true"]');
  assert.equal(await latest.getAttribute('data-version'), '2');
  assert.equal(await text(latest.getByTestId('deal-offer-payment')), '$1,500');

  // Negative: now it is the sponsor's turn, so the creator has no accept (nor counter) button.
  assert.equal(await cp.getByTestId('deal-action-accept').count(), 0);
  assert.equal(await cp.getByTestId('deal-action-counter').count(), 0);
  assert.equal(await cp.getByTestId('deal-action-withdraw').count(), 1);
  assert.equal(await cp.getByTestId('deal-turn').getAttribute('data-mine'), 'false');
  await cp.getByTestId('nav-deals-badge').waitFor({ state: 'detached' });

  // The sponsor's badge now counts the counter-offer; accepting asks for confirmation with the amount.
  await sp.goto(`/ad-requests/${dealId}`);
  await waitForStatus(sp, 'negotiating');
  await sp.getByTestId('nav-deals-badge').waitFor();
  assert.equal(await sp.getByTestId('nav-deals-badge').getAttribute('data-count'), '1');
  await sp.getByTestId('deal-action-accept').click();
  const accept = sp.getByTestId('deal-dialog-accept');
  await accept.waitFor();
  assert.equal(await text(accept.getByTestId('deal-accept-amount')), '$1,500');
  assert.match(await text(accept.getByTestId('deal-accept-summary')), /\$5,000 left before, \$3,500 after/);
  await screenshot(sp, 'deal-accept-dialog-1280');
  await expectAccessible(sp, 'the accept dialog open');
  await accept.getByTestId('deal-dialog-confirm').click();
  await waitForStatus(sp, 'accepted');
  await accept.waitFor({ state: 'detached' });
  assert.equal(await text(sp.getByTestId('deal-payment')), '$1,500');
  assert.equal(await sp.getByTestId('deal-action-accept').count(), 0);
  assert.equal(await sp.getByTestId('deal-action-cancel').count(), 1);

  // The campaign's budget bar shows the reservation.
  await sp.getByTestId('deal-campaign-link').click();
  await sp.waitForURL(`**/campaigns/${campaignId}`);
  await sp.getByTestId('campaign-budget-bar').first().waitFor();
  assert.equal(await text(sp.getByTestId('campaign-reserved').first()), '$1,500');
  assert.equal(await text(sp.getByTestId('campaign-spent').first()), '$0');
  assert.equal(await text(sp.getByTestId('campaign-remaining').first()), '$3,500');
  const campaignDeal = sp.locator(`[data-testid="campaign-deals"] [data-deal-id="${dealId}"]`);
  await campaignDeal.waitFor();
  assert.equal(await campaignDeal.getAttribute('data-status'), 'accepted');
  const acceptedStat = sp.locator('[data-testid="campaign-stat-by-status"] > li[data-status="accepted"]');
  await acceptedStat.waitFor();
  assert.equal(await text(acceptedStat.getByTestId('campaign-stat-status-count')), '1');

  // The creator delivers a link.
  await cp.reload();
  await waitForStatus(cp, 'accepted');
  await cp.getByTestId('deal-action-deliver').click();
  const deliver = cp.getByTestId('deal-dialog-deliver');
  await deliver.waitFor();
  await deliver.getByTestId('deal-deliver-url').fill('javascript:alert(1)');
  await deliver.getByTestId('deal-dialog-confirm').click();
  await deliver.getByText(/http\(s\) address|full address/).waitFor();
  await deliver.getByTestId('deal-deliver-url').fill('https://example.com/reels/lumen-evening');
  await deliver.getByTestId('deal-deliver-note').fill('Live now, pinned for a week.');
  await deliver.getByTestId('deal-dialog-confirm').click();
  await waitForStatus(cp, 'delivered');
  const link = cp.getByTestId('deal-deliverable-link');
  assert.equal(await link.getAttribute('href'), 'https://example.com/reels/lumen-evening');
  assert.match(await link.getAttribute('rel'), /noopener/);

  // The sponsor approves and pays, after a confirmation naming the amount and the creator.
  await sp.goto(`/ad-requests/${dealId}`);
  await waitForStatus(sp, 'delivered');
  await sp.getByTestId('deal-action-complete').click();
  const complete = sp.getByTestId('deal-dialog-complete');
  await complete.waitFor();
  assert.equal(await text(complete.getByTestId('deal-complete-amount')), '$1,500');
  assert.match(await text(complete), /Pay \$1,500 to Kai Moreno\?/);
  await complete.getByTestId('deal-dialog-confirm').click();
  await waitForStatus(sp, 'completed');
  assert.equal(await sp.getByTestId('deal-actions').count(), 0);
  const budget = sp.getByTestId('deal-campaign-budget');
  await budget.getByTestId('campaign-spent').filter({ hasText: '$1,500' }).waitFor();
  assert.equal(await text(budget.getByTestId('campaign-reserved')), '$0');
  assert.equal(await text(budget.getByTestId('campaign-remaining')), '$3,500');
  await sp.getByTestId('toast-success').getByRole('button', { name: 'Dismiss' }).click();
  await screenshot(sp, 'deal-detail-1280');

  // The creator's earnings show the payment.
  await cp.getByTestId('nav-earnings').click();
  await cp.waitForURL('**/earnings');
  await cp.getByTestId('earnings-earned').waitFor();
  assert.equal(await text(cp.getByTestId('earnings-earned').getByTestId('earnings-value')), '$1,500');
  assert.equal(await text(cp.getByTestId('earnings-pending').getByTestId('earnings-value')), '$0');
  assert.equal(await text(cp.getByTestId('earnings-completed').getByTestId('earnings-value')), '1');
  const payment = cp.getByTestId('ledger-row');
  await payment.first().waitFor();
  assert.equal(await payment.count(), 1);
  assert.equal(await text(payment.getByTestId('ledger-amount')), '$1,500');
  await cp.getByTestId('ledger-campaign-link').filter({ hasText: CAMPAIGN }).waitFor();
  await cp.getByTestId('earnings-chart').waitFor();
  assert.match(await text(cp.getByTestId('earnings-chart')), /\$1,500 in total/);
  await screenshot(cp, 'earnings-1280');

  // The same pages fit a phone.
  for (const [who, page, path] of [
    ['sponsor', sp, `/ad-requests/${dealId}`],
    ['creator', cp, '/earnings'],
    ['creator', cp, '/deals'],
  ]) {
    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(path);
    await page.locator('main h1').first().waitFor();
    await page.waitForTimeout(300);
    assert.ok((await horizontalOverflow(page)) <= 0, `${path} overflows at 375px for the ${who}`);
    await screenshot(page, `${path.split('/')[1]}-${who}-375`);
  }

  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(creator.errors, []);
  await sponsor.context.close();
  await creator.context.close();
});

test('a creator applies to a public campaign; a second application links to the open one', async () => {
  const applicant = await newPage(journey.browser, journey.server.baseUrl);
  const page = applicant.page;
  await logIn(page, applicantEmail, 'a-long-creator-password');
  await page.goto(`/campaigns/${campaignId}`);
  await page.getByTestId('campaign-apply').click();
  const dialog = page.getByTestId('apply-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('offer-payment').fill('650.50');
  await dialog.getByTestId('offer-message').fill('I film cosy interiors every week.');
  await dialog.getByTestId('create-deal-submit').click();
  await page.waitForURL(/\/ad-requests\/[0-9a-f-]{36}$/);
  const dealId = new URL(page.url()).pathname.split('/').pop();
  await waitForStatus(page, 'pending');
  assert.equal(await text(page.getByTestId('deal-payment')), '$650.50');
  assert.match(await text(page.getByTestId('deal-turn')), /Waiting for Nora Lind/);
  assert.equal(await page.getByTestId('deal-action-accept').count(), 0);
  assert.equal(await page.getByTestId('deal-action-edit').count(), 1);

  // The campaign page lists the creator's own request; applying again is refused with a link to it.
  await page.getByTestId('deal-campaign-link').click();
  await page.waitForURL(`**/campaigns/${campaignId}`);
  await page.locator(`[data-testid="campaign-deals"] [data-deal-id="${dealId}"]`).waitFor();
  await page.getByTestId('campaign-apply').click();
  await dialog.waitFor();
  await dialog.getByTestId('offer-payment').fill('700');
  await dialog.getByTestId('create-deal-submit').click();
  await dialog.getByTestId('create-deal-error').waitFor();
  assert.match(await text(dialog.getByTestId('create-deal-error')), /already have an open request/);
  await expectAccessible(page, 'the apply dialog with its error shown');
  await dialog.getByTestId('create-deal-existing').getByRole('link').click();
  await page.waitForURL(`**/ad-requests/${dealId}`);
  assert.deepEqual(applicant.errors, []);
  await applicant.context.close();
});
