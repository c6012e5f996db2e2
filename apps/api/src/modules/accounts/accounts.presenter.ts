import type { Actor } from '../../lib/actor.js';
import type { ProfileRecord, UserRow } from './accounts.repository.js';
import type { UserDto } from './accounts.schemas.js';

export function avatarUrl(key: string | null): string | null {
  return key ? `/api/v1/avatars/${key}` : null;
}

function presentProfile(record: ProfileRecord | undefined): UserDto['profile'] {
  if (!record || record.role === 'admin') return null;
  if (record.role === 'influencer') {
    const p = record.profile;
    return {
      bio: p.bio,
      niche: p.niche,
      platforms: record.platforms,
      reach: p.reach,
      engagementRate: p.engagementRate,
      country: p.country,
      rateCents: p.rateCents,
    };
  }
  const p = record.profile;
  return {
    companyName: p.companyName,
    industry: p.industry,
    website: p.website,
    bio: p.bio,
    budgetCents: p.budgetCents,
  };
}

/**
 * The user as `viewer` may see it: email and flag reason only for the user themself and admins,
 * last login and last activity only for admins.
 * The response schema also strips anything else (the password hash never has a field there).
 */
export function presentUser(
  row: UserRow,
  profile: ProfileRecord | undefined,
  viewer: Pick<Actor, 'id' | 'role'> | null,
): UserDto {
  const privileged = viewer !== null && (viewer.id === row.id || viewer.role === 'admin');
  return {
    id: row.id,
    ...(privileged ? { email: row.email, flagReason: row.flagReason } : {}),
    role: row.role,
    status: row.status,
    flagged: row.flagged,
    displayName: row.displayName,
    avatarUrl: avatarUrl(row.avatarKey),
    createdAt: row.createdAt.toISOString(),
    // "Last seen" is the admin's to know, not other members'.
    ...(viewer?.role === 'admin'
      ? { lastLoginAt: row.lastLoginAt?.toISOString() ?? null, lastActiveAt: row.lastActiveAt?.toISOString() ?? null }
      : {}),
    profile: presentProfile(profile),
  };
}
