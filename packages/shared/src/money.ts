import { CURRENCY } from './catalog.js';

/** Formats integer minor units for people: 110000 → "$1,100.00". Money is never a float elsewhere. */
export function formatMoney(cents: number, currency: string = CURRENCY, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}
