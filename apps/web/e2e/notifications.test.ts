// Journeys: notifications. A creator's bell counts an invitation the moment it is sent, with a
// toast, and opening it from the dropdown leads to the deal and reads it; a pending sponsor sees
// the approval arrive live and the dashboard switch to the approved state; the notifications page
// filters unread ones and marks one or all read; an email preference switched off stays off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LIVE_MS,
  apiOk,
  assertNotReloaded,
  inviteViaApi,
  logInLive,
  makeCampaign,
  makeCreator,
  makeSponsor,
  markDocument,
  text,
  trackRealtime,
} from './messaging-support.ts';
import { VIEWPORTS, approveViaApi, horizontalOverflow, newPage, screenshot, useJourney } from './support.ts';

const CAMPAIGNS = ['Harbor coffee tour', 'Harbor cold brew', 'Harbor mugs'];
const people = {};
const campaignIds = [];

const journey = useJourney(async ({ server }) => {
  const base = server.baseUrl;
  people.sponsor = await makeSponsor(base, { displayName: 'Rosa Lind', companyName: 'Harbor Roasters' });
  people.bell = await makeCreator(base, { prefix: 'bell', displayName: 'Eli Novak' });
  people.page = await makeCreator(base, { prefix: 'list', displayName: 'Fay Ortiz' });
  people.email = await makeCreator(base, { prefix: 'email', displayName: 'Gus Hale' });
  for (const name of CAMPAIGNS) campaignIds.push(await makeCampaign(base, people.sponsor, name));
});

/** A browser context for one person, logged in with its live connection up. */
async function openAs(person, viewport = VIEWPORTS.desktop) {
  const session = await newPage(journey.browser, journey.server.baseUrl, viewport);
  session.realtime = trackRealtime(session.page);
  await logInLive(session.page, person, session.realtime);
  return session;
}

async function unreadOnServer(person) {
  return (await apiOk(journey.server.baseUrl, person.token, 'GET', '/notifications/unread-count')).count;
}

const bellLabel = (page) => page.getByTestId('notification-bell').getAttribute('aria-label');

test('an invitation rings the bell live; opening it from the dropdown shows the deal and reads it', async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, bell: creator } = people;
  const session = await openAs(creator);
  const { page } = session;
  await page.getByTestId('influencer-home').waitFor();
  assert.equal(await page.getByTestId('notification-count').count(), 0);
  assert.equal(await bellLabel(page), 'Notifications, none unread');
  await markDocument(page);

  const request = await inviteViaApi(base, brand, creator, campaignIds[0], 90_000);

  // The count rises without a reload, and a toast names the invitation.
  const count = page.getByTestId('notification-count');
  await count.waitFor({ timeout: LIVE_MS });
  assert.equal(await count.getAttribute('data-count'), '1');
  assert.equal(await text(count), '1');
  assert.equal(await bellLabel(page), 'Notifications, 1 unread');
  const toast = page.getByTestId('toast-notification');
  await toast.waitFor({ timeout: LIVE_MS });
  assert.match(await text(toast), new RegExp(`New invitation: ${CAMPAIGNS[0]}`));
  assert.match(await text(toast), /Harbor Roasters offers \$900/);
  await assertNotReloaded(page);

  // The dropdown lists it as unread.
  await page.getByTestId('notification-bell').click();
  const dropdown = page.getByTestId('notification-dropdown');
  await dropdown.waitFor();
  const item = dropdown.getByTestId('notification-menu-item');
  await item.first().waitFor();
  assert.equal(await item.count(), 1);
  assert.equal(await item.getAttribute('data-unread'), 'true');
  assert.match(await text(item), new RegExp(`New invitation: ${CAMPAIGNS[0]}`));
  assert.equal(await page.getByTestId('notification-bell').getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'notifications-dropdown-1280');

  // Clicking it opens the deal, closes the dropdown and reads it.
  await item.click();
  await page.waitForURL(`**/ad-requests/${request.id}`);
  await page.locator('[data-testid="deal-detail"][data-status="pending"]').waitFor();
  await count.waitFor({ state: 'detached' });
  assert.equal(await bellLabel(page), 'Notifications, none unread');
  assert.equal(await dropdown.isVisible(), false);
  assert.equal(await unreadOnServer(creator), 0);
  await assertNotReloaded(page);

  // Reopened, the dropdown shows it read.
  await page.getByTestId('notification-bell').click();
  await dropdown.locator('[data-testid="notification-menu-item"][data-unread="false"]').waitFor();
  assert.equal(await dropdown.locator('[data-testid="notification-menu-item"][data-unread="true"]').count(), 0);

  assert.deepEqual(session.errors, []);
  await session.context.close();
});

