import { REALTIME_EVENTS } from '@iescp/shared';

export type RealtimeEvent = (typeof REALTIME_EVENTS)[keyof typeof REALTIME_EVENTS];

/** Where real-time events go: Socket.IO rooms, one per user, on every instance. */
export interface RealtimeSink {
  /** Emits `event` to every socket of these users, whichever instance they are connected to. */
  toUsers(userIds: readonly string[], event: RealtimeEvent, payload: unknown): void;
}

/**
 * The sink plus the control messages: drop a user's sockets (deactivation) or the sockets of
 * ended login sessions (logout, password change, refresh-token reuse), on every instance.
 */
export interface RealtimeHub extends RealtimeSink {
  disconnectUser(userId: string): Promise<void>;
  disconnectSessions(sessionIds: readonly string[]): Promise<void>;
}
