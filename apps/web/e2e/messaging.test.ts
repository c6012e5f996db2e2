// Journeys: messages between a sponsor and a creator. Markup typed into a message stays text in
// both browsers (and verbatim on the server); messages arrive live in the open thread and, on
// other pages, as a badge and a toast; a counter-offer made on the deal page shows up live as an
// event card in the sponsor's open thread, linking to the deal; on a phone the list and the
// thread are separate screens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LIVE_MS,
  apiOk,
  assertNotReloaded,
  conversationWith,
  inviteViaApi,
  logInLive,
  makeCampaign,
  makeCreator,
  makeSponsor,
  markDocument,
  messagesViaApi,
  text,
  trackRealtime,
} from './messaging-support.ts';
import { VIEWPORTS, expectAccessible, horizontalOverflow, logIn, newPage, screenshot, useJourney } from './support.ts';

const CAMPAIGN = 'Spring trail shoes';
const people = {};
let campaignId;

const journey = useJourney(async ({ server }) => {
  const base = server.baseUrl;
  people.sponsor = await makeSponsor(base, { displayName: 'Olga Berg', companyName: 'Trailhead Outfitters' });
  // One creator per journey, so each starts from an empty inbox whatever ran before it.
  people.markup = await makeCreator(base, { prefix: 'markup', displayName: 'Ada Quinn' });
  people.live = await makeCreator(base, { prefix: 'live', displayName: 'Ben Okafor' });
  people.deal = await makeCreator(base, { prefix: 'deal', displayName: 'Cleo Marsh' });
  people.phone = await makeCreator(base, { prefix: 'phone', displayName: 'Dev Patel' });
  campaignId = await makeCampaign(base, people.sponsor, CAMPAIGN);
});

/** A browser context for one person, logged in with its live connection up. */
async function openAs(person, viewport = VIEWPORTS.desktop) {
  const session = await newPage(journey.browser, journey.server.baseUrl, viewport);
  session.realtime = trackRealtime(session.page);
  await logInLive(session.page, person, session.realtime);
  return session;
}

const conversationIdFrom = (page) => new URL(page.url()).pathname.split('/').pop();

/** Nothing from a message was run or rendered as markup anywhere on the page. */
async function assertInert(page, who) {
  const state = await page.evaluate(() => ({
    xss: typeof window.__xss,
    images: document.querySelectorAll('img[src="x"]').length,
    bold: document.querySelectorAll('[data-testid="message-log"] b, [data-testid="conversation-list"] b').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss')).length,
    bodyChildren: [...document.querySelectorAll('[data-testid="chat-message-body"]')].map((el) => el.children.length),
  }));
  assert.equal(state.xss, 'undefined', `window.__xss was set in the ${who}'s page`);
  assert.equal(state.images, 0, `an <img src="x"> was rendered in the ${who}'s page`);
  assert.equal(state.bold, 0, `a <b> was rendered in the ${who}'s messages`);
  assert.equal(state.scripts, 0, `the message's <script> was put into the ${who}'s page`);
  assert.ok(
    state.bodyChildren.every((count) => count === 0),
    `a message body in the ${who}'s page has element children`,
  );
}

