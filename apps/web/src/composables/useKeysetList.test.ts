import { describe, expect, it } from 'vitest';
import type { Page } from '@/api/types';
import { useKeysetList } from './useKeysetList';

type Row = { id: string };

/** A page source whose answers the test releases by hand, to order them as it likes. */
function deferredPages() {
  const calls: { cursor: string | null; resolve: (page: Page<Row>) => void; reject: (error: Error) => void }[] = [];
  const fetchPage = (cursor: string | null) =>
    new Promise<Page<Row>>((resolve, reject) => calls.push({ cursor, resolve, reject }));
  return { calls, fetchPage };
}

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe('useKeysetList', () => {
  it('loads the first page, then appends the next without duplicates', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = useKeysetList<Row>(fetchPage);

    const reload = list.reload();
    expect(list.loading.value).toBe(true);
    calls[0]!.resolve({ items: rows('a', 'b'), nextCursor: 'c1' });
    await reload;
    expect(list.loading.value).toBe(false);
    expect(list.loaded.value).toBe(true);
    expect(list.items.value.map((row) => row.id)).toEqual(['a', 'b']);

    const more = list.loadMore();
    expect(calls[1]!.cursor).toBe('c1');
    calls[1]!.resolve({ items: rows('b', 'c'), nextCursor: null });
    await more;
    expect(list.items.value.map((row) => row.id)).toEqual(['a', 'b', 'c']);
    expect(list.nextCursor.value).toBeNull();

    await list.loadMore();
    expect(calls).toHaveLength(2);
  });

  it('drops the answer to a reload that a newer reload superseded', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = useKeysetList<Row>(fetchPage);

    const first = list.reload();
    const second = list.reload();
    calls[1]!.resolve({ items: rows('new'), nextCursor: null });
    await second;
    calls[0]!.resolve({ items: rows('stale'), nextCursor: 'x' });
    await first;
    expect(list.items.value.map((row) => row.id)).toEqual(['new']);
    expect(list.nextCursor.value).toBeNull();
  });

  it('empties the list and keeps the message when the first page fails', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = useKeysetList<Row>(fetchPage);
    const reload = list.reload();
    calls[0]!.reject(new Error('Server down'));
    await reload;
    expect(list.items.value).toEqual([]);
    expect(list.error.value).toBe('Server down');
    expect(list.loading.value).toBe(false);
  });

  it('keeps the rows shown when a later page fails', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = useKeysetList<Row>(fetchPage);
    const reload = list.reload();
    calls[0]!.resolve({ items: rows('a'), nextCursor: 'c1' });
    await reload;
    const more = list.loadMore();
    calls[1]!.reject(new Error('Timeout'));
    await more;
    expect(list.items.value.map((row) => row.id)).toEqual(['a']);
    expect(list.error.value).toBe('Timeout');
    expect(list.nextCursor.value).toBe('c1');
  });

  it('puts an updated row in place', async () => {
    const list = useKeysetList<Row & { name: string }>(async () => ({
      items: [
        { id: 'a', name: 'old' },
        { id: 'b', name: 'other' },
      ],
      nextCursor: null,
    }));
    await list.reload();
    list.replace({ id: 'a', name: 'new' });
    expect(list.items.value).toEqual([
      { id: 'a', name: 'new' },
      { id: 'b', name: 'other' },
    ]);
  });
});
