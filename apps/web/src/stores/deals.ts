import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '@/api/client';
import { useAuthStore } from '@/stores/auth';

/** Counted from one page of the list: "99+" beyond that, which is plenty for a badge. */
const COUNT_PAGE = 100;
/** Navigation refreshes the count at most this often; actions refresh it at once. */
const STALE_MS = 15_000;

/**
 * The "awaiting me" count the navbar badge, the inbox tab and the dashboards show: ad requests
 * whose next step is the signed-in sponsor's or influencer's (`GET /ad-requests?awaiting=me`).
 */
export const useDealsStore = defineStore('deals', () => {
  const awaitingCount = ref<number | null>(null);
  const awaitingMore = ref(false);
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  let forUser: string | null = null;

  function reset(): void {
    awaitingCount.value = null;
    awaitingMore.value = false;
    loadedAt = 0;
    forUser = null;
  }

  /** Loads the count now; a failure keeps the last figure (the badge is a nicety). */
  function refresh(): Promise<void> {
    const auth = useAuthStore();
    if (!auth.isAuthenticated || (auth.role !== 'sponsor' && auth.role !== 'influencer')) {
      reset();
      return Promise.resolve();
    }
    if (forUser !== auth.user?.id) reset();
    forUser = auth.user?.id ?? null;
    loading ??= api.adRequests
      .list({ awaiting: 'me', limit: COUNT_PAGE })
      .then((page) => {
        awaitingCount.value = page.items.length;
        awaitingMore.value = page.nextCursor !== null;
        loadedAt = Date.now();
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** Refreshes when the figure is older than a few seconds (called on navigation). */
  function refreshIfStale(): Promise<void> {
    const auth = useAuthStore();
    if (forUser !== (auth.user?.id ?? null) || Date.now() - loadedAt > STALE_MS) return refresh();
    return Promise.resolve();
  }

  return { awaitingCount, awaitingMore, refresh, refreshIfStale, reset };
});

/** "3", "99+": the text of a count badge. */
export function countLabel(count: number, more: boolean): string {
  return more ? `${count}+` : String(count);
}
