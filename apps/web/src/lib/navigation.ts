import type { LocationQueryValue } from 'vue-router';

/** A `?redirect=` target only when it stays inside the app (no `//host` or `https:` jumps). */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string | null {
  const target = Array.isArray(value) ? value[0] : value;
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
    return null;
  }
  return target;
}
