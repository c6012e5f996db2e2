// Journey: the first load. A signed-in person who reloads never sees the guest navbar while the
// session check is under way (a neutral shell stands in), and the landing page does not jump
// about as it loads (cumulative layout shift at most 0.1, at desktop and phone widths).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  VIEWPORTS,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  uniqueEmail,
  useJourney,
  influencerBody,
} from './support.ts';

const journey = useJourney();

/**
 * Before any page script: remember whether the navbar ever shows a guest link. (A string, so the
 * test runner's transform adds no helpers the page lacks.)
 */
async function watchForGuestLinks(page: Page): Promise<void> {
  await page.addInitScript({
    content: `
      window.__guestSeen = [];
      new MutationObserver(function () {
        var nav = document.querySelector('[data-testid="navbar"]');
        if (!nav) return;
        var text = nav.textContent || '';
        ['Log in', 'Get started', 'How it works', 'For brands', 'For creators'].forEach(function (label) {
          if (text.indexOf(label) !== -1 && window.__guestSeen.indexOf(label) === -1) window.__guestSeen.push(label);
        });
      }).observe(document, { childList: true, subtree: true, characterData: true });
    `,
  });
}

/** Before any page script: add up the layout shifts not caused by input. */
async function recordLayoutShift(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const store = window as unknown as { __cls: number; __shifts: unknown[] };
    store.__cls = 0;
    store.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{
        value: number;
        hadRecentInput: boolean;
        sources?: Array<{ node?: Node | null }>;
      }>) {
        if (entry.hadRecentInput) continue;
        store.__cls += entry.value;
        store.__shifts.push({
          value: entry.value,
          nodes: (entry.sources ?? []).map((source) => {
            const node = source.node as Element | null | undefined;
            return node ? `${node.nodeName}.${node.className ?? ''}` : '?';
          }),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

test('a signed-in person who reloads sees a neutral shell, never the guest navbar', async () => {
  const email = uniqueEmail('reloader');
  await signUpViaApi(journey.server.baseUrl, influencerBody(email, { displayName: 'Rae Loader' }));
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, email, 'a-long-creator-password');
  await page.getByTestId('nav-dashboard').waitFor();

  // Slow the session check down so the in-between state is long enough to look at.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/v1/auth/refresh', async (route) => {
    await held;
    await route.continue();
  });
  await watchForGuestLinks(page);
  await page.reload({ waitUntil: 'domcontentloaded' });

  // While the check is held: the app has rendered, but no guest link has appeared.
  await page.getByTestId('navbar').waitFor();
  await page.waitForTimeout(800);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __guestSeen: string[] }).__guestSeen), []);
  await page.getByTestId('navbar-pending').waitFor();
  await page.getByTestId('page-pending').waitFor();
  await screenshot(page, 'first-load-pending-1280');
  const navbarHeight = () => page.getByTestId('navbar').evaluate((nav) => nav.getBoundingClientRect().height);
  const pendingHeight = await navbarHeight();

  release();
  await page.getByTestId('nav-dashboard').waitFor();
  await page.getByTestId('navbar-user-name').filter({ hasText: 'Rae Loader' }).waitFor();
  assert.equal(await page.getByTestId('navbar-pending').count(), 0);
  // The shell reserved the navbar's room: the page below does not move when the menu arrives.
  assert.equal(await navbarHeight(), pendingHeight);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __guestSeen: string[] }).__guestSeen), []);
  assert.deepEqual(errors, []);
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`the landing page settles without layout shift (${name})`, async () => {
    const { page } = await newPage(journey.browser, journey.server.baseUrl, viewport);
    await recordLayoutShift(page);
    await page.goto('/', { waitUntil: 'load' });
    await page.getByTestId('hero-signup-sponsor').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(1500);
    const { cls, shifts } = await page.evaluate(() => {
      const store = window as unknown as { __cls: number; __shifts: unknown[] };
      return { cls: store.__cls, shifts: store.__shifts };
    });
    await screenshot(page, `landing-${viewport.width}`);
    assert.ok(cls <= 0.1, `CLS ${cls.toFixed(3)} > 0.1: ${JSON.stringify(shifts)}`);
    console.log(`landing CLS at ${viewport.width}: ${cls.toFixed(4)}`);
  });
}
