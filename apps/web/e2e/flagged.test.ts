// Journey: the admin flags an influencer; the influencer sees the banner at once (why, what it
// means, how to appeal) and cannot apply (the button is disabled and says why); the admin finds the
// flag in the audit log by its action; the admin unflags and the banner goes.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  ADMIN,
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
  useJourney,
  utcDay,
  VIEWPORTS,
} from './support.ts';

const journey = useJourney();

test('a flagged influencer sees the banner and cannot apply; the audit log shows the flag; unflag lifts it', async () => {
  const { baseUrl } = journey.server;
  const sponsorEmail = uniqueEmail('flag-brand');
  const sponsor = await signUpViaApi(baseUrl, sponsorBody(sponsorEmail));
  await approveViaApi(baseUrl, sponsor.user.id);
  const sponsorToken = await apiToken(baseUrl, sponsorEmail, 'a-long-sponsor-password');
  const created = await fetch(`${baseUrl}/api/v1/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sponsorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Spring glow launch',
      description: 'Short videos about our new serum.',
      niche: 'beauty',
      goals: 'Awareness',
      startDate: utcDay(0),
      endDate: utcDay(30),
      budgetCents: 500_000,
      visibility: 'public',
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const campaign = (await created.json()) as { id: string };

  const creatorEmail = uniqueEmail('flag-creator');
  const creator = await signUpViaApi(baseUrl, influencerBody(creatorEmail, { displayName: 'Flo Flagged' }));
  const influencer = await newPage(journey.browser, baseUrl);
  await logIn(influencer.page, creatorEmail, 'a-long-creator-password');
  await influencer.page.goto(`/campaigns/${campaign.id}`);
  const apply = influencer.page.getByTestId('campaign-apply');
  await apply.waitFor();
  assert.equal(await apply.isEnabled(), true, 'Apply works before the flag');

  // The admin flags the creator from the users page.
  const admin = await newPage(journey.browser, baseUrl);
  await logIn(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.goto(`/admin/users?q=${encodeURIComponent(creatorEmail)}`);
  const row = admin.page.locator(`[data-testid="admin-user-row"][data-email="${creatorEmail}"]`);
  await row.getByTestId('user-action-flag').click();
  await admin.page.getByTestId('user-reason-input').fill('Bought followers');
  await admin.page.getByTestId('user-reason-confirm').click();
  await row.getByTestId('user-flagged').waitFor();

  // The creator's page picks the flag up from the notification, without a reload.
  const banner = influencer.page.getByTestId('flagged-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('role'), 'status');
  const text = await banner.innerText();
  assert.match(text, /Bought followers/);
  assert.match(text, /cannot start new campaigns, offers or conversations/);
  assert.match(text, /contact the platform administrator/i);
  await apply.and(influencer.page.locator('[data-flagged="true"]')).waitFor();
  assert.equal(await apply.isDisabled(), true, 'Apply is disabled while flagged');
  const hint = await influencer.page.locator(`#${await apply.getAttribute('aria-describedby')}`).innerText();
  assert.match(hint, /flagged/);
  // The banner is on every page while signed in.
  await influencer.page.goto('/deals');
  await banner.waitFor();
  await influencer.page.goto(`/campaigns/${campaign.id}`);
  await apply.waitFor();
  const bannerShot = await screenshot(influencer.page, 'flagged-banner-1280');
  if (process.env.FLAGGED_SCREENSHOT) await copyFile(bannerShot, process.env.FLAGGED_SCREENSHOT);
  await influencer.page.setViewportSize(VIEWPORTS.phone);
  assert.equal(await horizontalOverflow(influencer.page), 0);
  await screenshot(influencer.page, 'flagged-banner-375');
  await influencer.page.setViewportSize(VIEWPORTS.desktop);

  // The admin finds the flag in the audit log by its action.
  await admin.page.getByTestId('nav-admin-audit').first().click();
  await admin.page.waitForURL(/\/admin\/audit-log$/);
  await admin.page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await admin.page.getByTestId('audit-row').first().waitFor();
  await admin.page.getByTestId('audit-filter-action').selectOption('user.flag');
  await admin.page.waitForURL((url) => url.searchParams.get('action') === 'user.flag');
  const flagRow = admin.page.locator(`[data-testid="audit-row"][data-subject-id="${creator.user.id}"]`);
  await flagRow.waitFor();
  assert.equal(await admin.page.locator('[data-testid="audit-row"]:not([data-action="user.flag"])').count(), 0);
  assert.match(await flagRow.innerText(), /Flagged a user/);
  assert.match(await flagRow.innerText(), /Flo Flagged/);
  assert.match(await flagRow.innerText(), /Bought followers/);
  // The filter survives a reload (it lives in the URL).
  await admin.page.reload();
  await flagRow.waitFor();
  assert.equal(await admin.page.getByTestId('audit-filter-action').inputValue(), 'user.flag');
  const auditShot = await screenshot(admin.page, 'admin-audit-log-1280');
  if (process.env.AUDIT_SCREENSHOT) await copyFile(auditShot, process.env.AUDIT_SCREENSHOT);
  await admin.page.setViewportSize(VIEWPORTS.phone);
  assert.equal(await horizontalOverflow(admin.page), 0);
  await screenshot(admin.page, 'admin-audit-log-375');
  await admin.page.setViewportSize(VIEWPORTS.desktop);

  // Unflag: the banner goes on the creator's next page and Apply works again.
  await admin.page.goto(`/admin/users?q=${encodeURIComponent(creatorEmail)}`);
  await row.getByTestId('user-action-unflag').click();
  await row.getByTestId('user-flagged').waitFor({ state: 'detached' });
  await influencer.page.reload();
  await influencer.page.getByRole('heading', { level: 1, name: 'Spring glow launch' }).waitFor();
  assert.equal(await banner.count(), 0);
  assert.equal(await apply.isEnabled(), true);
  await apply.click();
  await influencer.page.getByTestId('apply-dialog').waitFor();

  assert.deepEqual(influencer.errors, []);
  assert.deepEqual(admin.errors, []);
});
