import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { adRequests } from '../../db/schema/index.js';
import { utcToday } from '../campaigns/campaigns.repository.js';
import { adRequestsRepository as repo } from './ad-requests.repository.js';
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
 * "due" condition, so overlapping or repeated runs never act twice.
 */
export function createAdRequestTimers(deps: {
  db: Db;
  service: AdRequestsService;
  offerTtlDays: number;
  autoCompleteDays: number;
}) {
  const { db, service } = deps;

  async function run(action: 'expire' | 'auto_complete', due: ReturnType<typeof sql>): Promise<TimerResult> {
    const result: TimerResult = { changed: 0, skipped: 0 };
    for (;;) {
      const ids = await repo.dueIds(db, due, BATCH);
      for (const id of ids) {
        if (await service.actAsSystem(id, action, due)) result.changed += 1;
        else result.skipped += 1;
      }
      if (ids.length < BATCH || result.changed === 0) return result;
    }
  }

  return {
    /** Open offers without activity for OFFER_TTL_DAYS, or whose campaign has ended, expire. */
    expireOffers(): Promise<TimerResult> {
      const due = sql`${adRequests.status} in ('pending', 'negotiating') and (${adRequests.statusChangedAt} < now() - make_interval(days => ${deps.offerTtlDays}) or exists (select 1 from campaigns c where c.id = ${adRequests.campaignId} and (c.end_date < ${utcToday} or c.deleted_at is not null)))`;
      return run('expire', due);
    },

    /** Work left delivered for AUTO_COMPLETE_DAYS is completed and paid: silence never withholds payment. */
    autoComplete(): Promise<TimerResult> {
      const due = sql`${adRequests.status} = 'delivered' and ${adRequests.statusChangedAt} < now() - make_interval(days => ${deps.autoCompleteDays})`;
      return run('auto_complete', due);
    },
  };
}

export type AdRequestTimers = ReturnType<typeof createAdRequestTimers>;
