import type { Db } from '../../db/client.js';
import { adRequestsRepository as repo, type DueRule } from './ad-requests.repository.js';
import type { AdRequestsService } from './ad-requests.service.js';

export interface TimerResult {
  /** Requests moved by this run. */
  changed: number;
  /** Requests that were due when listed but not any more under lock (another run got there first). */
  skipped: number;
}

const BATCH = 200;

/**
 * The scheduled transitions. Each lists what looks due, then moves every request in its own
 * transaction after re-checking, under the row lock, both the transition table and the same
 * "due" rule, so overlapping or repeated runs never act twice.
 */
export function createAdRequestTimers(deps: {
  db: Db;
  service: AdRequestsService;
  offerTtlDays: number;
  autoCompleteDays: number;
}) {
  const { db, service } = deps;

  async function run(rule: DueRule): Promise<TimerResult> {
    const result: TimerResult = { changed: 0, skipped: 0 };
    for (;;) {
      const ids = await repo.dueIds(db, rule, BATCH);
      for (const id of ids) {
        if (await service.actAsSystem(id, rule)) result.changed += 1;
        else result.skipped += 1;
      }
      if (ids.length < BATCH || result.changed === 0) return result;
    }
  }

  return {
    /** Open offers without activity for OFFER_TTL_DAYS, or whose campaign has ended, expire. */
    expireOffers: () => run({ action: 'expire', days: deps.offerTtlDays }),

    /** Work left delivered for AUTO_COMPLETE_DAYS is completed and paid: silence never withholds payment. */
    autoComplete: () => run({ action: 'auto_complete', days: deps.autoCompleteDays }),
  };
}

export type AdRequestTimers = ReturnType<typeof createAdRequestTimers>;
