/**
 * The admin's outbox: every mail the platform sent or tried to send, one mail as its recipient
 * sees it, and the retry of a failed one. The one place that calls `api.admin` for mail.
 */
import { LIMITS } from '@iescp/shared';
import { api } from '@/api/client';
import type { OutboxItem, OutboxMail, OutboxQuery } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { useResource } from '@/composables/useResource';
import { pageQuery } from '@/lib/paging';

export type OutboxStatus = NonNullable<OutboxQuery['status']>;
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['queued', 'sent', 'failed'];

/** Mail newest first, optionally of one status (`status()` is read on every page). */
export function useOutboxList(status: () => OutboxStatus | undefined) {
  return useKeysetList<OutboxItem>((cursor) => {
    const s = status();
    return api.admin.listOutbox({ ...(s ? { status: s } : {}), ...pageQuery(LIMITS.pageSize.default, cursor) });
  });
}

/** One mail with its HTML and text parts and headers, reloaded when `id()` changes. */
export function useOutboxMail(id: () => string) {
  return useResource<OutboxMail>(id, (mailId) => api.admin.outboxMail(mailId));
}

/** Queues a failed mail for delivery again; the answer is the mail, now `queued`. */
export function retryMail(id: string): Promise<OutboxMail> {
  return api.admin.retryMail(id);
}
