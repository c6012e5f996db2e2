import { CURRENCY, type Niche, type Platform, type Role, type UserStatus } from '@iescp/shared';

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

const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });
const wholeMoneyFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: CURRENCY,
  maximumFractionDigits: 0,
});

/** Integer cents → "$1,234.50" (or "$1,234" when whole). */
export function formatMoney(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  return cents % 100 === 0 ? wholeMoneyFormat.format(cents / 100) : moneyFormat.format(cents / 100);
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const numberFormat = new Intl.NumberFormat('en-US');

export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

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
