import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '@/api/client';
import { setCurrency } from '@/lib/format';

/**
 * What `GET /meta` tells about the platform. Only the currency is taken from it: niches,
 * platforms and limits are compiled in from `@iescp/shared`, the same package the server uses.
 */
export const useMetaStore = defineStore('meta', () => {
  const currency = ref<string | null>(null);
  let loading: Promise<void> | null = null;

  /** Loads once per page; a failure keeps the shared default and is retried on the next call. */
  function load(): Promise<void> {
    loading ??= api.meta
      .get()
      .then((meta) => {
        currency.value = meta.currency;
        setCurrency(meta.currency);
      })
      .catch(() => {
        loading = null;
      });
    return loading;
  }

  return { currency, load };
});
