import { onBeforeUnmount, ref, watch } from 'vue';

/**
 * A filter box that keeps its own text while the person types and reports it after a short
 * pause (or at once on `flush`, e.g. Enter). When the source changes from outside (a cleared
 * filter, back/forward), the box follows unless it already says the same thing (`same`).
 */
export function useDebouncedText(
  source: () => string,
  commit: (text: string) => void,
  options: { delay?: number; same?: (typed: string, current: string) => boolean } = {},
) {
  const delay = options.delay ?? 300;
  const same = options.same ?? ((typed: string, current: string) => typed.trim() === current);
  const text = ref(source());
  let timer: number | undefined;

  watch(source, (current) => {
    if (!same(text.value, current)) text.value = current;
  });

  function report(): void {
    if (!same(text.value, source())) commit(text.value.trim());
  }

  watch(text, () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(report, delay);
  });
  onBeforeUnmount(() => window.clearTimeout(timer));

  function flush(): void {
    window.clearTimeout(timer);
    report();
  }

  /** Sets the text without reporting it (the caller reports the change itself). */
  function reset(value = ''): void {
    text.value = value;
    window.clearTimeout(timer);
  }

  return { text, flush, reset };
}
