/**
 * Ad-request (deal) data for pages and components: the inbox tabs, one deal, a campaign's
 * deals, creating one and every action on it. The one place that calls `api.adRequests`.
 */
import { LIMITS } from '@iescp/shared';
import { watch, type Ref } from 'vue';
import { api } from '@/api/client';
import type { AdRequest, AdRequestQuery, CreateAdRequestBody } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { useResource } from '@/composables/useResource';
import { CLOSED_STATUSES, mergedStatusPager, type InboxTab } from '@/lib/adRequests';
import { dollarsToCents } from '@/lib/format';
import { pageQuery } from '@/lib/paging';

const INBOX_PAGE_SIZE = LIMITS.pageSize.default;
const CAMPAIGN_PAGE_SIZE = 10;
/** Counts and look-ups read one page of up to 100 rows. */
const COUNT_PAGE = 100;
/** Statuses in which a creator already has a request on a campaign (a second one is a 409). */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['pending', 'negotiating', 'accepted', 'delivered']);

/** The list's source for an inbox tab; "Closed" merges four statuses into one list. */
function inboxPager(
  tab: InboxTab,
): (cursor: string | null) => Promise<{ items: AdRequest[]; nextCursor: string | null }> {
  if (tab === 'closed') {
    return mergedStatusPager(CLOSED_STATUSES, {}, INBOX_PAGE_SIZE, (query) => api.adRequests.list(query));
  }
  const query: AdRequestQuery = tab === 'all' ? {} : tab === 'awaiting' ? { awaiting: 'me' } : { status: tab };
  return (cursor) => api.adRequests.list({ ...query, ...pageQuery(INBOX_PAGE_SIZE, cursor) });
}

/** The deals inbox for the open tab; `onTab` runs after each switch (and at once). */
export function useAdRequestInbox(tab: Readonly<Ref<InboxTab>>, onTab: (tab: InboxTab) => void = () => undefined) {
  let pager = inboxPager(tab.value);
  const list = useKeysetList<AdRequest>((cursor) => pager(cursor));
  watch(
    tab,
    (current) => {
      pager = inboxPager(current);
      void list.reload();
      onTab(current);
    },
    { immediate: true },
  );
  return list;
}

/** The ad requests on one campaign that the viewer is a party to, reloaded when the campaign changes. */
export function useCampaignAdRequests(campaignId: () => string) {
  const list = useKeysetList<AdRequest>((cursor) =>
    api.adRequests.list({ campaignId: campaignId(), ...pageQuery(CAMPAIGN_PAGE_SIZE, cursor) }),
  );
  watch(campaignId, () => void list.reload(), { immediate: true });
  return list;
}

/** One deal by id. */
export function useAdRequest(id: () => string) {
  return useResource<AdRequest>(id, (requestId) => api.adRequests.get(requestId));
}

/** How many of the viewer's deals are in a status, as a count from one page, and whether there are more. */
export async function countAdRequests(status: AdRequest['status']): Promise<{ count: number; more: boolean }> {
  const page = await api.adRequests.list({ status, limit: COUNT_PAGE });
  return { count: page.items.length, more: page.nextCursor !== null };
}

/** An invitation (sponsor, with `influencerId`) or an application (influencer, without). */
export const createAdRequest = (body: CreateAdRequestBody) => api.adRequests.create(body);

/** The creator's open request on a campaign, if any (after a 409 on apply or invite); null when unknown. */
export async function findOpenAdRequest(
  campaignId: string,
  influencerId: string | undefined,
): Promise<AdRequest | null> {
  try {
    const page = await api.adRequests.list({ campaignId, limit: COUNT_PAGE });
    return page.items.find((item) => item.influencerId === influencerId && OPEN_STATUSES.has(item.status)) ?? null;
  } catch {
    return null;
  }
}

export type AdRequestActionKey =
  | 'counter'
  | 'accept'
  | 'reject'
  | 'withdraw'
  | 'deliver'
  | 'requestRevision'
  | 'complete'
  | 'cancel'
  | 'edit'
  | 'delete';

/** What the action dialog collects; each action reads the fields it needs. */
export interface AdRequestActionForm {
  payment: string;
  requirements: string;
  message: string;
  deliverableUrl: string;
  note: string;
  reason: string;
}

/**
 * Sends one action on a deal as the person filled it in. Returns the updated request (the same
 * one when an edit changed nothing), or null once it is deleted. Fields are trimmed; unchanged
 * terms are left out, since the server treats every field present as a change.
 */
export async function performAdRequestAction(
  request: AdRequest,
  action: AdRequestActionKey,
  form: AdRequestActionForm,
): Promise<AdRequest | null> {
  const id = request.id;
  const text = (key: keyof AdRequestActionForm) => form[key].trim();
  switch (action) {
    case 'counter': {
      const requirements = text('requirements');
      const message = text('message');
      return api.adRequests.counter(id, {
        paymentCents: dollarsToCents(form.payment) ?? 0,
        ...(requirements !== request.requirements ? { requirements } : {}),
        ...(message ? { message } : {}),
      });
    }
    case 'accept':
      return api.adRequests.accept(id, request.offerVersion);
    case 'reject':
      return api.adRequests.reject(id, text('message') || undefined);
    case 'withdraw':
      return api.adRequests.withdraw(id);
    case 'deliver': {
      const note = text('note');
      return api.adRequests.deliver(id, { deliverableUrl: text('deliverableUrl'), ...(note ? { note } : {}) });
    }
    case 'requestRevision':
      return api.adRequests.requestRevision(id, text('note'));
    case 'complete':
      return api.adRequests.complete(id);
    case 'cancel':
      return api.adRequests.cancel(id, text('reason'));
    case 'edit': {
      const paymentCents = dollarsToCents(form.payment) ?? 0;
      const requirements = text('requirements');
      const body = {
        ...(paymentCents !== request.paymentCents ? { paymentCents } : {}),
        ...(requirements !== request.requirements ? { requirements } : {}),
      };
      if (Object.keys(body).length === 0) return request;
      return api.adRequests.edit(id, body);
    }
    case 'delete':
      await api.adRequests.remove(id);
      return null;
  }
}
