/**
 * The admin's jobs: every scheduled job and task with its recent runs, and "run now". The one
 * place that calls `api.admin` for jobs. While a run waits or runs, the list is asked for again
 * every few seconds, so the page shows it finish.
 */
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import { api } from '@/api/client';
import { problemMessage } from '@/api/errors';
import type { JobItem } from '@/api/types';
import { PENDING_STATES } from '@/lib/jobs';

export const JOBS_POLL_MS = 3000;

export function useJobs(pollMs = JOBS_POLL_MS) {
  const items = ref<JobItem[]>([]);
  const loading = ref(true);
  const error = shallowRef<string | null>(null);
  /** Names of the jobs whose "run now" is being sent. */
  const queuing = ref(new Set<string>());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const pending = computed(() => items.value.some((job) => job.runs.some((run) => PENDING_STATES.includes(run.state))));

  function schedulePoll(): void {
    clearTimeout(timer);
    if (!stopped && pending.value) timer = setTimeout(() => void reload({ quiet: true }), pollMs);
  }

  /** `quiet` keeps the list shown while it is asked for again (polling). */
  async function reload(options: { quiet?: boolean } = {}): Promise<void> {
    if (!options.quiet) loading.value = true;
    try {
      items.value = (await api.admin.listJobs()).items;
      error.value = null;
    } catch (cause) {
      error.value = problemMessage(cause);
    } finally {
      loading.value = false;
      schedulePoll();
    }
  }

  /** Queues one run now; the run shows in the list (and is followed) from the next reload. */
  async function runNow(name: string): Promise<{ id: string }> {
    queuing.value = new Set([...queuing.value, name]);
    try {
      const queued = await api.admin.runJob(name);
      await reload({ quiet: true });
      return queued;
    } finally {
      const next = new Set(queuing.value);
      next.delete(name);
      queuing.value = next;
    }
  }

  onScopeDispose(() => {
    stopped = true;
    clearTimeout(timer);
  });

  return { items, loading, error, pending, queuing, reload, runNow };
}
