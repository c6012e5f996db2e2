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

export const CAMPAIGN_VISIBILITIES = ['public', 'private'] as const;
export type CampaignVisibility = (typeof CAMPAIGN_VISIBILITIES)[number];

/** Derived from the dates (UTC calendar days), never stored. */
export const CAMPAIGN_STATUSES = ['upcoming', 'active', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_SORTS = ['relevance', 'newest', 'budget_desc', 'budget_asc', 'ending_soon'] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

export const INFLUENCER_SORTS = ['relevance', 'reach_desc', 'rating_desc', 'newest'] as const;
export type InfluencerSort = (typeof INFLUENCER_SORTS)[number];
