/** Account roles and statuses, as API.md names them. */
export const ROLES = ['admin', 'sponsor', 'influencer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person may choose at sign-up; `admin` is never self-service. */
export const SIGNUP_ROLES = ['sponsor', 'influencer'] as const;
export type SignupRole = (typeof SIGNUP_ROLES)[number];

export const USER_STATUSES = ['pending_approval', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