test('a pending sponsor sees the approval arrive live and the dashboard switch to approved', async () => {
  const base = journey.server.baseUrl;
  const pending = await makeSponsor(base, {
    prefix: 'pending',
    displayName: 'Hana Sato',
    companyName: 'Sato Ceramics',
    approve: false,
  });
  const session = await openAs(pending);
  const { page } = session;
  const panel = page.getByTestId('pending-approval');
  await panel.waitFor();
  assert.equal(await text(panel.getByTestId('account-status')), 'Awaiting approval');
  assert.equal(await page.getByTestId('notification-count').count(), 0);
  await markDocument(page);

  await approveViaApi(base, pending.id);

  const count = page.getByTestId('notification-count');
  await count.waitFor({ timeout: LIVE_MS });
  assert.equal(await count.getAttribute('data-count'), '1');
  const toast = page.getByTestId('toast-notification');
  await toast.waitFor({ timeout: LIVE_MS });
  assert.match(await text(toast), /Your sponsor account is approved/);
  // The dashboard follows without a reload: the pending panel gives way to the approved one.
  const approved = page.getByTestId('sponsor-approved');
  await approved.waitFor({ timeout: LIVE_MS });
  assert.equal(await panel.count(), 0);
  assert.doesNotMatch(await text(approved.getByTestId('account-status')), /Awaiting/);
  await assertNotReloaded(page);
  await screenshot(page, 'sponsor-approved-live-1280');

  // The toast leads to a new campaign, and following it reads the notification.
  await toast.getByTestId('toast-link').click();
  await page.waitForURL('**/campaigns/new');
  await count.waitFor({ state: 'detached' });
  assert.equal(await unreadOnServer(pending), 0);
  assert.equal(await page.getByTestId('pending-approval-banner').count(), 0);

  assert.deepEqual(session.errors, []);
  await session.context.close();
});

