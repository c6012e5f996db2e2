import { defineStore } from 'pinia';
import { ref } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { REALTIME_EVENTS } from '@iescp/shared';
import { useAuthStore } from './auth';

type EventName = (typeof REALTIME_EVENTS)[keyof typeof REALTIME_EVENTS];
type Handler = (payload: unknown) => void;

/**
 * The one Socket.IO connection of a signed-in tab. The server pushes `message`, `notification`
 * and `ad-request` events; pushes are hints, the API stays the source of truth, so after every
 * reconnect subscribers get a `resync` call to fetch what they may have missed.
 */
export const useRealtimeStore = defineStore('realtime', () => {
  const auth = useAuthStore();
  const connected = ref(false);
  let socket: Socket | null = null;
  let everConnected = false;
  const handlers = new Map<EventName, Set<Handler>>();
  const resyncHandlers = new Set<() => void>();

  function dispatch(event: EventName, payload: unknown): void {
    for (const handler of handlers.get(event) ?? []) handler(payload);
  }

  // A refused handshake is not retried by the client itself: retry with a growing delay.
  let attempts = 0;
  let retryTimer: number | undefined;
  function retrySoon(): void {
    window.clearTimeout(retryTimer);
    const delay = Math.min(30_000, 1_000 * 2 ** attempts);
    attempts += 1;
    retryTimer = window.setTimeout(() => socket?.connect(), delay);
  }

  /** A fresh access token, then connect again; a failed refresh ends the session (auth store). */
  async function reconnectWithFreshToken(): Promise<void> {
    if (!socket) return;
    if (await auth.refresh()) retrySoon();
  }

  function start(): void {
    if (socket) return;
    socket = io({
      path: '/socket.io',
      // WebSocket only: no long-polling, so several instances behind a load balancer need no
      // sticky sessions.
      transports: ['websocket'],
      // Read at every (re)connect, so a refreshed token is used.
      auth: (cb) => cb({ token: auth.accessToken }),
    });
    socket.on('connect', () => {
      attempts = 0;
      connected.value = true;
      if (everConnected) for (const handler of resyncHandlers) handler();
      everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      connected.value = false;
      // The server closes a socket when its access token expires or the account is deactivated:
      // refreshing tells which, and reconnects in the first case.
      if (reason === 'io server disconnect') void reconnectWithFreshToken();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      const code = error.data?.code ?? error.message;
      if (code === 'account_deactivated') {
        auth.endSession('This account has been deactivated.');
        stop();
      } else if (code === 'unauthenticated') {
        void reconnectWithFreshToken();
      } else if (code === 'unavailable') {
        // The server could not check the token (its database is unreachable): try again later.
        retrySoon();
      }
      // Anything else (network) is retried by the client's own back-off.
    });
    for (const event of Object.values(REALTIME_EVENTS)) {
      socket.on(event, (payload: unknown) => dispatch(event, payload));
    }
  }

  function stop(): void {
    window.clearTimeout(retryTimer);
    attempts = 0;
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    everConnected = false;
    connected.value = false;
  }

  /** Subscribes to a pushed event; returns the unsubscribe function (call it on unmount). */
  function on<T = unknown>(event: EventName, handler: (payload: T) => void): () => void {
    const set = handlers.get(event) ?? new Set<Handler>();
    handlers.set(event, set);
    set.add(handler as Handler);
    return () => set.delete(handler as Handler);
  }

  /** Runs after every reconnect: refetch whatever the view shows. Returns the unsubscribe. */
  function onResync(handler: () => void): () => void {
    resyncHandlers.add(handler);
    return () => resyncHandlers.delete(handler);
  }

  return { connected, start, stop, on, onResync };
});
