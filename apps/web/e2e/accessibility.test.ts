// Journey: every page of the app, for every kind of visitor (signed out, sponsor, sponsor awaiting
// approval, creator, admin), at phone and desktop width, has no serious or critical axe-core
// violation. It runs on the demo data set, so the pages show what people see: deals in every
// status, unread conversations, notifications, avatars with initials, the campaign stats panel.
// A few states only appear after an action (form errors, an open dialog); they are checked too.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, VIEWPORTS, apiToken, expectAccessible, logIn, newPage, repoRoot, useJourney } from './support.ts';

type Visitor = 'anonymous' | 'sponsor' | 'pendingSponsor' | 'influencer' | 'admin';

/** The ids the pages with parameters are opened with, found per visitor through the API. */
interface Ids {
  ownCampaign?: string;
  campaign?: string;
  influencer?: string;
  sponsor?: string;
  deal?: string;
  conversation?: string;
  /** A mail in the admin's outbox (the demo's notifications leave some there). */
  mail?: string;
  /** A completed deal of this party (its review card: a form, or the reviews). */
  completedDeal?: string;
}

interface PageCase {
  /** The route's name in apps/web/src/router/index.ts. */
  route: string;
  /** The test's name when a route has more than one case. */
  label?: string;
  /** Who may open it (the router's `meta.roles`, with the pending sponsor as its own visitor). */
  visitors: readonly Visitor[];
  /** The address, or null when this visitor has nothing to open it with. */
  path: (ids: Ids) => string | null;
  /** Extra states of the page to check once it is loaded (form errors, an open dialog), for those visitors. */
  states?: { name: string; visitors: readonly Visitor[]; reach: (page: Page) => Promise<void> }[];
}

const SIGNED_IN: readonly Visitor[] = ['sponsor', 'pendingSponsor', 'influencer', 'admin'];
const SPONSORS: readonly Visitor[] = ['sponsor', 'pendingSponsor'];

const PAGES: PageCase[] = [
  { route: 'landing', visitors: ['anonymous', ...SIGNED_IN], path: () => '/' },
  {
    route: 'login',
    visitors: ['anonymous'],
    path: () => '/login',
    states: [{ name: 'errors shown', visitors: ['anonymous'], reach: submitForm }],
  },
  {
    route: 'signup',
    visitors: ['anonymous'],
    path: () => '/signup',
    states: [{ name: 'errors shown', visitors: ['anonymous'], reach: submitForm }],
  },
  { route: 'dashboard', visitors: SIGNED_IN, path: () => '/dashboard' },
  { route: 'profile', visitors: SIGNED_IN, path: () => '/profile' },
  { route: 'admin-users', visitors: ['admin'], path: () => '/admin/users' },
  { route: 'admin-outbox', visitors: ['admin'], path: () => '/admin/outbox' },
  {
    route: 'admin-jobs',
    visitors: ['admin'],
    path: () => '/admin/jobs',
    // A run listed: its state badge, the runs table and the toast.
    states: [{ name: 'a run listed', visitors: ['admin'], reach: runExpireOffers }],
  },
  { route: 'admin-audit-log', visitors: ['admin'], path: () => '/admin/audit-log' },
  {
    route: 'admin-reviews',
    visitors: ['admin'],
    path: () => '/admin/reviews',
    states: [{ name: 'hide dialog open', visitors: ['admin'], reach: openDialog('reviews-hide') }],
  },
  { route: 'admin-outbox-mail', visitors: ['admin'], path: (ids) => (ids.mail ? `/admin/outbox/${ids.mail}` : null) },
  { route: 'campaigns-mine', visitors: SPONSORS, path: () => '/campaigns/mine' },
  {
    route: 'campaign-new',
    visitors: SPONSORS,
    path: () => '/campaigns/new',
    // A pending sponsor sees why they cannot publish yet, not the form.
    states: [{ name: 'errors shown', visitors: ['sponsor'], reach: submitForm }],
  },
  {
    route: 'campaign-edit',
    visitors: ['sponsor'],
    path: (ids) => (ids.ownCampaign ? `/campaigns/${ids.ownCampaign}/edit` : null),
  },
  {
    route: 'campaign-detail',
    visitors: SIGNED_IN,
    path: (ids) => `/campaigns/${ids.ownCampaign ?? ids.campaign}`,
    states: [{ name: 'delete dialog open', visitors: ['sponsor'], reach: openDialog('campaign-delete') }],
  },
  { route: 'discover', visitors: SIGNED_IN, path: () => '/discover' },
  { route: 'influencers', visitors: ['sponsor', 'admin'], path: () => '/influencers' },
  { route: 'influencer-profile', visitors: SIGNED_IN, path: (ids) => `/influencers/${ids.influencer}` },
  { route: 'sponsor-profile', visitors: SIGNED_IN, path: (ids) => `/sponsors/${ids.sponsor}` },
  { route: 'deals', visitors: SIGNED_IN, path: () => '/deals' },
  {
    route: 'deal-detail',
    visitors: SIGNED_IN,
    path: (ids) => (ids.deal ? `/ad-requests/${ids.deal}` : null),
    // The deal awaits this party (see findIds): its first action opens the confirm dialog.
    states: [{ name: 'action dialog open', visitors: ['sponsor', 'influencer'], reach: openDialog('deal-actions') }],
  },
  {
    route: 'deal-detail',
    label: 'deal-detail (a completed deal: reviews)',
    visitors: ['sponsor', 'influencer'],
    path: (ids) => (ids.completedDeal ? `/ad-requests/${ids.completedDeal}` : null),
    states: [{ name: 'rating error shown', visitors: ['sponsor', 'influencer'], reach: submitReviewEmpty }],
  },
  { route: 'earnings', visitors: ['influencer'], path: () => '/earnings' },
  { route: 'payments', visitors: SPONSORS, path: () => '/payments' },
  // The list first: opening a conversation reads it, and the unread tint is one of the states.
  { route: 'messages', visitors: ['sponsor', 'influencer'], path: () => '/messages' },
  {
    route: 'messages',
    label: 'messages (a conversation)',
    visitors: ['sponsor', 'influencer'],
    path: (ids) => (ids.conversation ? `/messages/${ids.conversation}` : null),
  },
  { route: 'notifications', visitors: SIGNED_IN, path: () => '/notifications' },
  {
    // A mail's footer link; public. The token here is refused, which shows the page's error state.
    route: 'unsubscribe',
    visitors: ['anonymous'],
    path: () => '/unsubscribe?token=not-a-real-token',
    states: [
      {
        name: 'link refused',
        visitors: ['anonymous'],
        reach: async (page) => {
          await page.getByTestId('unsubscribe-confirm').click();
          await page.getByTestId('unsubscribe-error').waitFor();
        },
      },
    ],
  },
  { route: 'not-found', visitors: ['anonymous', ...SIGNED_IN], path: () => '/no-such-page' },
];

