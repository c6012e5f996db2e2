import type { Db } from '../../db/client.js';
import { accountsRepository as repo } from './accounts.repository.js';

/** "Last seen" is written at most once per user per this many seconds. */
export const LAST_SEEN_WINDOW_SECONDS = 300;
/** Users remembered by the in-process throttle; beyond it the oldest are forgotten (and may write once more). */
const MAX_REMEMBERED = 50_000;

/**
 * Each user's last activity (`users.last_active_at`), recorded after authenticated requests
 * without costing them anything: an in-process throttle (user → until when there is nothing to
 * write) keeps all but about one request per user per window away from the database, and the
 * conditional UPDATE behind it keeps several instances together to about one write per window.
 * The caller does not wait (the auth plugin calls `seen` after the response is sent).
 */
export function createLastSeenService(deps: {
  db: Db;
  windowSeconds?: number;
  /** The clock of the throttle (the database's clock decides the write). */
  now?: () => number;
}) {
  const { db } = deps;
  const windowSeconds = deps.windowSeconds ?? LAST_SEEN_WINDOW_SECONDS;
  const now = deps.now ?? (() => Date.now());
  const quietUntil = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  function remember(userId: string, until: number) {
    quietUntil.delete(userId); // re-inserted last: the map's order is the order of writes
    if (quietUntil.size >= MAX_REMEMBERED) {
      const at = now();
      for (const [id, end] of quietUntil) if (end <= at) quietUntil.delete(id);
      // Still full of live entries: forget the oldest, the ones nearest to expiring anyway.
      for (const id of quietUntil.keys()) {
        if (quietUntil.size < MAX_REMEMBERED) break;
        quietUntil.delete(id);
      }
    }
    quietUntil.set(userId, until);
  }

  return {
    /**
     * Records that the user was active now, unless this process or another recorded it within
     * the window. Rejects only with a database error (the caller logs it; no request fails).
     */
    seen(userId: string): Promise<void> {
      const at = now();
      if ((quietUntil.get(userId) ?? 0) > at) return Promise.resolve();
      remember(userId, at + windowSeconds * 1000);
      const write = repo.markActive(db, userId, windowSeconds).then(
        () => undefined,
        (error: unknown) => {
          // Try again on the next request rather than in a window's time.
          quietUntil.delete(userId);
          throw error;
        },
      );
      const tracked = write.catch(() => undefined).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return write;
    },

    /** Resolves when every write started so far is done (before the database closes; tests). */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type LastSeenService = ReturnType<typeof createLastSeenService>;
