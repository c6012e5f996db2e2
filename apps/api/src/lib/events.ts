import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from '../db/client.js';
import type { RealtimeEvent, RealtimeHub } from './realtime.js';

/**
 * The one way a state change is made: a transaction in which the change and its events are
 * written together. Subscribers of an event run inside that transaction (a chat event message,
 * a notification, a withdrawal: they commit or roll back with the change); what must not happen
 * before the commit (real-time pushes, cache invalidation) is collected and done after it, so no
 * client ever hears of a change that was rolled back.
 */
export interface EventScope<E extends { kind: string }> {
  readonly tx: Tx;
  /** Runs the event's subscribers now, in this transaction; its invalidations go out after the commit. */
  emit(event: E): Promise<void>;
  /** Queues a push to these users' sockets for after the commit. */
  push(userIds: readonly string[], event: RealtimeEvent, payload: unknown): void;
  /**
   * Queues closing the open sockets of these ended login sessions, on every instance, for after
   * the commit (HTTP refuses their tokens from the commit on: the gate reads the database).
   */
  closeSessions(sessionIds: readonly string[]): void;
}

export type Subscriber<E extends { kind: string }, K extends E['kind']> = (
  scope: EventScope<E>,
  event: Extract<E, { kind: K }>,
) => Promise<void>;

export interface EventBus<E extends { kind: string }> {
  /** Subscribes to one kind of event; called where the app is wired, never at import time. */
  on<K extends E['kind']>(kind: K, subscriber: Subscriber<E, K>): void;
  /** Runs `work` in one transaction (see EventScope), then sends what it queued. */
  transaction<T>(work: (scope: EventScope<E>) => Promise<T>): Promise<T>;
}

export interface EventBusDeps<E extends { kind: string }, N extends string> {
  db: Db;
  realtime: RealtimeHub;
  /** Bumps cache namespaces; must never throw (a failed bump is retried by the cache itself). */
  invalidate: (...namespaces: N[]) => Promise<void>;
  /** Which cached reads each kind of event makes stale: declared once, for every writer. */
  invalidates: { [K in E['kind']]: readonly N[] };
  log: FastifyBaseLogger;
}

export function createEventBus<E extends { kind: string }, N extends string>(deps: EventBusDeps<E, N>): EventBus<E> {
  const subscribers = new Map<string, Subscriber<E, E['kind']>[]>();

  return {
    on(kind, subscriber) {
      subscribers.set(kind, [...(subscribers.get(kind) ?? []), subscriber as unknown as Subscriber<E, E['kind']>]);
    },

    async transaction(work) {
      const pushes: { userIds: readonly string[]; event: RealtimeEvent; payload: unknown }[] = [];
      const stale = new Set<N>();
      const closed: string[] = [];
      const result = await deps.db.transaction(async (tx) => {
        const scope: EventScope<E> = {
          tx,
          async emit(event) {
            for (const ns of deps.invalidates[event.kind as E['kind']]) stale.add(ns);
            for (const subscriber of subscribers.get(event.kind) ?? []) {
              await subscriber(scope, event as Extract<E, { kind: E['kind'] }>);
            }
          },
          push(userIds, event, payload) {
            pushes.push({ userIds, event, payload });
          },
          closeSessions(sessionIds) {
            closed.push(...sessionIds);
          },
        };
        return work(scope);
      });
      // After the commit: the write stands whatever happens to these.
      if (stale.size > 0) await deps.invalidate(...stale);
      for (const p of pushes) deps.realtime.toUsers(p.userIds, p.event, p.payload);
      if (closed.length > 0) await deps.realtime.disconnectSessions(closed);
      return result;
    },
  };
}
