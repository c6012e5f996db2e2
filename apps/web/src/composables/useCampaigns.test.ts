import { mount, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';

const campaigns = vi.hoisted(() => ({ list: vi.fn() }));
vi.mock('@/api/client', () => ({ api: { campaigns } }));

const { countCampaigns, fetchInvitableCampaigns, useCampaignSearch } = await import('./useCampaigns');

/** Mounts Discover's search at a URL, with a real router so the URL drives the filters. */
async function searchAt(url: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/discover', component: { render: () => null } }],
  });
  await router.push(url);
  let search!: ReturnType<typeof useCampaignSearch>;
  mount(
    defineComponent({
      setup() {
        search = useCampaignSearch();
        return () => h('div');
      },
    }),
    { global: { plugins: [router] } },
  );
  await flushPromises();
  return { search, router };
}

describe('campaign data', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    campaigns.list.mockResolvedValue({ items: [{ id: 'c1' }], nextCursor: null });
  });

  it('searches with the filters in the URL', async () => {
    const { search } = await searchAt('/discover?q=shoes&niche=fashion&sort=newest');
    expect(campaigns.list).toHaveBeenCalledWith({ q: 'shoes', niche: 'fashion', sort: 'newest', limit: 12 });
    expect(search.list.items.value).toEqual([{ id: 'c1' }]);
    expect(search.activeFilterCount.value).toBe(1);
  });

  it('asks nothing for a crossed budget range, which matches nothing', async () => {
    const { search } = await searchAt('/discover?minBudgetCents=9000&maxBudgetCents=100');
    expect(campaigns.list).not.toHaveBeenCalled();
    expect(search.list.items.value).toEqual([]);
    expect(search.list.loaded.value).toBe(true);
  });

  it('reloads when a filter changes, and clearing keeps the sort', async () => {
    const { search, router } = await searchAt('/discover?q=shoes&sort=budget_desc');
    search.applyFilters({ ...search.filters.value, status: 'active' });
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ q: 'shoes', status: 'active', sort: 'budget_desc' });
    expect(campaigns.list).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'active' }));

    search.clearFilters();
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ sort: 'budget_desc' });
  });

  it('counts from one page, saying "100+" beyond it', async () => {
    campaigns.list.mockResolvedValueOnce({ items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'more' });
    expect(await countCampaigns({ mine: true, status: 'active' })).toBe('100+');
    expect(campaigns.list).toHaveBeenCalledWith({ mine: true, status: 'active', limit: 100 });
  });

  it('offers only campaigns that have not ended for an invitation', async () => {
    campaigns.list.mockResolvedValueOnce({
      items: [
        { id: 'a', status: 'active' },
        { id: 'b', status: 'ended' },
        { id: 'c', status: 'upcoming' },
      ],
      nextCursor: null,
    });
    expect((await fetchInvitableCampaigns()).map((item) => item.id)).toEqual(['a', 'c']);
  });
});
