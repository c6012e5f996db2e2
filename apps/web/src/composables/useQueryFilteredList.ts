import { computed, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { Page } from '@/api/types';
import { useDebouncedText } from '@/composables/useDebouncedText';
import { useKeysetList } from '@/composables/useKeysetList';

/** How a list page's filters travel through the URL, and what "clear" resets them to. */
export interface QueryFilterCodec<F extends { q: string }> {
  fromQuery: (query: LocationQuery) => F;
  toQuery: (filters: F) => Record<string, string>;
  /** The filters after "Clear filters" (given the current ones, e.g. to keep the sort). */
  cleared: (current: F) => F;
}

/**
 * A keyset list driven by filters kept in the URL query, with a debounced search box.
 * `fetchPage` gets the current filters and the cursor.
 */
export function useQueryFilteredList<F extends { q: string; sort: string }, T extends { id: string }>(
  codec: QueryFilterCodec<F>,
  fetchPage: (filters: F, cursor: string | null) => Promise<Page<T>>,
) {
  const route = useRoute();
  const router = useRouter();

  const filters = computed(() => codec.fromQuery(route.query));
  const list = useKeysetList<T>((cursor) => fetchPage(filters.value, cursor));

  // The URL is the source of truth for filters: changing one rewrites the query, which reloads.
  watch(
    () => JSON.stringify(codec.toQuery(filters.value)),
    () => void list.reload(),
    { immediate: true },
  );

  function applyFilters(next: F): void {
    void router.replace({ query: codec.toQuery(next) });
  }

  const search = useDebouncedText(
    () => filters.value.q,
    (q) => applyFilters({ ...filters.value, q }),
  );

  function clearFilters(): void {
    search.reset('');
    applyFilters(codec.cleared(filters.value));
  }

  /** How many filters are set, not counting the search text and the sort (for the badges). */
  const activeFilterCount = computed(() => {
    const { q: _q, sort: _sort, ...rest } = codec.toQuery(filters.value);
    return Object.keys(rest).length;
  });

  return { filters, list, applyFilters, search, clearFilters, activeFilterCount };
}

export type QueryFilteredList<F extends { q: string; sort: string }, T extends { id: string }> = ReturnType<
  typeof useQueryFilteredList<F, T>
>;
