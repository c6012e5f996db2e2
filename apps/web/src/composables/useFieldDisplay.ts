import { useField, useSubmitCount } from 'vee-validate';
import { computed, useId, type MaybeRefOrGetter } from 'vue';
import type { Rule } from '@/lib/rules';

/**
 * A vee-validate field plus what its markup needs: ids for label/help/error, and whether to
 * show the error yet. Fields validate on every keystroke; the error shows once the person
 * has typed in the field, left it, or tried to submit.
 */
export function useFieldDisplay<T>(name: MaybeRefOrGetter<string>, rule?: Rule) {
  const field = useField<T>(name, rule);
  const submitCount = useSubmitCount();
  const id = `field-${useId()}`;
  const showError = computed(
    () => Boolean(field.errorMessage.value) && (field.meta.dirty || field.meta.touched || submitCount.value > 0),
  );
  const describedBy = (hasHelp: boolean) =>
    [hasHelp ? `${id}-help` : '', showError.value ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { ...field, id, showError, describedBy };
}
