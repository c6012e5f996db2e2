/**
 * Input limits shared by the server's schemas and the web app's forms, so a form can never
 * accept what the server refuses (or the other way round).
 */
export const LIMITS = {
  email: { max: 254 },
  password: { min: 10, max: 128 },
  displayName: { min: 1, max: 80 },
  bio: { max: 2000 },
  handle: { min: 1, max: 100 },
  /** Followers per platform account; well above the largest real account. */
  followers: { min: 0, max: 5_000_000_000 },
  platforms: { max: 12 },
  country: { length: 2 },
  companyName: { min: 1, max: 120 },
  industry: { min: 1, max: 80 },
  website: { max: 2048 },
  /** Cents; large enough for any real budget, small enough to stay an exact JS integer. */
  moneyCents: { max: 1_000_000_000_000 },
  engagementRate: { min: 0, max: 100 },
  reason: { min: 1, max: 500 },
  campaignName: { min: 3, max: 120 },
  campaignDescription: { max: 5000 },
  campaignGoals: { max: 2000 },
  campaignBudgetCents: { min: 1, max: 1_000_000_000_000 },
  search: { max: 200 },
  requirements: { max: 2000 },
  offerMessage: { max: 2000 },
  deliverableUrl: { max: 2048 },
  note: { max: 2000 },
  /** One offer's payment in cents. */
  paymentCents: { min: 1, max: 1_000_000_000_000 },
  /** A chat message, in characters, stored exactly as typed. */
  messageBody: { min: 1, max: 4000 },
  /** A review: whole stars, and an optional comment. */
  reviewRating: { min: 1, max: 5 },
  reviewComment: { max: 2000 },
  avatarBytes: 2 * 1024 * 1024,
  pageSize: { min: 1, max: 100, default: 20 },
} as const;
