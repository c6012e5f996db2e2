import { ref, shallowRef, watch, type Ref } from 'vue';
import { isApiError, problemMessage } from '@/api/errors';

/**
 * One resource a page shows (a campaign, a profile), loaded whenever its id changes, with the
 * states every page needs: loading, not found (404 — also what the server answers for things
 * the caller may not see), and failed.
 */
export function useResource<T>(id: () => string, load: (id: string) => Promise<T>) {
  const data = ref(null) as Ref<T | null>;
  const loading = ref(true);
  const notFound = ref(false);
  const error = shallowRef<string | null>(null);
  let generation = 0;

  /** `quiet` keeps what is shown until the new answer arrives (live updates; no spinner flash). */
  async function reload(options: { quiet?: boolean } = {}): Promise<void> {
    const current = ++generation;
    if (!options.quiet || data.value === null) {
      loading.value = true;
      notFound.value = false;
      error.value = null;
    }
    try {
      const value = await load(id());
      if (current === generation) data.value = value;
    } catch (cause) {
      if (current !== generation) return;
      data.value = null;
      if (isApiError(cause) && cause.status === 404) notFound.value = true;
      else error.value = problemMessage(cause);
    } finally {
      if (current === generation) loading.value = false;
    }
  }

  watch(id, () => void reload(), { immediate: true });

  return { data, loading, notFound, error, reload };
}

export type Resource<T> = ReturnType<typeof useResource<T>>;
