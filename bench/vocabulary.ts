import { NICHES, PLATFORMS } from '@iescp/shared';

/**
 * Words the generator draws from, so names, bios and descriptions read like real ones and the
 * full-text scenarios find a realistic number of rows (each word sits in a few % of them).
 */

/** Five topic words per niche, in NICHES order: a campaign's or a bio's subject. */
export const TOPICS: Record<(typeof NICHES)[number], readonly string[]> = {
  fashion: ['streetwear', 'denim', 'couture', 'sneakers', 'accessories'],
  beauty: ['skincare', 'makeup', 'haircare', 'fragrance', 'nails'],
  fitness: ['running', 'yoga', 'strength', 'cycling', 'pilates'],
  food: ['recipes', 'baking', 'vegan', 'coffee', 'snacks'],
  travel: ['backpacking', 'beaches', 'roadtrip', 'hotels', 'adventure'],
  tech: ['smartphones', 'laptops', 'gadgets', 'software', 'wearables'],
  gaming: ['esports', 'consoles', 'streaming', 'indie', 'roleplaying'],
  finance: ['investing', 'budgeting', 'crypto', 'savings', 'banking'],
  education: ['courses', 'languages', 'tutoring', 'science', 'coding'],
  lifestyle: ['wellness', 'home', 'mindfulness', 'minimalism', 'decor'],
  parenting: ['toddlers', 'toys', 'family', 'schooling', 'babycare'],
  music: ['concerts', 'vinyl', 'headphones', 'festival', 'guitar'],
  sports: ['football', 'basketball', 'tennis', 'outdoor', 'swimming'],
  other: ['charity', 'pets', 'gardening', 'automotive', 'crafts'],
};
export const TOPICS_PER_NICHE = 5;

export const ADJECTIVES = [
  'summer', 'winter', 'spring', 'autumn', 'holiday', 'launch', 'bold', 'fresh', 'green', 'urban', 'classic',
  'premium', 'global', 'local', 'weekend', 'daily', 'ultimate', 'smart', 'creative', 'epic', 'healthy', 'modern',
  'golden', 'rapid',
] as const; // prettier-ignore

export const CAMPAIGN_NOUNS = [
  'challenge', 'campaign', 'launch', 'giveaway', 'series', 'collab', 'review', 'showcase', 'takeover', 'tour',
  'drive', 'spotlight', 'promo', 'sprint', 'story', 'festival',
] as const; // prettier-ignore

export const VERBS = ['promote', 'review', 'unbox', 'showcase', 'feature', 'test', 'celebrate', 'introduce'] as const;
export const PRODUCTS = [
  'collection',
  'app',
  'subscription',
  'bundle',
  'product line',
  'service',
  'kit',
  'edition',
] as const;
export const FORMATS = [
  'reels',
  'stories',
  'videos',
  'posts',
  'shorts',
  'livestreams',
  'blog articles',
  'threads',
] as const;
export const GOALS = [
  'Brand awareness among new audiences',
  'Product launch reach and reviews',
  'App installs with a tracked link',
  'Newsletter sign-ups and community growth',
  'Store traffic during the promotion',
  'Engagement: comments, saves and shares',
  'Sales conversions with a discount code',
] as const;

export const FIRST_NAMES = [
  'Maya', 'Liam', 'Olivia', 'Noah', 'Emma', 'Lucas', 'Ava', 'Mateo', 'Sofia', 'Ethan', 'Isabella', 'Leo', 'Mia',
  'Aarav', 'Amara', 'Kenji', 'Chloe', 'Diego', 'Zara', 'Felix', 'Nora', 'Omar', 'Hana', 'Jonas', 'Priya', 'Theo',
  'Elena', 'Kai', 'Layla', 'Samuel', 'Ines', 'Arjun', 'Freya', 'Tomas', 'Yara', 'Ravi', 'Lena', 'Marco', 'Aisha',
  'Hugo',
] as const; // prettier-ignore

export const LAST_NAMES = [
  'Lin', 'Okafor', 'Garcia', 'Novak', 'Schmidt', 'Rossi', 'Tanaka', 'Silva', 'Kowalski', 'Dubois', 'Patel',
  'Nguyen', 'Haddad', 'Jensen', 'Moreau', 'Costa', 'Ivanova', 'Khan', 'Berg', 'Mendes', 'Walsh', 'Sato', 'Fischer',
  'Reyes', 'Adeyemi', 'Larsen', 'Romano', 'Kim', 'Byrne', 'Mehta', 'Alvarez', 'Weber', 'Owusu', 'Nakamura', 'Dahl',
  'Ferreira', 'Cohen', 'Suzuki', 'Hughes', 'Varga',
] as const; // prettier-ignore

export const CITIES = [
  'Lisbon', 'Berlin', 'Austin', 'Lagos', 'Mumbai', 'Toronto', 'Melbourne', 'Seoul', 'Madrid', 'Milan', 'Stockholm',
  'Osaka', 'Mexico City', 'London', 'Paris', 'Amsterdam',
] as const; // prettier-ignore

export const COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'IN',
  'BR',
  'CA',
  'AU',
  'ES',
  'IT',
  'NL',
  'SE',
  'JP',
  'MX',
  'NG',
] as const;

export const BRAND_PREFIXES = [
  'Nova', 'Peak', 'Glow', 'Byte', 'Urban', 'Blue', 'Solar', 'True', 'Wild', 'Pure', 'Bright', 'Iron', 'Luna', 'Terra',
  'Echo', 'Vivid',
] as const; // prettier-ignore
export const BRAND_SUFFIXES = ['Labs', 'Co', 'Goods', 'Studio', 'Works', 'Collective', 'Outfitters', 'Brands'] as const;
export const INDUSTRIES = [
  'Beauty & personal care', 'Sports & outdoors', 'Consumer electronics', 'Food & beverage', 'Travel & hospitality',
  'Financial services', 'Education', 'Fashion & apparel', 'Gaming', 'Home & living',
] as const; // prettier-ignore

export { NICHES, PLATFORMS };

/** A SQL array literal of text values, e.g. `ARRAY['a','b']::text[]`. */
export function sqlArray(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/** All niches' topics flattened in NICHES order: niche n's topic t is element n*5 + t + 1. */
export const FLAT_TOPICS: readonly string[] = NICHES.flatMap((n) => TOPICS[n]);

/** Prefixes a person might type into the campaign search box (all occur in the generated text). */
export const CAMPAIGN_QUERY_TERMS: readonly string[] = [
  ...new Set([...ADJECTIVES, ...CAMPAIGN_NOUNS, ...FLAT_TOPICS].map((w) => w.slice(0, Math.min(w.length, 4)))),
];

/** Prefixes typed into the influencer search box: names and topics. */
export const INFLUENCER_QUERY_TERMS: readonly string[] = [
  ...new Set([...FIRST_NAMES, ...LAST_NAMES, ...FLAT_TOPICS].map((w) => w.toLowerCase().slice(0, 3))),
];
