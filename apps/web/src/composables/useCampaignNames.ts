import { reactive } from 'vue';
import { api } from '@/api/client';

/** Names fetched once per page load, shared by every list that shows ledger rows. */
const names = reactive(new Map<string, string | null>());
const pending = new Set<string>();

/**
 * Campaign names for rows that carry only a `campaignId` (ledger entries): each campaign is
 * fetched once; one the viewer can no longer see keeps `null` and the row shows a fallback.
 */
export function useCampaignNames() {
  function request(ids: Iterable<string>): void {
    for (const id of ids) {
      if (names.has(id) || pending.has(id)) continue;
      pending.add(id);
      api.campaigns
        .get(id)
        .then((campaign) => names.set(id, campaign.name))
        .catch(() => names.set(id, null))
        .finally(() => pending.delete(id));
    }
  }
  return { names, request };
}
