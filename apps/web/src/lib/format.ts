import { CURRENCY, type CampaignStatus, type Niche, type Platform, type Role, type UserStatus } from '@iescp/shared';
import { ref } from 'vue';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  sponsor: 'Sponsor',
  influencer: 'Influencer',
};

export const STATUS_LABELS: Record<UserStatus, string> = {
  pending_approval: 'Awaiting approval',
  active: 'Active',
  deactivated: 'Deactivated',
};

export function nicheLabel(niche: Niche | string): string {
  return niche.charAt(0).toUpperCase() + niche.slice(1);
}

/**
 * The platform's currency. It starts as the shared default and is replaced by what `GET /meta`
 * says (see the meta store); a ref, so amounts already on screen re-render if it changes.
 */
const currency = ref<string>(CURRENCY);

interface MoneyFormats {
  exact: Intl.NumberFormat;
  whole: Intl.NumberFormat;
}
const moneyFormats = new Map<string, MoneyFormats>();

function formatsFor(code: string): MoneyFormats {
  let formats = moneyFormats.get(code);
  if (!formats) {
    formats = {
      exact: new Intl.NumberFormat('en-US', { style: 'currency', currency: code }),
      whole: new Intl.NumberFormat('en-US', { style: 'currency', currency: code, maximumFractionDigits: 0 }),
    };
    moneyFormats.set(code, formats);
  }
  return formats;
}

/** Uses the server's currency from now on; an unknown code keeps the current one. */
export function setCurrency(code: string): void {
  try {
    formatsFor(code);
    currency.value = code;
  } catch {
    // Intl rejects codes it does not know: amounts keep the previous currency.
  }
}

/** The currency's symbol ("$", "€") for the prefix of amount fields. */
export function currencySymbol(): string {
  const part = formatsFor(currency.value)
    .whole.formatToParts(0)
    .find((item) => item.type === 'currency');
  return part?.value ?? currency.value;
}

/** Integer cents → "$1,234.50" (or "$1,234" when whole). */
export function formatMoney(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  const formats = formatsFor(currency.value);
  return cents % 100 === 0 ? formats.whole.format(cents / 100) : formats.exact.format(cents / 100);
}

/** Compact money for tight places: 1250000 cents → "$12.5K". */
export function formatMoneyCompact(cents: number): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.value,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(cents / 100);
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const numberFormat = new Intl.NumberFormat('en-US');

export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** User text as one line (whitespace runs collapsed), cut with "…" beyond `max` characters. */
export function oneLine(text: string, max = Infinity): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** An instant with its time of day ("Dec 3, 2026, 3:41 PM"), in the viewer's time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** Calendar dates are UTC days on the server; shown as the same day everywhere. */
const calendarFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** A `YYYY-MM-DD` calendar date → "Nov 21, 2026", without a time zone shifting the day. */
export function formatCalendarDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : calendarFormat.format(date);
}

/** "Nov 21 – Dec 31, 2026", or with both years when they differ. */
export function formatDateRange(start: string, end: string): string {
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return `${start} – ${end}`;
  return calendarFormat.formatRange(from, to);
}

/** Today as the server counts days (UTC), `YYYY-MM-DD`. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Whole days from today (UTC) to a calendar date; negative when it has passed. */
export function daysUntil(day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${todayUtc()}T00:00:00Z`)) / 86_400_000);
}

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  upcoming: 'Upcoming',
  active: 'Active',
  ended: 'Ended',
};

/**
 * A dollars field's text ("1,250.5") → integer cents (125050), `null` for an empty field and
 * `NaN` for text that is not an amount. Parses digits, never floats, so cents stay exact.
 */
export function dollarsToCents(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const clean = String(text).replace(/[\s,$]/g, '');
  if (clean === '') return null;
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(clean);
  if (!match) return Number.NaN;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** Integer cents → the text a dollars field shows ("1250.50", "1250"). */
export function centsToDollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, '0')}`;
}

/** bootstrap-icons names for each platform key. */
export const PLATFORM_ICONS: Record<Platform, string> = {
  instagram: 'bi-instagram',
  youtube: 'bi-youtube',
  tiktok: 'bi-tiktok',
  x: 'bi-twitter-x',
  twitch: 'bi-twitch',
  linkedin: 'bi-linkedin',
  blog: 'bi-journal-richtext',
  other: 'bi-globe2',
};
