import { ref, shallowRef, type Ref } from 'vue';
import { problemMessage } from '@/api/errors';
import type { Page } from '@/api/types';

/**
 * A keyset-paged list ("Load more"): items, the next cursor, and the loading, error and empty
 * states every list shows. A reload discards answers to requests it superseded.
 */
export function useKeysetList<T extends { id: string }>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const items = ref([]) as Ref<T[]>;
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = shallowRef<string | null>(null);
  const loaded = ref(false);
  let generation = 0;

  async function reload(): Promise<void> {
    const current = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await fetchPage(null);
      if (current !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (cause) {
      if (current !== generation) return;
      items.value = [];
      nextCursor.value = null;
      error.value = problemMessage(cause);
    } finally {
      if (current === generation) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value || loading.value) return;
    const current = generation;
    loadingMore.value = true;
    error.value = null;
    try {
      const page = await fetchPage(nextCursor.value);
      if (current !== generation) return;
      const seen = new Set(items.value.map((item) => item.id));
      items.value = [...items.value, ...page.items.filter((item) => !seen.has(item.id))];
      nextCursor.value = page.nextCursor;
    } catch (cause) {
      if (current === generation) error.value = problemMessage(cause);
    } finally {
      loadingMore.value = false;
    }
  }

  /** Puts an updated row in place (after an action) without reloading the list. */
  function replace(item: T): void {
    items.value = items.value.map((existing) => (existing.id === item.id ? item : existing));
  }

  return { items, nextCursor, loading, loadingMore, error, loaded, reload, loadMore, replace };
}

export type KeysetList<T extends { id: string }> = ReturnType<typeof useKeysetList<T>>;
