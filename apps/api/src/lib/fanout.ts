import { REALTIME_EVENTS } from '@iescp/shared';

export type RealtimeEvent = (typeof REALTIME_EVENTS)[keyof typeof REALTIME_EVENTS];

/** Where real-time events go: Socket.IO rooms, one per user, on every instance. */
export interface RealtimeSink {
  /** Emits `event` to every socket of these users, whichever instance they are connected to. */
  toUsers(userIds: readonly string[], event: RealtimeEvent, payload: unknown): void;
}

/**
 * Real-time events collected while a transaction runs and sent only after it commits, so no
 * client ever hears of a message or notification that was rolled back. The rows themselves
 * are durable: a client that misses a push (offline, reconnecting) fetches them.
 */
export class Fanout {
  private readonly pending: { userIds: readonly string[]; event: RealtimeEvent; payload: unknown }[] = [];

  add(userIds: readonly string[], event: RealtimeEvent, payload: unknown): void {
    this.pending.push({ userIds, event, payload });
  }

  /** Sends everything collected; call once, after the commit. */
  send(sink: RealtimeSink): void {
    for (const p of this.pending.splice(0)) sink.toUsers(p.userIds, p.event, p.payload);
  }
}

/** The sink plus the one control message: drop a user's sockets (deactivation), on every instance. */
export interface RealtimeHub extends RealtimeSink {
  disconnectUser(userId: string): Promise<void>;
}