test('the notifications page filters unread ones and marks one, then all, read', async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, page: creator } = people;
  for (const [index, id] of campaignIds.entries()) {
    await inviteViaApi(base, brand, creator, id, 50_000 + index * 10_000);
  }

  const session = await openAs(creator);
  const { page } = session;
  const count = page.getByTestId('notification-count');
  await count.waitFor();
  assert.equal(await count.getAttribute('data-count'), '3');

  // From the bell's "See all" to the page.
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-see-all').click();
  await page.waitForURL('**/notifications');
  const rows = page.getByTestId('notification-row');
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3);
  assert.equal(await page.locator('[data-testid="notification-row"][data-unread="true"]').count(), 3);
  // Newest first.
  assert.match(await text(rows.first()), new RegExp(`New invitation: ${CAMPAIGNS[2]}`));
  assert.equal(await page.getByTestId('notifications-unread-count').getAttribute('data-count'), '3');

  // The unread filter lives in the address.
  await page.getByTestId('notifications-filter-unread').click();
  await page.waitForURL((url) => url.searchParams.get('show') === 'unread');
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3);

  // Mark the newest one read: it stays in view, read, and the counts drop.
  const newest = rows.first();
  const newestId = await newest.getAttribute('data-notification-id');
  await newest.getByTestId('notification-mark-read').click();
  await page
    .locator(`[data-testid="notification-row"][data-notification-id="${newestId}"][data-unread="false"]`)
    .waitFor();
  assert.equal(await newest.getByTestId('notification-mark-read').count(), 0);
  await page.locator('[data-testid="notification-count"][data-count="2"]').waitFor();
  assert.equal(await bellLabel(page), 'Notifications, 2 unread');
  assert.equal(await unreadOnServer(creator), 2);

  // Loaded again, the unread filter leaves it out.
  await page.reload();
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(await page.locator(`[data-testid="notification-row"][data-notification-id="${newestId}"]`).count(), 0);
  await screenshot(page, 'notifications-unread-1280');

  // Mark all read: the bell goes quiet, here and on the server.
  await page.getByTestId('notifications-mark-all').click();
  const done = page.getByTestId('toast-success');
  await done.waitFor();
  assert.match(await text(done), /Marked 2 notifications as read\./);
  await count.waitFor({ state: 'detached' });
  assert.equal(await bellLabel(page), 'Notifications, none unread');
  assert.equal(await page.locator('[data-testid="notification-row"][data-unread="true"]').count(), 0);
  assert.equal(await page.getByTestId('notifications-unread-count').count(), 0);
  assert.equal(await page.getByTestId('notifications-mark-all').isDisabled(), true);
  assert.equal(await unreadOnServer(creator), 0);

  // All of them, all read; the unread filter, freshly loaded, is empty.
  await page.getByTestId('notifications-filter-all').click();
  await page.waitForURL((url) => !url.searchParams.has('show'));
  await rows.nth(2).waitFor();
  assert.equal(await page.locator('[data-testid="notification-row"][data-unread="false"]').count(), 3);
  await page.getByTestId('notifications-filter-unread').click();
  await page.getByTestId('notifications-empty').waitFor();
  assert.match(await text(page.getByTestId('notifications-empty')), /You're all caught up/);

  // The page fits a phone.
  await page.setViewportSize(VIEWPORTS.phone);
  await page.goto('/notifications');
  await rows.nth(2).waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, '/notifications overflows at 375px');
  await screenshot(page, 'notifications-375');

  assert.deepEqual(session.errors, []);
  await session.context.close();
});

test('an email preference switched off stays off', async () => {
  const base = journey.server.baseUrl;
  const { email: creator } = people;
  const before = await apiOk(base, creator.token, 'GET', '/me/notification-settings');
  assert.equal(before.email.counter_offer, true);

  const session = await openAs(creator);
  const { page } = session;
  await page.getByTestId('nav-profile').click();
  await page.waitForURL('**/profile');
  const card = page.getByTestId('email-settings');
  const counter = card.getByTestId('email-setting-counter_offer');
  await counter.waitFor();
  assert.equal(await counter.isChecked(), true);
  // Only the types a creator can receive are offered.
  assert.equal(await card.getByTestId('email-setting-sponsor_approved').count(), 0);
  assert.equal(await card.getByTestId('email-setting-work_delivered').count(), 0);

  await counter.click();
  assert.equal(await counter.isChecked(), false);
  await card.getByTestId('email-settings-saved').filter({ hasText: 'Saved' }).waitFor();
  const after = await apiOk(base, creator.token, 'GET', '/me/notification-settings');
  assert.equal(after.email.counter_offer, false);
  // Only that type changed.
  assert.deepEqual({ ...after.email, counter_offer: true }, before.email);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'email-settings-1280');

  // Loaded again, it is still off.
  await page.reload();
  await counter.waitFor();
  assert.equal(await counter.isChecked(), false);
  assert.equal(await card.getByTestId('email-setting-offer_received').isChecked(), true);

  assert.deepEqual(session.errors, []);
  await session.context.close();
});
