import type { PasswordContext, PasswordStrength } from '@iescp/shared/passwords';
import { computed, shallowRef } from 'vue';

type Estimator = typeof import('@iescp/shared/passwords');

let loading: Promise<Estimator> | undefined;

/**
 * The server's password rule (`@iescp/shared/passwords`) for a form: the strength of what is
 * typed so far, and the reason a password would be refused. The estimator's dictionaries are
 * large, so they load on first use, in their own chunk; until then `strength` is null and
 * `problem` defers to the server.
 */
export function usePasswordStrength(password: () => string, context: () => PasswordContext) {
  const estimator = shallowRef<Estimator | null>(null);
  loading ??= import('@iescp/shared/passwords');
  void loading.then((module) => (estimator.value = module));

  const strength = computed<PasswordStrength | null>(() => {
    const value = password();
    return value && estimator.value ? estimator.value.passwordStrength(value, context()) : null;
  });

  /** Why `value` would be refused for this person, or null (also while the estimator loads). */
  function problem(value: string): string | null {
    return estimator.value?.passwordProblem(value, context()) ?? null;
  }

  /** Whether the estimator has loaded: a form re-checks a password typed before it had. */
  const ready = computed(() => estimator.value !== null);

  return { strength, problem, ready };
}
