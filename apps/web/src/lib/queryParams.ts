/** Reading list filters from the URL query: each reader returns the empty value for anything malformed. */
import type { LocationQuery } from 'vue-router';

export function firstParam(value: LocationQuery[string] | undefined): string {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === 'string' ? item : '';
}

export function oneOf<T extends string>(value: string, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

/** A non-negative whole number within `max`, or `null`. */
export function wholeParam(value: string, max: number): number | null {
  if (!/^\d{1,16}$/.test(value)) return null;
  const number = Number(value);
  return number <= max ? number : null;
}

/** A number within [min, max] (decimals allowed), or `null`. */
export function numberParam(value: string, min: number, max: number): number | null {
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}
