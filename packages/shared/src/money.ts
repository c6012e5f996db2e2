import { CURRENCY } from './catalog.js';

/** Formats integer minor units for people: 110000 → "$1,100.00". Money is never a float elsewhere. */
export function formatMoney(cents: number, currency: string = CURRENCY, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/**
 * As people write amounts in prose: whole amounts without cents (150000 → "$1,500"), others
 * exact ("$1,500.50"). The web app shows amounts the same way, so chat texts match the UI.
 */
export function formatAmount(cents: number, currency: string = CURRENCY, locale = 'en-US'): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
  }).format(cents / 100);
}
