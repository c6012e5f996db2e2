/**
 * Field rules for vee-validate, built from the server's own limits in `@iescp/shared`, so a
 * form refuses exactly what the API would refuse.
 */
import { LIMITS, NICHES, PLATFORMS } from '@iescp/shared';
import { dollarsToCents, formatMoney, todayUtc } from './format';

export type Rule = (value: unknown) => true | string;

const text = (value: unknown): string => (typeof value === 'string' ? value : value == null ? '' : String(value));

/** Characters as the server counts them (code points), not UTF-16 units. */
const length = (value: string): number => [...value].length;

export function required(label: string): Rule {
  return (value) => (text(value).trim().length > 0 ? true : `${label} is required.`);
}

export function lengthBetween(label: string, min: number, max: number): Rule {
  return (value) => {
    const size = length(text(value).trim());
    if (min > 0 && size < min)
      return min === 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`;
    if (size > max) return `${label} can be at most ${max} characters.`;
    return true;
  };
}

export function maxLength(label: string, max: number): Rule {
  return (value) => (length(text(value)) <= max ? true : `${label} can be at most ${max} characters.`);
}

/** Runs rules in order and reports the first failure. */
export function all(...rules: Rule[]): Rule {
  return (value) => {
    for (const rule of rules) {
      const result = rule(value);
      if (result !== true) return result;
    }
    return true;
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const rules = {
  email: all(required('Email'), maxLength('Email', LIMITS.email.max), (value) =>
    EMAIL.test(text(value).trim()) ? true : 'Enter a valid email address.',
  ),
  /** Login only checks presence: the length rule would leak the policy to no benefit. */
  loginPassword: required('Password'),
  password: (value: unknown) => {
    const size = length(text(value));
    if (size === 0) return 'Password is required.';
    if (size < LIMITS.password.min) return `Use at least ${LIMITS.password.min} characters.`;
    if (size > LIMITS.password.max) return `Use at most ${LIMITS.password.max} characters.`;
    return true;
  },
  displayName: lengthBetween('Display name', LIMITS.displayName.min, LIMITS.displayName.max),
  bio: maxLength('Bio', LIMITS.bio.max),
  niche: (value: unknown) => ((NICHES as readonly string[]).includes(text(value)) ? true : 'Choose a niche.'),
  platform: (value: unknown) => ((PLATFORMS as readonly string[]).includes(text(value)) ? true : 'Choose a platform.'),
  handle: lengthBetween('Handle', LIMITS.handle.min, LIMITS.handle.max),
  followers: (value: unknown) => {
    if (value === '' || value === null || value === undefined) return 'Followers is required.';
    const count = Number(value);
    if (!Number.isInteger(count)) return 'Use a whole number.';
    if (count < LIMITS.followers.min) return 'Followers cannot be negative.';
    if (count > LIMITS.followers.max) return `At most ${LIMITS.followers.max.toLocaleString('en-US')}.`;
    return true;
  },
  country: (value: unknown) => {
    const code = text(value).trim();
    if (code === '') return true;
    return new RegExp(`^[A-Za-z]{${LIMITS.country.length}}$`).test(code)
      ? true
      : `Use the ${LIMITS.country.length}-letter country code (e.g. US, GB, IN).`;
  },
  engagementRate: (value: unknown) => {
    if (value === '' || value === null || value === undefined) return true;
    const rate = Number(value);
    if (!Number.isFinite(rate)) return 'Enter a percentage.';
    if (rate < LIMITS.engagementRate.min || rate > LIMITS.engagementRate.max) {
      return `Between ${LIMITS.engagementRate.min} and ${LIMITS.engagementRate.max}%.`;
    }
    return true;
  },
  companyName: lengthBetween('Company name', LIMITS.companyName.min, LIMITS.companyName.max),
  industry: lengthBetween('Industry', LIMITS.industry.min, LIMITS.industry.max),
  website: (value: unknown) => {
    const url = text(value).trim();
    if (url === '') return true;
    if (length(url) > LIMITS.website.max) return `At most ${LIMITS.website.max} characters.`;
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? true : 'Use an http(s) address.';
    } catch {
      return 'Enter a full address, like https://example.com.';
    }
  },
  reason: lengthBetween('Reason', LIMITS.reason.min, LIMITS.reason.max),
  campaignName: lengthBetween('Name', LIMITS.campaignName.min, LIMITS.campaignName.max),
  campaignDescription: maxLength('Description', LIMITS.campaignDescription.max),
  campaignGoals: maxLength('Goals', LIMITS.campaignGoals.max),
  campaignNiche: (value: unknown) => ((NICHES as readonly string[]).includes(text(value)) ? true : 'Choose a niche.'),
  startDate: (value: unknown) => (isCalendarDate(text(value)) ? true : 'Choose a start date.'),
  requirements: maxLength('Requirements', LIMITS.requirements.max),
  requiredRequirements: all(required('Requirements'), maxLength('Requirements', LIMITS.requirements.max)),
  offerMessage: maxLength('Message', LIMITS.offerMessage.max),
  optionalNote: maxLength('Note', LIMITS.note.max),
  revisionNote: lengthBetween('What to change', 1, LIMITS.note.max),
  cancelReason: lengthBetween('Reason', 1, LIMITS.note.max),
  deliverableUrl: (value: unknown) => {
    const url = text(value).trim();
    if (url === '') return 'Link to the work is required.';
    if (length(url) > LIMITS.deliverableUrl.max) return `At most ${LIMITS.deliverableUrl.max} characters.`;
    try {
      const parsed = new URL(url);
      if (/\s/.test(url)) return 'The address cannot contain spaces.';
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? true : 'Use an http(s) address.';
    } catch {
      return 'Enter a full address, like https://example.com/post.';
    }
  },
};

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  return CALENDAR_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/**
 * A campaign's end date: on or after the start date, and not in the past (as the server counts
 * days, in UTC). An ended campaign being edited keeps its old end date, so the "past" check
 * applies only once the date is changed from `unchangedEnd`.
 */
export function endDateRule(startDate: () => string, unchangedEnd?: () => string | undefined): Rule {
  return (value) => {
    const end = text(value);
    if (!isCalendarDate(end)) return 'Choose an end date.';
    const start = startDate();
    if (isCalendarDate(start) && end < start) return 'The end date must be on or after the start date.';
    if (end !== unchangedEnd?.() && end < todayUtc()) return 'The end date cannot be in the past.';
    return true;
  };
}

/** A campaign budget in the currency's main unit: required, at least one cent, and at least `floorCents`. */
export function budgetRule(floorCents: () => number = () => 0): Rule {
  return (value) => {
    const cents = dollarsToCents(text(value));
    if (cents === null) return 'Budget is required.';
    if (Number.isNaN(cents)) return 'Enter an amount like 2500 or 2,500.50.';
    if (cents < LIMITS.campaignBudgetCents.min)
      return `The budget must be at least ${formatMoney(LIMITS.campaignBudgetCents.min)}.`;
    if (cents > LIMITS.campaignBudgetCents.max) return 'That budget is too large.';
    const floor = floorCents();
    if (floor > 0 && cents < floor)
      return `The budget cannot go below the ${formatMoney(floor)} already reserved or spent.`;
    return true;
  };
}

/** An optional dollars amount within the server's money limit. */
export function money(label: string): Rule {
  return (value) => {
    const cents = dollarsToCents(text(value));
    if (cents === null) return true;
    if (Number.isNaN(cents)) return `${label}: enter an amount like 250 or 1,250.50.`;
    if (cents > LIMITS.moneyCents.max) return `${label} is too large.`;
    return true;
  };
}

/** An offer's payment in the currency's main unit: required and within the server's limits. */
export const paymentRule: Rule = (value) => {
  const cents = dollarsToCents(text(value));
  if (cents === null) return 'Payment is required.';
  if (Number.isNaN(cents)) return 'Enter an amount like 250 or 1,250.50.';
  if (cents < LIMITS.paymentCents.min) return `The payment must be at least ${formatMoney(LIMITS.paymentCents.min)}.`;
  if (cents > LIMITS.paymentCents.max) return 'That payment is too large.';
  return true;
};
