/** The platform's single currency (ISO 4217); money is always integer minor units. */
export const CURRENCY = 'USD';

export const NICHES = [
  'fashion',
  'beauty',
  'fitness',
  'food',
  'travel',
  'tech',
  'gaming',
  'finance',
  'education',
  'lifestyle',
  'parenting',
  'music',
  'sports',
  'other',
] as const;
export type Niche = (typeof NICHES)[number];

export const PLATFORMS = ['instagram', 'youtube', 'tiktok', 'x', 'twitch', 'linkedin', 'blog', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Display labels for the web app; the API only ever uses the keys. */
export const PLATFORM_LABELS: Record<Platform, string> = {
  instagram: 'Instagram',
  youtube: 'YouTube',
  tiktok: 'TikTok',
  x: 'X',
  twitch: 'Twitch',
  linkedin: 'LinkedIn',
  blog: 'Blog',
  other: 'Other',
};