/** Submits the page's form empty (or as prefilled), so its validation messages show. */
async function submitForm(page: Page): Promise<void> {
  await page.locator('main form button[type="submit"]').first().click();
  await page.locator('main .invalid-feedback').first().waitFor();
}

/** Submits the review form without stars (when the deal still takes this party's review). */
async function submitReviewEmpty(page: Page): Promise<void> {
  const submit = page.getByTestId('review-submit');
  if ((await submit.count()) === 0) return;
  await submit.click();
  await page.locator('#review-rating-error').waitFor();
}

/** Runs expire-offers now on the jobs page and waits for its run to complete. */
async function runExpireOffers(page: Page): Promise<void> {
  const card = page.locator('[data-testid="job-card"][data-job="expire-offers"]');
  await card.getByRole('button', { name: 'Run now' }).click();
  await card.getByTestId('job-run-state').filter({ hasText: 'completed' }).first().waitFor({ timeout: 30_000 });
}

/** Clicks the first button in (or being) the test id's element and waits for the dialog it opens. */
function openDialog(testId: string) {
  return async (page: Page) => {
    const owner = page.getByTestId(testId);
    await owner.locator('xpath=self::button | .//button').first().click();
    await page.getByRole('dialog').waitFor();
    await settle(page);
  };
}

