import { ADJECTIVES, CAMPAIGN_NOUNS, FIRST_NAMES, LAST_NAMES, NICHES, TOPICS } from './vocabulary.js';

/**
 * The request paths of the scenarios. The uncached ones change on every call (a per-request
 * counter goes into a numeric filter), so every request's cache key is new; the words and
 * filters rotate so the database sees a realistic mix of selective and broad searches.
 */

/** The cached scenario: one popular listing, the same URL every time. */
export const CACHED_CAMPAIGN_PATH = '/api/v1/campaigns?niche=fitness&sort=newest&limit=20';

/** The same listing cut to one campaign: an answer under the compression threshold. */
export const SMALL_CACHED_CAMPAIGN_PATH = '/api/v1/campaigns?niche=fitness&sort=newest&limit=1';

/** Upper budget bounds in cents ($1k, $10k, $100k, $1M) the uncached campaign search rotates through. */
const MAX_BUDGETS = [100_000, 1_000_000, 10_000_000, 100_000_000];
/** $100: the lowest generated budget; the counter is added in cents, so it drifts by $1 per 100 requests. */
const MIN_BUDGET = 10_000;

const prefix = (word: string, k: number) => word.slice(0, Math.min(word.length, 3 + (k % 3)));

/** Text + two filters (niche, budget range), default relevance sort; `k` makes it unique. */
export function campaignSearchPath(k: number): string {
  const niche = NICHES[k % NICHES.length]!;
  // Half the searches name the niche's own topic, half a generic word from campaign names.
  const words = k % 2 === 0 ? TOPICS[niche] : [...ADJECTIVES, ...CAMPAIGN_NOUNS];
  const q = prefix(words[Math.floor(k / 2) % words.length]!, k);
  const min = MIN_BUDGET + k;
  const max = Math.max(MAX_BUDGETS[Math.floor(k / 7) % MAX_BUDGETS.length]!, min * 10);
  return `/api/v1/campaigns?q=${encodeURIComponent(q)}&niche=${niche}&minBudgetCents=${min}&maxBudgetCents=${max}`;
}

/** Text + filter (niche) + a per-request minimum reach, default relevance sort. */
export function influencerSearchPath(k: number): string {
  const niche = NICHES[k % NICHES.length]!;
  const names = [...FIRST_NAMES, ...LAST_NAMES];
  const word = k % 2 === 0 ? TOPICS[niche][Math.floor(k / 2) % 5]! : names[Math.floor(k / 2) % names.length]!;
  const q = prefix(word.toLowerCase(), k);
  return `/api/v1/influencers?q=${encodeURIComponent(q)}&niche=${niche}&minReach=${1_000 + k}`;
}

/** A counter-backed path source for autocannon's per-request hook. */
export function sequence(build: (k: number) => string, start = 0): () => string {
  let k = start;
  return () => build(k++);
}
