import { onBeforeUnmount } from 'vue';
import { REALTIME_EVENTS, type AdRequestChange } from '@iescp/shared';
import { useRealtimeStore } from '@/stores/realtime';

/**
 * Calls `reload` while the component is mounted whenever one of the caller's ad requests changes
 * (`ad-request` push, filtered by `matches`) and after every reconnect, when pushes may have been
 * missed. Bursts (a deal action sends several events) collapse into one reload.
 */
export function useLiveAdRequests(reload: () => void, matches: (change: AdRequestChange) => boolean = () => true) {
  const realtime = useRealtimeStore();
  let timer: number | undefined;
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(reload, 150);
  };
  const offs = [
    realtime.on<AdRequestChange>(REALTIME_EVENTS.adRequest, (change) => {
      if (matches(change)) schedule();
    }),
    realtime.onResync(schedule),
  ];
  onBeforeUnmount(() => {
    window.clearTimeout(timer);
    for (const off of offs) off();
  });
}
