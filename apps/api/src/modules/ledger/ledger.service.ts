import type { Db, DbOrTx } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { ledgerRepository as repo, type NewLedgerEntry } from './ledger.repository.js';
import type { LedgerQuery } from './ledger.schemas.js';

/** The money ledger: appended with every money movement, read by its parties. */
export function createLedgerService(deps: { db: Db }) {
  const { db } = deps;
  const keys = repo.newestKeys;
  return {
    /** Call inside the transaction that moves the campaign's money, so the two always agree. */
    record(tx: DbOrTx, entry: NewLedgerEntry): Promise<void> {
      return repo.insert(tx, entry);
    },

    async list(actor: Actor, query: LedgerQuery) {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', keys) : undefined;
      const filters = {
        sponsorId: actor.role === 'sponsor' ? actor.id : undefined,
        influencerId: actor.role === 'influencer' ? actor.id : undefined,
        kind: query.kind,
        campaignId: query.campaignId === undefined ? undefined : isUuid(query.campaignId) ? query.campaignId : null,
      };
      const rows = await repo.page(db, filters, keys, cursor, limit);
      return keysetPage(rows, limit, keys, 'newest', ({ campaignName, ...r }) => ({
        ...r,
        campaign: { id: r.campaignId, name: campaignName },
        createdAt: r.createdAt.toISOString(),
      }));
    },

    earnings(actor: Actor) {
      return repo.earningsOf(db, actor.id);
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