/** Closes a dialog a state left open, so the next page starts clean. */
async function closeDialogs(page: Page): Promise<void> {
  if ((await page.getByRole('dialog').count()) === 0) return;
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

const journey = useJourney(undefined, { demoData: true });

async function api<T>(token: string, path: string): Promise<T> {
  const response = await fetch(`${journey.server.baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

interface Listed<T> {
  items: T[];
}
interface Deal {
  id: string;
  abilities?: Record<string, boolean>;
  campaignId: string;
  influencerId: string;
  sponsorId: string;
}
interface Conversation {
  id: string;
  unreadCount: number;
  otherParty: { id: string; displayName: string };
}

/** The demo sponsor's first conversation's creator: a creator with deals, messages and unread ones. */
async function demoCreatorEmail(): Promise<string> {
  const token = await apiToken(journey.server.baseUrl, DEMO.sponsor, DEMO.password);
  const { items } = await api<Listed<Conversation>>(token, '/conversations');
  const first = items.at(-1) ?? items[0];
  assert.ok(first, 'the demo sponsor has conversations');
  // Demo creators sign in as <first name>@creators.example.
  return `${first.otherParty.displayName.split(' ')[0]!.toLowerCase()}@creators.example`;
}

async function findIds(email: string): Promise<Ids> {
  const token = await apiToken(journey.server.baseUrl, email, DEMO.password);
  const me = await api<{ id: string; role: string }>(token, '/me');
  const campaigns = await api<Listed<{ id: string; sponsorId: string }>>(token, '/campaigns');
  const deals = await api<Listed<Deal>>(token, '/ad-requests');
  // A deal waiting on this visitor has actions, so its dialog state can be reached.
  const awaiting = me.role === 'admin' ? deals : await api<Listed<Deal>>(token, '/ad-requests?awaiting=me');
  // (Else one the visitor can act on: the newest may be a completed deal, which has no actions.)
  const actionable = deals.items.find((d) => Object.values(d.abilities ?? {}).some(Boolean));
  const deal = awaiting.items[0] ?? actionable ?? deals.items[0];
  const ids: Ids = { campaign: campaigns.items[0]?.id, sponsor: campaigns.items[0]?.sponsorId, deal: deal?.id };
  if (me.role === 'sponsor') {
    const mine = await api<Listed<{ id: string }>>(token, '/campaigns?mine=true');
    ids.ownCampaign = mine.items[0]?.id;
    ids.sponsor = me.id;
  }
  const directory = me.role === 'influencer' ? null : await api<Listed<{ id: string }>>(token, '/influencers');
  ids.influencer = me.role === 'influencer' ? me.id : (deal?.influencerId ?? directory?.items[0]?.id);
  if (me.role === 'admin') ids.mail = (await api<Listed<{ id: string }>>(token, '/admin/outbox')).items[0]?.id;
  if (me.role === 'sponsor' || me.role === 'influencer') {
    const { items } = await api<Listed<Conversation>>(token, '/conversations');
    ids.conversation = (items.find((c) => c.unreadCount > 0) ?? items[0])?.id;
    ids.completedDeal = (await api<Listed<Deal>>(token, '/ad-requests?status=completed')).items[0]?.id;
  }
  return ids;
}

/** Client-side navigation, as a person clicking a link: the app (and its socket) stays up. */
async function navigate(page: Page, path: string): Promise<void> {
  await page.evaluate(async (to) => {
    type WithApp = HTMLElement & {
      __vue_app__: { config: { globalProperties: { $router: { push(to: string): Promise<unknown> } } } };
    };
    await (document.getElementById('app') as WithApp).__vue_app__.config.globalProperties.$router.push(to);
  }, path);
  await settle(page);
}

/** Waits until nothing on the page is loading (skeletons, spinners, busy regions). */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const busy = document.querySelector(
      '[aria-busy="true"], .placeholder, .spinner-border:not(.invisible), [data-testid="page-pending"]',
    );
    return busy === null;
  });
  // Lists that fetch on a debounce (filters, the unread counts) start a beat after the page.
  await page.waitForTimeout(150);
  await page.waitForFunction(() => document.querySelector('[aria-busy="true"], .placeholder') === null);
}

const LOGINS: Record<Exclude<Visitor, 'anonymous'>, () => Promise<string>> = {
  sponsor: async () => DEMO.sponsor,
  pendingSponsor: async () => DEMO.pendingSponsor,
  influencer: demoCreatorEmail,
  admin: async () => DEMO.admin,
};

const WIDTHS = { phone: { width: 390, height: 844 }, desktop: VIEWPORTS.desktop };

test('the journey visits every route of the router', async () => {
  const source = await readFile(join(repoRoot, 'apps/web/src/router/index.ts'), 'utf8');
  const routes = [...source.matchAll(/^\s+name: '([a-z-]+)',$/gm)].map((m) => m[1]);
  assert.ok(routes.length > 10, 'the route names were found');
  assert.deepEqual(
    routes.filter((name) => !PAGES.some((p) => p.route === name)),
    [],
    'routes with no accessibility check',
  );
});

for (const visitor of ['anonymous', 'sponsor', 'pendingSponsor', 'influencer', 'admin'] as const) {
  describe(`accessibility for the ${visitor}`, () => {
    const pages: { width: string; page: Page; context: BrowserContext; errors: string[] }[] = [];
    let ids: Ids = {};

    before(async () => {
      const email = visitor === 'anonymous' ? null : await LOGINS[visitor]();
      if (email) ids = await findIds(email);
      for (const [width, viewport] of Object.entries(WIDTHS)) {
        const opened = await newPage(journey.browser, journey.server.baseUrl, viewport);
        // Transitions would have axe measure colours halfway through a fade.
        await opened.context.addInitScript(() => {
          addEventListener('DOMContentLoaded', () => {
            const style = document.createElement('style');
            style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
            document.head.append(style);
          });
        });
        if (email) await logIn(opened.page, email, DEMO.password);
        else await opened.page.goto('/');
        await settle(opened.page);
        pages.push({ width, ...opened });
      }
    });
    after(async () => {
      for (const { context } of pages) await context.close();
    });

    for (const pageCase of PAGES.filter((p) => p.visitors.includes(visitor))) {
      test(`${pageCase.label ?? pageCase.route} at phone and desktop width`, async (t) => {
        const path = pageCase.path(ids);
        if (path === null) return t.skip(`the ${visitor} has nothing to open ${pageCase.route} with`);
        for (const { width, page, errors } of pages) {
          await navigate(page, path);
          await expectAccessible(page, `${path} (${visitor}, ${width})`);
          for (const state of (pageCase.states ?? []).filter((s) => s.visitors.includes(visitor))) {
            await state.reach(page);
            await expectAccessible(page, `${path}, ${state.name} (${visitor}, ${width})`);
            await closeDialogs(page);
          }
          assert.deepEqual(errors, [], `page errors on ${path}`);
        }
      });
    }
  });
}
