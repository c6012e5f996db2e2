import { beforeEach, describe, expect, it, vi } from 'vitest';

const admin = vi.hoisted(() => ({ listOutbox: vi.fn(), outboxMail: vi.fn(), retryMail: vi.fn() }));
vi.mock('@/api/client', () => ({ api: { admin } }));

const { retryMail, useOutboxList } = await import('./useOutbox');

describe('outbox data', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    admin.listOutbox.mockResolvedValue({ items: [{ id: 'm1' }], nextCursor: 'next' });
  });

  it('lists every mail, or one status, and pages with the cursor', async () => {
    const filter: { status?: 'failed' } = {};
    const list = useOutboxList(() => filter.status);
    await list.reload();
    expect(admin.listOutbox).toHaveBeenLastCalledWith({ limit: 20 });
    await list.loadMore();
    expect(admin.listOutbox).toHaveBeenLastCalledWith({ limit: 20, cursor: 'next' });
    filter.status = 'failed';
    await list.reload();
    expect(admin.listOutbox).toHaveBeenLastCalledWith({ status: 'failed', limit: 20 });
  });

  it('retries a mail by id', async () => {
    admin.retryMail.mockResolvedValue({ id: 'm1', status: 'queued' });
    expect(await retryMail('m1')).toEqual({ id: 'm1', status: 'queued' });
    expect(admin.retryMail).toHaveBeenCalledWith('m1');
  });
});
