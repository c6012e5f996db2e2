// Journey: the admin opens the jobs page, runs daily-reminders now and watches the run appear and
// complete (a worker of the same process runs it), then finds the reminder it sent in the Outbox.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ADMIN, logIn, newPage, screenshot, useJourney, VIEWPORTS } from './support.ts';

const journey = useJourney(undefined, { demoData: true });

test('the admin runs daily-reminders now and sees the run and its reminder', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByTestId('nav-admin-jobs').first().click();
  await page.waitForURL(/\/admin\/jobs$/);
  await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();

  const card = page.locator('[data-testid="job-card"][data-job="daily-reminders"]');
  await card.waitFor();
  assert.match((await card.getByTestId('job-schedule').textContent()) ?? '', /Every day at 18:00 \(UTC\)/);
  assert.match((await card.getByTestId('job-next-run').textContent()) ?? '', /^in |tomorrow|today/);
  // Tasks are listed but cannot be run on their own.
  const task = page.locator('[data-testid="job-card"][data-job="deliver-mail"]');
  assert.equal(await task.getByRole('button', { name: 'Run now' }).count(), 0);

  await card.getByRole('button', { name: 'Run now' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'daily-reminders is queued' }).waitFor();
  // The page polls while the run waits or runs; a worker completes it within seconds.
  const run = card.getByTestId('job-run-row').first();
  await run.getByTestId('job-run-state').filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });
  assert.ok(((await run.getByTestId('job-run-result').textContent()) ?? '').length > 0, 'the run shows its counts');
  const shot = await screenshot(page, 'admin-jobs-1280');
  if (process.env.JOBS_SCREENSHOT) await copyFile(shot, process.env.JOBS_SCREENSHOT);
  await page.setViewportSize(VIEWPORTS.phone);
  await screenshot(page, 'admin-jobs-375');
  await page.setViewportSize(VIEWPORTS.desktop);

  // With the demo data loaded, someone has deals awaiting them, so the run mailed a reminder:
  // it is in the Outbox (kind daily_reminder), rendered as its recipient sees it.
  await page.getByTestId('nav-admin-outbox').first().click();
  await page.waitForURL(/\/admin\/outbox$/);
  const reminder = page
    .getByTestId('outbox-row')
    .filter({ hasText: /daily_reminder/ })
    .first();
  await reminder.waitFor();
  await reminder.getByRole('link').click();
  await page.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}$/);
  await page
    .frameLocator('[data-testid="outbox-mail-html"]')
    .getByText(/Open your deals|Discover campaigns/)
    .first()
    .waitFor();
  await screenshot(page, 'admin-outbox-reminder-1280');
  assert.deepEqual(errors, []);
});
