import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdRequest } from '@/api/types';

const adRequests = vi.hoisted(() => ({
  counter: vi.fn(),
  accept: vi.fn(),
  reject: vi.fn(),
  deliver: vi.fn(),
  edit: vi.fn(),
  remove: vi.fn(),
  list: vi.fn(),
}));
vi.mock('@/api/client', () => ({ api: { adRequests } }));

const { findOpenAdRequest, performAdRequestAction } = await import('./useAdRequests');

const request = {
  id: 'r1',
  paymentCents: 50_000,
  requirements: 'One reel',
  offerVersion: 3,
} as AdRequest;
const form = (values: Partial<Record<string, string>> = {}) => ({
  payment: '',
  requirements: '',
  message: '',
  deliverableUrl: '',
  note: '',
  reason: '',
  ...values,
});

describe('performAdRequestAction', () => {
  beforeEach(() => vi.clearAllMocks());

  it('counters in cents, leaving out unchanged terms and an empty message', async () => {
    adRequests.counter.mockResolvedValue({ ...request, paymentCents: 60_000 });
    await performAdRequestAction(request, 'counter', form({ payment: '600', requirements: ' One reel ' }));
    expect(adRequests.counter).toHaveBeenCalledWith('r1', { paymentCents: 60_000 });
  });

  it('accepts the offer version the person saw', async () => {
    await performAdRequestAction(request, 'accept', form());
    expect(adRequests.accept).toHaveBeenCalledWith('r1', 3);
  });

  it('rejects without a message when none was written', async () => {
    await performAdRequestAction(request, 'reject', form({ message: '   ' }));
    expect(adRequests.reject).toHaveBeenCalledWith('r1', undefined);
  });

  it('delivers the trimmed link, with the note only when there is one', async () => {
    await performAdRequestAction(request, 'deliver', form({ deliverableUrl: ' https://x.example/p ' }));
    expect(adRequests.deliver).toHaveBeenCalledWith('r1', { deliverableUrl: 'https://x.example/p' });
  });

  it('sends no edit when nothing changed, and answers with the request as it is', async () => {
    const result = await performAdRequestAction(request, 'edit', form({ payment: '500', requirements: 'One reel' }));
    expect(adRequests.edit).not.toHaveBeenCalled();
    expect(result).toBe(request);
  });

  it('answers null once the request is deleted', async () => {
    adRequests.remove.mockResolvedValue(undefined);
    expect(await performAdRequestAction(request, 'delete', form())).toBeNull();
    expect(adRequests.remove).toHaveBeenCalledWith('r1');
  });
});

describe('findOpenAdRequest', () => {
  it('finds the creator’s open request and ignores closed ones and failures', async () => {
    adRequests.list.mockResolvedValueOnce({
      items: [
        { id: 'old', influencerId: 'i1', status: 'rejected' },
        { id: 'open', influencerId: 'i1', status: 'negotiating' },
      ],
      nextCursor: null,
    });
    expect((await findOpenAdRequest('c1', 'i1'))?.id).toBe('open');
    adRequests.list.mockRejectedValueOnce(new Error('down'));
    expect(await findOpenAdRequest('c1', 'i1')).toBeNull();
  });
});
