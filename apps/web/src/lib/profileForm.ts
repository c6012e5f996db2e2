/**
 * How account forms hold a profile (strings while typing, dollars instead of cents) and the
 * conversions to and from the API's shapes. Sign-up and the profile page share them.
 */
import type { Niche, Platform } from '@iescp/shared';
import type { InfluencerProfile, InfluencerProfileInput, SponsorProfile, SponsorProfileInput } from '@/api/types';
import type { ApplyProblemOptions } from '@/api/errors';
import { centsToDollars, dollarsToCents } from './format';

/** A platform row as the form holds it: followers may be '' while being typed. */
export interface PlatformRowValue {
  platform: Platform | '';
  handle: string;
  followers: number | '';
}

export interface InfluencerFormValues {
  bio: string;
  niche: Niche | '';
  country: string;
  /** Dollars, as typed. */
  rate: string;
  engagementRate: number | '';
  platforms: PlatformRowValue[];
}

export interface SponsorFormValues {
  companyName: string;
  industry: string;
  website: string;
  bio: string;
  /** Dollars, as typed. */
  budget: string;
}

export function influencerFormValues(profile?: InfluencerProfile | null): InfluencerFormValues {
  return {
    bio: profile?.bio ?? '',
    niche: profile?.niche ?? '',
    country: profile?.country ?? '',
    rate: centsToDollars(profile?.rateCents),
    engagementRate: profile?.engagementRate ?? '',
    platforms: (profile?.platforms ?? []).map((account) => ({ ...account })),
  };
}

export function sponsorFormValues(profile?: SponsorProfile | null): SponsorFormValues {
  return {
    companyName: profile?.companyName ?? '',
    industry: profile?.industry ?? '',
    website: profile?.website ?? '',
    bio: profile?.bio ?? '',
    budget: centsToDollars(profile?.budgetCents),
  };
}

/**
 * Empty optional fields are left out at sign-up (`omit`) and sent as `null` on the profile
 * page (`clear`), so that emptying a field really clears it.
 */
type EmptyMode = 'omit' | 'clear';

function optional<T>(value: T | null, mode: EmptyMode): T | null | undefined {
  if (value !== null) return value;
  return mode === 'clear' ? null : undefined;
}

function stripUndefined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}

export function toInfluencerInput(values: InfluencerFormValues, mode: EmptyMode): InfluencerProfileInput {
  const country = values.country.trim().toUpperCase();
  const rate = dollarsToCents(values.rate);
  const engagement = values.engagementRate === '' ? null : Number(values.engagementRate);
  return stripUndefined({
    bio: values.bio.trim(),
    niche: values.niche === '' ? undefined : values.niche,
    country: optional(country === '' ? null : country, mode),
    rateCents: optional(rate, mode),
    engagementRate: optional(engagement, mode),
    platforms: values.platforms.map((row) => ({
      platform: row.platform as Platform,
      handle: row.handle.trim(),
      followers: Number(row.followers),
    })),
  }) as InfluencerProfileInput;
}

export function toSponsorInput(values: SponsorFormValues, mode: EmptyMode): SponsorProfileInput {
  const website = values.website.trim();
  const bio = values.bio.trim();
  return stripUndefined({
    companyName: values.companyName.trim(),
    industry: values.industry.trim(),
    website: optional(website === '' ? null : website, mode),
    bio: optional(bio === '' ? null : bio, mode),
    budgetCents: optional(dollarsToCents(values.budget), mode),
  }) as SponsorProfileInput;
}

/** Which server error paths have a field on account forms, and where the renamed ones live. */
export const PROFILE_ERROR_FIELDS: ApplyProblemOptions['fields'] = [
  'displayName',
  /^profile\.(bio|niche|country|rate|engagementRate|companyName|industry|website|budget)$/,
  'profile.platforms',
  /^profile\.platforms\[\d+\]\.(platform|handle|followers)$/,
];

export const PROFILE_ERROR_ALIASES: Readonly<Record<string, string>> = {
  'profile.rateCents': 'profile.rate',
  'profile.budgetCents': 'profile.budget',
};