test('markup typed into a message is shown as text in both browsers and stored verbatim', async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, markup: creator } = people;
  const LINE_1 = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>';
  const LINE_2 = 'and a second line & <i>more</i> text';
  const TYPED = `${LINE_1}\n${LINE_2}`;

  const sponsor = await openAs(brand);
  const creatorSession = await openAs(creator);
  const sp = sponsor.page;
  const cp = creatorSession.page;

  // The sponsor messages the creator from the creator's profile.
  await sp.goto(`/influencers/${creator.id}`);
  await sp.getByTestId('message-button').click();
  await sp.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  const conversationId = conversationIdFrom(sp);
  await sp.getByTestId('thread-empty').waitFor();
  assert.match(await text(sp.getByTestId('thread-title')), /Ada Quinn/);

  // Typed as a person would: Shift+Enter starts the second line.
  const input = sp.getByTestId('message-input');
  await input.fill(LINE_1);
  await input.press('Shift+Enter');
  await input.pressSequentially(LINE_2);
  assert.equal(await input.inputValue(), TYPED);
  await sp.getByTestId('message-send').click();

  const mine = sp.locator('[data-testid="chat-message"][data-mine="true"]');
  await mine.waitFor();
  // The composer empties once the send has been answered, just after the bubble appears.
  await sp.waitForFunction(() => document.querySelector('[data-testid="message-input"]')?.value === '');
  assert.equal(await mine.count(), 1);
  const sentBody = mine.getByTestId('chat-message-body');
  assert.equal(await sentBody.evaluate((el) => el.textContent), TYPED);
  // Kept on two lines (pre-wrap), not collapsed onto one.
  assert.equal((await sentBody.innerText()).split('\n').length, 2);
  await assertInert(sp, 'sponsor');

  // The creator, on the dashboard, gets a toast; its preview is text as well.
  const toast = cp.getByTestId('toast-message');
  await toast.waitFor({ timeout: LIVE_MS });
  assert.match(await text(toast), /New message/);
  assert.ok((await text(toast.getByTestId('toast-link'))).startsWith('<img src=x onerror='));
  await assertInert(cp, 'creator');
  await toast.getByTestId('toast-link').click();
  await cp.waitForURL(`**/messages/${conversationId}`);
  const theirs = cp.locator('[data-testid="chat-message"][data-mine="false"]');
  await theirs.waitFor();
  assert.equal(await theirs.count(), 1);
  assert.equal(await theirs.getByTestId('chat-message-body').evaluate((el) => el.textContent), TYPED);
  const preview = cp.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
  assert.ok((await text(preview.getByTestId('conversation-preview'))).includes('<img src=x'));
  await assertInert(cp, 'creator');

  // The server stored exactly what was typed, as a text message.
  const [stored] = await messagesViaApi(base, creator, conversationId);
  assert.equal(stored.kind, 'text');
  assert.equal(stored.senderId, brand.id);
  assert.equal(stored.body, TYPED);

  await screenshot(sp, 'messages-markup-sponsor-1280');
  await screenshot(cp, 'messages-markup-creator-1280');
  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(creatorSession.errors, []);
  await sponsor.context.close();
  await creatorSession.context.close();
});

test('messages arrive live in the open thread, and elsewhere as a badge and a toast', async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, live: creator } = people;
  const conversationId = await conversationWith(base, brand, creator.id);

  const sponsor = await openAs(brand);
  const creatorSession = await openAs(creator);
  const sp = sponsor.page;
  const cp = creatorSession.page;
  for (const session of [sponsor, creatorSession]) {
    await session.page.goto(`/messages/${conversationId}`);
    await session.page.getByTestId('thread-empty').waitFor();
    // `goto` loads the app again: wait for its new live connection before anything is pushed.
    await session.realtime.ready();
  }
  await markDocument(sp);
  await markDocument(cp);

  // Sponsor → creator: Enter sends; it shows in the creator's thread without a reload.
  const hello = 'Hi Ben! Are you free to film the trail shoes next week?';
  await sp.getByTestId('message-input').fill(hello);
  await sp.getByTestId('message-input').press('Enter');
  const started = Date.now();
  const arrived = cp.locator('[data-testid="chat-message"][data-mine="false"]').filter({ hasText: hello });
  await arrived.waitFor({ timeout: LIVE_MS });
  const latency = Date.now() - started;
  assert.ok(latency < LIVE_MS, `the message took ${latency} ms`);
  await sp.locator('[data-testid="chat-message"][data-mine="true"]').filter({ hasText: hello }).waitFor();

  // Creator → sponsor.
  const reply = 'Yes! Tuesday or Wednesday works for me.';
  await cp.getByTestId('message-input').fill(reply);
  await cp.getByTestId('message-send').click();
  await sp
    .locator('[data-testid="chat-message"][data-mine="false"]')
    .filter({ hasText: reply })
    .waitFor({ timeout: LIVE_MS });
  await cp.locator('[data-testid="chat-message"][data-mine="true"]').filter({ hasText: reply }).waitFor();
  assert.equal(await sp.getByTestId('chat-message').count(), 2);
  assert.equal(await cp.getByTestId('chat-message').count(), 2);
  // Read while open: the creator's unread counts stay at zero.
  await cp.getByTestId('messages-count').waitFor({ state: 'detached' });
  await assertNotReloaded(sp);
  await assertNotReloaded(cp);
  await screenshot(cp, 'messages-live-creator-1280');

  // The creator goes to the dashboard; the next message raises the badge and shows a toast.
  await cp.getByTestId('nav-dashboard').click();
  await cp.waitForURL('**/dashboard');
  const followUp = 'Great, Wednesday it is. I will send the shoes today.';
  await sp.getByTestId('message-input').fill(followUp);
  await sp.getByTestId('message-send').click();
  const badge = cp.getByTestId('messages-count');
  await badge.waitFor({ timeout: LIVE_MS });
  assert.equal(await badge.getAttribute('data-count'), '1');
  const toast = cp.getByTestId('toast-message');
  await toast.waitFor({ timeout: LIVE_MS });
  assert.equal(await text(toast.getByTestId('toast-link')), followUp);
  await assertNotReloaded(cp);

  // The list shows the conversation as unread; opening it reads it.
  await cp.getByTestId('nav-messages').click();
  await cp.waitForURL('**/messages');
  const item = cp.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-unread'), '1');
  assert.match(await text(item.getByTestId('conversation-unread')), /^1\b/);
  assert.equal(await text(item.getByTestId('conversation-preview')), followUp);
  // The unread tint: its timestamp and preview must stay readable on it.
  await expectAccessible(cp, 'an unread conversation in the list (1280px)');
  await item.click();
  await cp.waitForURL(`**/messages/${conversationId}`);
  await cp.locator('[data-testid="chat-message"]').filter({ hasText: followUp }).waitFor();
  await cp
    .locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"][data-unread="0"]`)
    .waitFor();
  assert.equal(await item.getByTestId('conversation-unread').count(), 0);
  await badge.waitFor({ state: 'detached' });
  const unread = await apiOk(base, creator.token, 'GET', '/conversations/unread-count');
  assert.equal(unread.count, 0);

  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(creatorSession.errors, []);
  await sponsor.context.close();
  await creatorSession.context.close();
});

