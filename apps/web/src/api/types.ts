/**
 * Shapes the web app works with, taken from the client generated from the server's OpenAPI
 * document (`@iescp/api-client`), so a server change shows up here as a type error.
 */
import type { components, paths } from '@iescp/api-client';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type OutboxItem = Schemas['OutboxItem'];
export type OutboxMail = Schemas['OutboxMail'];
export type JobItem = Schemas['JobItem'];
export type JobRun = Schemas['JobRun'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditQuery = NonNullable<paths['/api/v1/admin/audit-log']['get']['parameters']['query']>;
export type OutboxQuery = NonNullable<paths['/api/v1/admin/outbox']['get']['parameters']['query']>;
export type AuthSession = Schemas['Session'];
export type Problem = Schemas['Problem'];
export type PlatformAccount = Schemas['PlatformAccount'];
export type InfluencerProfile = Schemas['InfluencerProfile'];
export type SponsorProfile = Schemas['SponsorProfile'];
export type ProfileInput = Schemas['ProfileInput'];

/** The profile fields an influencer may send (the server's input type holds both roles'). */
export type InfluencerProfileInput = Pick<
  ProfileInput,
  'bio' | 'niche' | 'platforms' | 'country' | 'rateCents' | 'engagementRate'
>;
/** The profile fields a sponsor may send. */
export type SponsorProfileInput = Pick<ProfileInput, 'companyName' | 'industry' | 'website' | 'bio' | 'budgetCents'>;

type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;

export type SignupBody = JsonBody<paths['/api/v1/auth/signup']['post']>;
export type LoginBody = JsonBody<paths['/api/v1/auth/login']['post']>;
export type UpdateMeBody = JsonBody<paths['/api/v1/me']['patch']>;
export type ChangePasswordBody = JsonBody<paths['/api/v1/me/password']['post']>;
export type AdminUserQuery = NonNullable<paths['/api/v1/admin/users']['get']['parameters']['query']>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function isInfluencerProfile(user: User): user is User & { profile: InfluencerProfile } {
  return user.role === 'influencer' && user.profile !== null;
}

export function isSponsorProfile(user: User): user is User & { profile: SponsorProfile } {
  return user.role === 'sponsor' && user.profile !== null;
}

export type Campaign = Schemas['Campaign'];
export type CampaignStats = Schemas['CampaignStats'];
export type InfluencerCard = Schemas['InfluencerCard'];
export type PublicProfile = Schemas['PublicProfile'];
export type Review = PublicProfile['recentReviews'][number];

export type CampaignQuery = NonNullable<paths['/api/v1/campaigns']['get']['parameters']['query']>;
export type InfluencerQuery = NonNullable<paths['/api/v1/influencers']['get']['parameters']['query']>;
export type CreateCampaignBody = JsonBody<paths['/api/v1/campaigns']['post']>;
export type UpdateCampaignBody = JsonBody<paths['/api/v1/campaigns/{id}']['patch']>;
export type Meta = paths['/api/v1/meta']['get']['responses'][200]['content']['application/json'];

export type AdRequest = Schemas['AdRequest'];
export type AdRequestOffer = AdRequest['offers'][number];
export type AdRequestAbilities = AdRequest['abilities'];
export type AdRequestQuery = NonNullable<paths['/api/v1/ad-requests']['get']['parameters']['query']>;
export type CreateAdRequestBody = JsonBody<paths['/api/v1/ad-requests']['post']>;
export type EditAdRequestBody = JsonBody<paths['/api/v1/ad-requests/{id}']['patch']>;
export type CounterBody = JsonBody<paths['/api/v1/ad-requests/{id}/counter']['post']>;
export type DeliverBody = JsonBody<paths['/api/v1/ad-requests/{id}/deliver']['post']>;
export type LedgerEntry = Schemas['LedgerEntry'];
export type TransactionQuery = NonNullable<paths['/api/v1/transactions']['get']['parameters']['query']>;
export type Earnings = paths['/api/v1/earnings']['get']['responses'][200]['content']['application/json'];

export type Conversation = Schemas['Conversation'];
export type ChatMessage = Schemas['Message'];
export type AppNotification = Schemas['Notification'];
export type NotificationSettings = Schemas['NotificationSettings'];
export type NotificationSettingsPatch = JsonBody<paths['/api/v1/me/notification-settings']['patch']>;
export type PageQuery = { limit?: number; cursor?: string };

/** A review of a deal's party (`Review` above is the profile's short form). */
export type DealReview = Schemas['Review'];
export type DealReviews = Schemas['DealReviews'];
export type AdminReview = Schemas['AdminReview'];
export type ReviewBody = JsonBody<paths['/api/v1/ad-requests/{id}/review']['post']>;
export type AdminReviewQuery = NonNullable<paths['/api/v1/admin/reviews']['get']['parameters']['query']>;
