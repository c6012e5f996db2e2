/**
 * Helpers for the messaging and notification journeys: API calls for setup and server-side
 * checks, and a way to know that a page's live connection (Socket.IO) is up before a journey
 * makes something happen that should be pushed to it.
 */
import assert from 'node:assert/strict';
import {
  apiToken,
  approveViaApi,
  influencerBody,
  logIn,
  signUpViaApi,
  sponsorBody,
  uniqueEmail,
  utcDay,
} from './support.ts';

/** How long a pushed change may take to show in the other browser ("within ~2 s", with slack for a busy CI box). */
export const LIVE_MS = 3_000;

export const SPONSOR_PASSWORD = 'a-long-sponsor-password';
export const CREATOR_PASSWORD = 'a-long-creator-password';

/** One JSON API call with a bearer token; resolves to `{ status, body }`. */
export async function callApi(baseUrl, token, method, path, body) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Like `callApi`, but fails unless the status is `expected`; resolves to the body. */
export async function apiOk(baseUrl, token, method, path, body, expected = [200, 201]) {
  const result = await callApi(baseUrl, token, method, path, body);
  const ok = Array.isArray(expected) ? expected.includes(result.status) : result.status === expected;
  assert.ok(ok, `${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}

/**
 * An account made through the API: `{ id, email, password, token, name }`. Sponsors are
 * approved unless `approve: false`.
 */
export async function makeSponsor(baseUrl, { prefix = 'brand', displayName, companyName, approve = true } = {}) {
  const email = uniqueEmail(prefix);
  const signed = await signUpViaApi(baseUrl, sponsorBody(email, { displayName, profile: { companyName } }));
  if (approve) await approveViaApi(baseUrl, signed.user.id);
  const token = await apiToken(baseUrl, email, SPONSOR_PASSWORD);
  return { id: signed.user.id, email, password: SPONSOR_PASSWORD, token, name: displayName };
}

export async function makeCreator(baseUrl, { prefix = 'creator', displayName, rateCents } = {}) {
  const email = uniqueEmail(prefix);
  const signed = await signUpViaApi(
    baseUrl,
    influencerBody(email, { displayName, profile: rateCents ? { rateCents } : {} }),
  );
  const token = await apiToken(baseUrl, email, CREATOR_PASSWORD);
  return { id: signed.user.id, email, password: CREATOR_PASSWORD, token, name: displayName };
}

/** A public lifestyle campaign of the sponsor's, running for a month; resolves to its id. */
export async function makeCampaign(baseUrl, sponsor, name, budgetCents = 500_000) {
  const campaign = await apiOk(baseUrl, sponsor.token, 'POST', '/campaigns', {
    name,
    description: `${name}: a campaign made by the messaging journeys.`,
    niche: 'lifestyle',
    startDate: utcDay(0),
    endDate: utcDay(30),
    budgetCents,
    visibility: 'public',
  });
  return campaign.id;
}

/** The sponsor invites the creator to a campaign; resolves to the ad request. */
export function inviteViaApi(
  baseUrl,
  sponsor,
  creator,
  campaignId,
  paymentCents,
  message = 'Would love to work with you.',
) {
  return apiOk(baseUrl, sponsor.token, 'POST', '/ad-requests', {
    campaignId,
    influencerId: creator.id,
    requirements: 'One reel and two stories, tagged with the brand.',
    paymentCents,
    message,
  });
}

/** Gets (or creates) the pair's one conversation; resolves to its id. */
export async function conversationWith(baseUrl, user, otherId) {
  return (await apiOk(baseUrl, user.token, 'POST', '/conversations', { participantId: otherId })).id;
}

/** The newest messages of a conversation as the user sees them through the API. */
export async function messagesViaApi(baseUrl, user, conversationId) {
  return (await apiOk(baseUrl, user.token, 'GET', `/conversations/${conversationId}/messages`)).items;
}

/**
 * Follows the page's Socket.IO connections (WebSocket only, as the app connects), so a journey
 * can wait for the live connection instead of sleeping: a push sent before the socket has joined
 * would only show after a reload, which would make a "live" check flaky rather than wrong.
 */
export function trackRealtime(page) {
  const sockets = [];
  const waiters = new Set();
  // The newest socket counts: after a full page load the previous document's one is gone.
  const live = () => {
    const newest = sockets.at(-1);
    return Boolean(newest?.connected && !newest.closed);
  };
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/socket.io/')) return;
    const entry = { connected: false, closed: false };
    sockets.push(entry);
    // Engine.IO message (4) + Socket.IO CONNECT (0) for the main namespace: the server accepted the handshake.
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.startsWith('40')) return;
      entry.connected = true;
      for (const resolve of waiters) resolve();
    });
    ws.on('close', () => {
      entry.closed = true;
    });
  });
  return {
    /** Resolves once the page has an open, accepted live connection. */
    async ready(timeoutMs = 10_000) {
      if (live()) return;
      let timer;
      let resolve;
      try {
        await new Promise((resolvePromise, reject) => {
          resolve = () => live() && resolvePromise();
          waiters.add(resolve);
          timer = setTimeout(
            () => reject(new Error('The page did not open its live connection (/socket.io).')),
            timeoutMs,
          );
        });
      } finally {
        clearTimeout(timer);
        waiters.delete(resolve);
      }
    },
  };
}

/** Logs in through the form and waits for the live connection. */
export async function logInLive(page, user, realtime) {
  await logIn(page, user.email, user.password);
  await realtime.ready();
}

/**
 * Marks the current document, so a journey can show that a change arrived without a reload
 * (a reload or full navigation would drop the mark).
 */
export async function markDocument(page) {
  await page.evaluate(() => {
    window.__e2eNoReload = true;
  });
}

export async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.__e2eNoReload === true), true, 'the page was reloaded');
}

export const text = async (locator) => (await locator.innerText()).trim();