test("a counter-offer made on the deal page appears live in the sponsor's open thread", async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, deal: creator } = people;
  const request = await inviteViaApi(base, brand, creator, campaignId, 120_000, 'Our spring launch needs your voice.');
  // The invitation itself opened the pair's conversation.
  const conversationId = await conversationWith(base, brand, creator.id);

  const sponsor = await openAs(brand);
  const sp = sponsor.page;
  await sp.goto(`/messages/${conversationId}`);
  await sponsor.realtime.ready();
  const invitation = sp.locator('[data-testid="chat-event"][data-action="create"]');
  await invitation.waitFor();
  assert.equal(await text(invitation.getByTestId('chat-event-amount')), '$1,200');
  assert.equal(await invitation.getByTestId('chat-event-status').getAttribute('data-status'), 'pending');
  assert.match(await text(invitation.getByTestId('chat-message-body')), /Our spring launch needs your voice\./);
  await markDocument(sp);

  // The creator counters from the deal page.
  const creatorSession = await openAs(creator);
  const cp = creatorSession.page;
  await cp.goto(`/ad-requests/${request.id}`);
  await cp.locator('[data-testid="deal-detail"][data-status="pending"]').waitFor();
  await cp.getByTestId('deal-action-counter').click();
  const dialog = cp.getByTestId('deal-dialog-counter');
  await dialog.waitFor();
  await dialog.getByTestId('offer-payment').fill('1500');
  await dialog.getByTestId('offer-message').fill('A reel with a story is $1,500.');
  await dialog.getByTestId('deal-dialog-confirm').click();
  await cp.locator('[data-testid="deal-detail"][data-status="negotiating"]').waitFor();

  // In the sponsor's thread: a counter-offer card with the new amount and status, no reload.
  const counter = sp.locator('[data-testid="chat-event"][data-action="counter"]');
  await counter.waitFor({ timeout: LIVE_MS });
  assert.equal(await text(counter.getByTestId('chat-event-amount')), '$1,500');
  assert.equal(await counter.getByTestId('chat-event-amount').getAttribute('data-cents'), '150000');
  assert.equal(await counter.getByTestId('chat-event-status').getAttribute('data-status'), 'negotiating');
  const counterText = await text(counter.getByTestId('chat-message-body'));
  assert.match(counterText, /Cleo Marsh countered on “Spring trail shoes” with \$1,500(?:\.00)?\./);
  assert.match(counterText, /A reel with a story is \$1,500\./);
  assert.equal(await sp.getByTestId('chat-event').count(), 2);
  // It is an event, not a chat bubble, and it comes with its own notification toast.
  assert.equal(await sp.getByTestId('chat-message').count(), 0);
  await sp
    .getByTestId('toast-notification')
    .filter({ hasText: `Counter-offer: ${CAMPAIGN}` })
    .waitFor({ timeout: LIVE_MS });
  const listed = sp.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
  assert.match(await text(listed.getByTestId('conversation-preview')), /countered/);
  await assertNotReloaded(sp);
  await screenshot(sp, 'messages-negotiation-1280');
  // Seen as it arrived in the open thread, so it does not stay counted as unread.
  await sp.getByTestId('messages-count').waitFor({ state: 'detached' });

  // The card's link opens the deal.
  await counter.getByTestId('chat-event-link').click();
  await sp.waitForURL(`**/ad-requests/${request.id}`);
  await sp.locator('[data-testid="deal-detail"][data-status="negotiating"]').waitFor();
  assert.equal(await text(sp.getByTestId('deal-payment')), '$1,500');
  await assertNotReloaded(sp);

  // And the deal page's Message button leads back to the same conversation.
  await sp.getByTestId('message-button').click();
  await sp.waitForURL(`**/messages/${conversationId}`);
  await sp.locator('[data-testid="chat-event"][data-action="counter"]').waitFor();

  assert.deepEqual(sponsor.errors, []);
  assert.deepEqual(creatorSession.errors, []);
  await sponsor.context.close();
  await creatorSession.context.close();
});

