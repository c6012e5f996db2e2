/**
 * Coordination around the refresh cookie that the server rotates on every use (and whose
 * reuse revokes the whole session): which loads should try a refresh at all, and how
 * refreshes from several tabs, or from a page that is being reloaded, stay one at a time.
 * Nothing here is a credential: tokens never touch storage.
 */

/**
 * Marks that this browser probably holds a refresh cookie, so a first-time visitor's page
 * load does not fire a refresh that can only fail. It is a hint, never a credential.
 */
const SESSION_HINT_KEY = 'iescp.session';

export function readHint(): boolean {
  try {
    return window.localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return true;
  }
}

export function writeHint(present: boolean): void {
  try {
    if (present) window.localStorage.setItem(SESSION_HINT_KEY, '1');
    else window.localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage can be disabled (private mode); the hint is only an optimisation.
  }
}

/**
 * Refresh tokens rotate and reusing a spent one revokes the whole family, so two refreshes
 * must never present the same cookie. Live tabs are serialised by the Web Locks API. A page
 * that was unloaded mid-refresh (a quick reload) released its lock while its request still
 * runs, so a refresh started within moments of another one first lets that one land its cookie.
 */
const REFRESH_MARK_KEY = 'iescp.refreshStartedAt';
const REFRESH_SETTLE_MS = 1500;

async function waitForUnfinishedRefresh(): Promise<void> {
  let startedAt = 0;
  try {
    startedAt = Number(window.localStorage.getItem(REFRESH_MARK_KEY) ?? 0);
  } catch {
    return;
  }
  const age = Date.now() - startedAt;
  if (startedAt > 0 && age >= 0 && age < REFRESH_SETTLE_MS) {
    await new Promise((resolve) => window.setTimeout(resolve, REFRESH_SETTLE_MS - age));
  }
}

export function markRefresh(started: boolean): void {
  try {
    if (started) window.localStorage.setItem(REFRESH_MARK_KEY, String(Date.now()));
    else window.localStorage.removeItem(REFRESH_MARK_KEY);
  } catch {
    // Without storage the lock alone has to do.
  }
}

export async function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const guarded = async () => {
    await waitForUnfinishedRefresh();
    markRefresh(true);
    return task();
  };
  if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
    return navigator.locks.request('iescp-refresh', guarded);
  }
  return guarded();
}
