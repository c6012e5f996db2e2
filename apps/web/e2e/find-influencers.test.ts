// Journey: a sponsor looks for creators. Filters by niche and minimum reach go into the URL
// and the results match them (and survive a reload); a search that finds nobody offers to
// clear the filters; a card opens the creator's public profile.
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
  useJourney,
} from './support.ts';

const sponsorEmail = uniqueEmail('scout');

/** name → [niche, country, platforms] */
const CREATORS = {
  'Fiona Fields': ['fitness', 'US', [['instagram', '@fiona.lifts', 150_000]]],
  'Felix Ford': ['fitness', 'GB', [['youtube', 'FelixMoves', 40_000]]],
  'Frances Hale': [
    'fitness',
    'CA',
    [
      ['youtube', 'FrancesRuns', 200_000],
      ['tiktok', '@franruns', 60_000],
    ],
  ],
  'Gina Park': ['gaming', 'US', [['twitch', 'ginaplays', 500_000]]],
};

const journey = useJourney(async ({ server }) => {
  for (const [name, [niche, country, platforms]] of Object.entries(CREATORS)) {
    await signUpViaApi(
      server.baseUrl,
      influencerBody(uniqueEmail(name.split(' ')[0].toLowerCase()), {
        displayName: name,
        profile: {
          niche,
          country,
          bio: `${name} makes ${niche} videos every week.`,
          rateCents: 90_000,
          engagementRate: 4.5,
          platforms: platforms.map(([platform, handle, followers]) => ({ platform, handle, followers })),
        },
      }),
    );
  }
  const sponsor = await signUpViaApi(server.baseUrl, sponsorBody(sponsorEmail, { displayName: 'Sam Scout' }));
  await approveViaApi(server.baseUrl, sponsor.user.id);
});

/** The cards on the page, as {name, niche, reach}. */
async function cards(page) {
  return page.getByTestId('influencer-card').evaluateAll((nodes) =>
    nodes.map((node) => ({
      name: node.querySelector('[data-testid="influencer-card-link"]').textContent.trim(),
      niche: node.dataset.niche,
      reach: Number(node.dataset.reach),
    })),
  );
}

async function waitForCount(page, count) {
  await page.waitForFunction(
    (expected) =>
      !document.querySelector('[data-testid="influencers-loading"]') &&
      document.querySelectorAll('[data-testid="influencer-card"]').length === expected,
    count,
  );
}

test('a sponsor filters influencers by niche and reach and opens a profile', async () => {
  const { page, errors } = await newPage(journey.browser, journey.server.baseUrl);
  await logIn(page, sponsorEmail, 'a-long-sponsor-password');

  await page.getByTestId('nav-influencers').click();
  await page.waitForURL('**/influencers');
  await waitForCount(page, 4);

  // Niche: the URL says so, and every card is a fitness creator.
  await page.getByTestId('influencers-filter-niche').selectOption('fitness');
  await page.waitForURL((url) => url.searchParams.get('niche') === 'fitness');
  await waitForCount(page, 3);
  assert.ok((await cards(page)).every((card) => card.niche === 'fitness'));

  // Minimum reach: only creators with at least 100K followers remain, largest first.
  await page.getByTestId('influencers-filter-min-reach').selectOption('100000');
  await page.waitForURL(
    (url) => url.searchParams.get('niche') === 'fitness' && url.searchParams.get('minReach') === '100000',
  );
  await waitForCount(page, 2);
  assert.deepEqual(await cards(page), [
    { name: 'Frances Hale', niche: 'fitness', reach: 260_000 },
    { name: 'Fiona Fields', niche: 'fitness', reach: 150_000 },
  ]);
  const frances = page.getByTestId('influencer-card').first();
  assert.match(await frances.innerText(), /260K/);
  assert.equal(await frances.getByTestId('platform-chip').count(), 2);
  assert.match(await frances.getByTestId('rating').innerText(), /No reviews yet/);
  await screenshot(page, 'find-influencers-1280');

  // The URL is the state: a reload shows the same filters and results.
  await page.reload();
  await waitForCount(page, 2);
  assert.equal(await page.getByTestId('influencers-filter-niche').inputValue(), 'fitness');
  assert.equal(await page.getByTestId('influencers-filter-min-reach').inputValue(), '100000');

  // A country nobody is in: the empty state offers to clear the filters.
  await page.getByTestId('influencers-filter-country').fill('nz');
  await page.waitForURL((url) => url.searchParams.get('country') === 'NZ');
  const empty = page.getByTestId('influencers-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /No influencers match — try removing a filter/);
  await page.getByTestId('influencers-clear-filters').click();
  await page.waitForURL((url) => url.pathname === '/influencers' && url.search === '');
  await waitForCount(page, 4);
  assert.equal(await page.getByTestId('influencers-filter-country').inputValue(), '');

  // A search by name, then the card opens the public profile.
  await page.getByTestId('influencers-filter-q').fill('fiona');
  await page.waitForURL((url) => url.searchParams.get('q') === 'fiona');
  await waitForCount(page, 1);
  await page.getByTestId('influencer-card-link').click();
  await page.waitForURL(/\/influencers\/[0-9a-f-]{36}$/);
  assert.equal((await page.getByTestId('profile-name').innerText()).trim(), 'Fiona Fields');
  assert.equal((await page.getByTestId('profile-niche').innerText()).trim(), 'Fitness');
  assert.equal(await page.getByTestId('public-profile-reach').getAttribute('data-reach'), '150000');
  assert.equal(await page.getByTestId('profile-platform').count(), 1);
  assert.match(await page.getByTestId('profile-platform').innerText(), /@fiona\.lifts/);
  await page.getByTestId('reviews-empty').waitFor();
  await screenshot(page, 'influencer-public-profile-1280');

  // On a phone the filters fold behind a toggle and the page fits.
  const phone = await newPage(journey.browser, journey.server.baseUrl, VIEWPORTS.phone);
  await logIn(phone.page, sponsorEmail, 'a-long-sponsor-password');
  await phone.page.goto('/influencers?niche=fitness');
  await waitForCount(phone.page, 3);
  assert.equal(await phone.page.getByTestId('influencers-filter-niche').isVisible(), false);
  await phone.page.getByTestId('influencers-filters-toggle').click();
  assert.equal(await phone.page.getByTestId('influencers-filter-niche').isVisible(), true);
  assert.equal(await phone.page.getByTestId('influencers-filter-niche').inputValue(), 'fitness');
  assert.ok((await horizontalOverflow(phone.page)) <= 0, 'find influencers overflows at 375px');
  await screenshot(phone.page, 'find-influencers-375');

  assert.deepEqual(errors, []);
  assert.deepEqual(phone.errors, []);
});
