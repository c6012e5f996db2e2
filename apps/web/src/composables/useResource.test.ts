import { describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { ApiError } from '@/api/errors';
import { useResource } from './useResource';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('useResource', () => {
  it('loads at once and again whenever the id changes', async () => {
    const id = ref('a');
    const load = vi.fn(async (key: string) => ({ key }));
    const resource = useResource(() => id.value, load);
    expect(resource.loading.value).toBe(true);
    await flush();
    expect(resource.data.value).toEqual({ key: 'a' });
    expect(resource.loading.value).toBe(false);

    id.value = 'b';
    await nextTick();
    await flush();
    expect(load).toHaveBeenLastCalledWith('b');
    expect(resource.data.value).toEqual({ key: 'b' });
  });

  it('tells "not found" (404) from other failures', async () => {
    const missing = useResource(
      () => 'x',
      async () => {
        throw new ApiError(404, { code: 'not_found', detail: 'No such campaign' });
      },
    );
    const broken = useResource(
      () => 'x',
      async () => {
        throw new Error('Network down');
      },
    );
    await flush();
    expect(missing.notFound.value).toBe(true);
    expect(missing.error.value).toBeNull();
    expect(broken.notFound.value).toBe(false);
    expect(broken.error.value).toBe('Network down');
  });

  it('keeps what is shown during a quiet reload', async () => {
    let answer = 1;
    let release: () => void = () => undefined;
    const resource = useResource(
      () => 'x',
      () =>
        answer === 1 ? Promise.resolve(answer++) : new Promise<number>((resolve) => (release = () => resolve(answer))),
    );
    await flush();
    expect(resource.data.value).toBe(1);

    const reload = resource.reload({ quiet: true });
    expect(resource.loading.value).toBe(false);
    expect(resource.data.value).toBe(1);
    release();
    await reload;
    expect(resource.data.value).toBe(2);
  });
});
