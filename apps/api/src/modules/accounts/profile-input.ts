import type { Role } from '@iescp/shared';
import type { FieldIssue } from '../../lib/errors.js';
import { validationFailed } from '../../lib/errors.js';
import { INFLUENCER_FIELDS, SPONSOR_FIELDS, type ProfileInput } from './accounts.schemas.js';

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
      message: `is not a field of ${role === 'admin' ? 'an admin' : `a ${role}`} profile`,
    }));
  if (issues.length > 0) throw validationFailed(issues);
}

/** Normalizes free text the way it is stored: trimmed, empty optional text becomes null. */
export function cleanText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
