import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { withSetup } from '@/test/withSetup';
import { useDebouncedText as useDebouncedTextNow } from './useDebouncedText';

const useDebouncedText = (...args: Parameters<typeof useDebouncedTextNow>) =>
  withSetup(() => useDebouncedTextNow(...args)).result;

describe('useDebouncedText', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the trimmed text once the person pauses', async () => {
    const source = ref('');
    const commit = vi.fn((text: string) => (source.value = text));
    const box = useDebouncedText(() => source.value, commit, { delay: 300 });

    box.text.value = 'sho';
    await nextTick();
    vi.advanceTimersByTime(200);
    box.text.value = 'shoes ';
    await nextTick();
    vi.advanceTimersByTime(299);
    expect(commit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(commit).toHaveBeenCalledExactlyOnceWith('shoes');
  });

  it('reports at once on flush, and not again for the same text', async () => {
    const source = ref('');
    const commit = vi.fn((text: string) => (source.value = text));
    const box = useDebouncedText(() => source.value, commit);
    box.text.value = 'bags';
    await nextTick();
    box.flush();
    expect(commit).toHaveBeenCalledExactlyOnceWith('bags');
    vi.runAllTimers();
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('follows a change from outside (a cleared filter, back/forward)', async () => {
    const source = ref('old');
    const box = useDebouncedText(() => source.value, vi.fn());
    source.value = 'from the URL';
    await nextTick();
    expect(box.text.value).toBe('from the URL');
  });

  it('uses `same` to ignore typing that means the current value', async () => {
    const source = ref('1000');
    const commit = vi.fn();
    const box = useDebouncedText(() => source.value, commit, {
      same: (typed, current) => Number(typed.replace(',', '')) === Number(current),
    });
    box.text.value = '1,000';
    await nextTick();
    vi.runAllTimers();
    expect(commit).not.toHaveBeenCalled();
  });

  it('drops a pending report when the page goes away', async () => {
    const commit = vi.fn();
    const { result: box, unmount } = withSetup(() => useDebouncedTextNow(() => '', commit));
    box.text.value = 'half-typed';
    await nextTick();
    unmount();
    vi.runAllTimers();
    expect(commit).not.toHaveBeenCalled();
  });
});