test('on a phone the conversation list and the thread are separate screens', async () => {
  const base = journey.server.baseUrl;
  const { sponsor: brand, phone: creator } = people;
  const conversationId = await conversationWith(base, brand, creator.id);
  for (const [who, body] of [
    [creator, 'Hi! I saw your spring catalogue, I would love to work together.'],
    [brand, 'Hi Dev, we loved your hiking series.'],
    [brand, 'A short trail run in our new shoes, one reel?'],
  ]) {
    await apiOk(base, who.token, 'POST', `/conversations/${conversationId}/messages`, { body });
  }

  const creatorSession = await newPage(journey.browser, base, VIEWPORTS.phone);
  const page = creatorSession.page;
  await logIn(page, creator.email, creator.password);

  // /messages: only the list.
  await page.goto('/messages');
  const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-unread'), '2');
  assert.equal(await page.getByTestId('conversation-list').isVisible(), true);
  assert.equal(await page.getByTestId('message-thread').count(), 0);
  assert.equal(await page.getByTestId('thread-placeholder').isVisible(), false);
  assert.ok((await horizontalOverflow(page)) <= 0, '/messages overflows at 375px');
  await screenshot(page, 'messages-list-375');
  await expectAccessible(page, 'an unread conversation in the list (375px)');

  // /messages/:id: only the thread, with a back link and the composer in view.
  await item.click();
  await page.waitForURL(`**/messages/${conversationId}`);
  const thread = page.getByTestId('message-thread');
  await thread.waitFor();
  await page.locator('[data-testid="chat-message"]').nth(2).waitFor();
  assert.equal(await page.getByTestId('chat-message').count(), 3);
  assert.equal(await page.getByTestId('conversation-list').isVisible(), false);
  assert.equal(await page.getByTestId('thread-back').isVisible(), true);
  const composer = await page.getByTestId('message-input').boundingBox();
  assert.ok(composer && composer.y + composer.height <= VIEWPORTS.phone.height, 'the composer is below the fold');
  assert.ok((await horizontalOverflow(page)) <= 0, '/messages/:id overflows at 375px');

  // Replying works from the phone.
  await page.getByTestId('message-input').fill('Sounds fun, count me in!');
  await page.getByTestId('message-send').click();
  await page.locator('[data-testid="chat-message"][data-mine="true"]').filter({ hasText: 'count me in' }).waitFor();
  await screenshot(page, 'messages-thread-375');

  // Back to the list, which no longer counts the conversation as unread.
  await page.getByTestId('thread-back').click();
  await page.waitForURL((url) => url.pathname === '/messages');
  await item.waitFor();
  assert.equal(await page.getByTestId('message-thread').count(), 0);
  assert.equal(await item.getAttribute('data-unread'), '0');
  assert.match(await text(item.getByTestId('conversation-preview')), /count me in/);

  // On a desktop the same address shows both panes, and the back link is hidden.
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto(`/messages/${conversationId}`);
  await page.getByTestId('message-thread').waitFor();
  assert.equal(await page.getByTestId('conversation-list').isVisible(), true);
  assert.equal(await page.getByTestId('thread-back').isVisible(), false);

  assert.deepEqual(creatorSession.errors, []);
  await creatorSession.context.close();
});
