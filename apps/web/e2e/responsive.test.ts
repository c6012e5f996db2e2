// Journey: the main pages at phone (375px) and desktop (1280px) widths. Each page must fit
// its viewport without sideways scrolling; the phone navbar collapses behind a toggle.
// The screenshots it saves are the ones to look at after a UI change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  VIEWPORTS,
  horizontalOverflow,
  influencerBody,
  logIn,
  newPage,
  screenshot,
  signUpViaApi,
  uniqueEmail,
  useJourney,
} from './support.ts';

const creatorEmail = uniqueEmail('showcase');

const journey = useJourney(async ({ server }) => {
  await signUpViaApi(
    server.baseUrl,
    influencerBody(creatorEmail, {
      displayName: 'Amara Okafor',
      profile: {
        bio: 'Slow travel, street food and the people behind it. Weekly city guides and short documentaries.',
        niche: 'travel',
        country: 'GB',
        rateCents: 85000,
        engagementRate: 4.2,
        platforms: [
          { platform: 'instagram', handle: '@amara.wanders', followers: 182000 },
          { platform: 'youtube', handle: 'AmaraWanders', followers: 66400 },
          { platform: 'tiktok', handle: '@amarawanders', followers: 120500 },
        ],
      },
    }),
  );
  await signUpViaApi(server.baseUrl, {
    email: uniqueEmail('brand'),
    password: 'a-long-sponsor-password',
    role: 'sponsor',
    displayName: 'Leo Marchetti',
    profile: { companyName: 'Northwind Outdoor', industry: 'Outdoor gear', website: 'https://northwind.example' },
  });
});

for (const [label, viewport] of Object.entries({ 375: VIEWPORTS.phone, 1280: VIEWPORTS.desktop })) {
  test(`pages fit at ${label}px`, async () => {
    const visitor = await newPage(journey.browser, journey.server.baseUrl, viewport);
    for (const [name, path] of [
      ['landing', '/'],
      ['signup', '/signup?role=influencer'],
      ['login', '/login'],
    ]) {
      await visitor.page.goto(path);
      await visitor.page.locator('main h1').first().waitFor();
      assert.ok((await horizontalOverflow(visitor.page)) <= 0, `${name} overflows at ${label}px`);
      await screenshot(visitor.page, `${name}-${label}`);
    }

    if (viewport === VIEWPORTS.phone) {
      // The collapsed menu opens from the toggle.
      const menu = visitor.page.locator('#main-navigation');
      assert.equal(await menu.isVisible(), false);
      await visitor.page.getByTestId('navbar-toggle').click();
      await visitor.page.getByTestId('nav-signup').waitFor();
      assert.equal(await visitor.page.getByTestId('navbar-toggle').getAttribute('aria-expanded'), 'true');
    }

    const creator = await newPage(journey.browser, journey.server.baseUrl, viewport);
    await logIn(creator.page, creatorEmail, 'a-long-creator-password');
    await creator.page.getByTestId('influencer-home').waitFor();
    await screenshot(creator.page, `dashboard-influencer-${label}`);
    await creator.page.goto('/profile');
    await creator.page.locator('[data-testid="profile-reach"][data-reach="368900"]').waitFor();
    assert.ok((await horizontalOverflow(creator.page)) <= 0, `profile overflows at ${label}px`);
    await screenshot(creator.page, `profile-${label}`);

    const admin = await newPage(journey.browser, journey.server.baseUrl, viewport);
    await logIn(admin.page, ADMIN.email, ADMIN.password);
    // One sponsor awaits approval: the queue card counts them once loaded.
    await admin.page
      .getByTestId('admin-queue-pending')
      .getByTestId('admin-queue-count')
      .filter({ hasText: '1' })
      .waitFor();
    await screenshot(admin.page, `dashboard-admin-${label}`);
    await admin.page.goto('/admin/users');
    await admin.page.getByTestId('admin-user-row').first().waitFor();
    await admin.page.getByTestId(viewport === VIEWPORTS.phone ? 'admin-users-cards' : 'admin-users-table').waitFor();
    assert.ok((await horizontalOverflow(admin.page)) <= 0, `admin users overflows at ${label}px`);
    await screenshot(admin.page, `admin-users-${label}`);

    assert.deepEqual(visitor.errors, []);
    assert.deepEqual(creator.errors, []);
    assert.deepEqual(admin.errors, []);
  });
}
