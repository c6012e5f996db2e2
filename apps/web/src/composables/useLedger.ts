/**
 * Money as the ledger sees it: a creator's earnings and the list of ledger entries (payments,
 * reservations, refunds). The one place that calls `api.ledger`.
 */
import { LIMITS } from '@iescp/shared';
import { api } from '@/api/client';
import type { Earnings, LedgerEntry, TransactionQuery } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { useResource } from '@/composables/useResource';
import { pageQuery } from '@/lib/paging';

export type LedgerKind = NonNullable<TransactionQuery['kind']>;

export const fetchEarnings = (): Promise<Earnings> => api.ledger.earnings();

/** The signed-in creator's earnings summary (there is one per person, so no id). */
export function useEarnings() {
  return useResource<Earnings>(() => 'me', fetchEarnings);
}

/** Ledger entries, newest first, of one kind or all (`kind()` returns null); the caller reloads. */
export function useLedgerEntries(kind: () => LedgerKind | null) {
  return useKeysetList<LedgerEntry>((cursor) => {
    const current = kind();
    return api.ledger.transactions({
      ...(current ? { kind: current } : {}),
      ...pageQuery(LIMITS.pageSize.default, cursor),
    });
  });
}
