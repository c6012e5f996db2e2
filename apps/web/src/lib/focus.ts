import { nextTick } from 'vue';

/**
 * After a refused submit, moves focus to the first field the form marks invalid, once Vue has
 * rendered the marks: keyboard and screen-reader users land on what needs fixing.
 */
export async function focusFirstInvalid(formTestId: string): Promise<void> {
  await nextTick();
  document.querySelector<HTMLElement>(`[data-testid="${formTestId}"] [aria-invalid="true"]`)?.focus();
}
