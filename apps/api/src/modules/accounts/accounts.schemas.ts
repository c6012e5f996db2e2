import { Type, type Static } from '@sinclair/typebox';
import { LIMITS, NICHES, PLATFORMS, ROLES, SIGNUP_ROLES, USER_STATUSES } from '@iescp/shared';
import type { Role } from '@iescp/shared';
import { validationFailed, type FieldIssue } from '../../lib/errors.js';
import { PageQuery } from '../../lib/pagination.js';
import { Cents, Id, Nullable, Ref, StringEnum, Text, Timestamp } from '../../lib/schemas.js';

export const PlatformAccount = Type.Object(
  {
    platform: StringEnum(PLATFORMS),
    handle: Text(LIMITS.handle.min, LIMITS.handle.max),
    followers: Type.Integer({ minimum: LIMITS.followers.min, maximum: LIMITS.followers.max }),
  },
  { additionalProperties: false, $id: 'PlatformAccount' },
);
export type PlatformAccount = Static<typeof PlatformAccount>;

const country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, upper case' });
const website = Type.String({ maxLength: LIMITS.website.max, pattern: '^https?://[^\\s]+$', format: 'uri' });

/**
 * Profile input: the fields of both roles, all optional; the service rejects fields that do not
 * belong to the caller's role. (A oneOf would give clients unreadable validation errors.)
 */
export const ProfileInput = Type.Object(
  {
    // influencer
    bio: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.bio.max }))),
    niche: Type.Optional(StringEnum(NICHES)),
    platforms: Type.Optional(Type.Array(Ref(PlatformAccount), { maxItems: LIMITS.platforms.max })),
    country: Type.Optional(Nullable(country)),
    rateCents: Type.Optional(Nullable(Cents(LIMITS.moneyCents.max))),
    engagementRate: Type.Optional(
      Nullable(Type.Number({ minimum: LIMITS.engagementRate.min, maximum: LIMITS.engagementRate.max })),
    ),
    // sponsor
    companyName: Type.Optional(Text(LIMITS.companyName.min, LIMITS.companyName.max)),
    industry: Type.Optional(Text(LIMITS.industry.min, LIMITS.industry.max)),
    website: Type.Optional(Nullable(website)),
    budgetCents: Type.Optional(Nullable(Cents(LIMITS.moneyCents.max))),
  },
  { additionalProperties: false, $id: 'ProfileInput' },
);
export type ProfileInput = Static<typeof ProfileInput>;

export const INFLUENCER_FIELDS = ['bio', 'niche', 'platforms', 'country', 'rateCents', 'engagementRate'] as const;
export const SPONSOR_FIELDS = ['companyName', 'industry', 'website', 'bio', 'budgetCents'] as const;

export const InfluencerProfile = Type.Object(
  {
    bio: Type.String(),
    niche: StringEnum(NICHES),
    platforms: Type.Array(Ref(PlatformAccount)),
    reach: Type.Integer({ description: 'Sum of followers across platforms, computed by the server' }),
    engagementRate: Nullable(Type.Number()),
    country: Nullable(Type.String()),
    rateCents: Nullable(Type.Integer()),
  },
  { $id: 'InfluencerProfile' },
);

export const SponsorProfile = Type.Object(
  {
    companyName: Type.String(),
    industry: Type.String(),
    website: Nullable(Type.String()),
    bio: Nullable(Type.String()),
    budgetCents: Nullable(Type.Integer()),
  },
  { $id: 'SponsorProfile' },
);

export const User = Type.Object(
  {
    id: Id,
    email: Type.Optional(Type.String({ description: 'Shown only to the user and admins' })),
    role: StringEnum(ROLES),
    status: StringEnum(USER_STATUSES),
    flagged: Type.Boolean(),
    flagReason: Type.Optional(Nullable(Type.String())),
    displayName: Type.String(),
    avatarUrl: Nullable(Type.String()),
    createdAt: Timestamp,
    /** Last successful login; shown only to admins (null: never). */
    lastLoginAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'Shown only to admins' }))),
    /** Last authenticated request or token refresh, written at most every few minutes; admins only. */
    lastActiveAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'Shown only to admins' }))),
    profile: Type.Union([Ref(InfluencerProfile), Ref(SponsorProfile), Type.Null()]),
  },
  { $id: 'User' },
);
export type UserDto = Static<typeof User>;

export const SignupBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: LIMITS.email.max }),
    password: Type.String({ minLength: LIMITS.password.min, maxLength: LIMITS.password.max }),
    role: StringEnum(SIGNUP_ROLES),
    displayName: Text(LIMITS.displayName.min, LIMITS.displayName.max),
    profile: Type.Optional(Ref(ProfileInput)),
  },
  { additionalProperties: false },
);
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: LIMITS.email.max }),
    password: Type.String({ minLength: 1, maxLength: LIMITS.password.max }),
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: LIMITS.password.max }),
    newPassword: Type.String({ minLength: LIMITS.password.min, maxLength: LIMITS.password.max }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

export const Session = Type.Object(
  {
    user: Ref(User),
    accessToken: Type.String(),
    refreshToken: Type.String(),
    expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
  },
  { $id: 'Session' },
);

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(Text(LIMITS.displayName.min, LIMITS.displayName.max)),
    profile: Type.Optional(Ref(ProfileInput)),
  },
  { additionalProperties: false },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

/** The admin's user list: filters and paging. */
export const UserListQuery = Type.Object(
  {
    role: Type.Optional(StringEnum(ROLES)),
    status: Type.Optional(StringEnum(USER_STATUSES)),
    flagged: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: LIMITS.search.max })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/** Schemas referenced by `$ref`; registered once with `app.addSchema`. */
export const ACCOUNT_SCHEMAS = [PlatformAccount, ProfileInput, InfluencerProfile, SponsorProfile, User, Session];

/**
 * A profile holds the fields of its owner's role only: anything else is rejected as an unknown
 * field, exactly as the schema rejects fields no role has.
 */
export function assertProfileFitsRole(role: Role, profile: ProfileInput | undefined, base = '/profile'): void {
  if (!profile) return;
  const allowed: readonly string[] =
    role === 'influencer' ? INFLUENCER_FIELDS : role === 'sponsor' ? SPONSOR_FIELDS : [];
  const issues: FieldIssue[] = Object.keys(profile)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({
      path: `${base}/${key}`,
      message: `is not a field of ${role === 'sponsor' ? 'a sponsor' : `an ${role}`} profile`,
    }));
  if (issues.length > 0) throw validationFailed(issues);
}

/** Normalizes free text the way it is stored: trimmed, empty optional text becomes null. */
export function cleanText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Emails are compared and stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
