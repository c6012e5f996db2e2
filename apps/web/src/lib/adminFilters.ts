/** The admin users page's filters, kept in the URL query so a filtered view can be shared and reloaded. */
import { LIMITS, ROLES, USER_STATUSES, type Role, type UserStatus } from '@iescp/shared';
import type { LocationQuery } from 'vue-router';
import type { AdminUserQuery } from '@/api/types';

export interface AdminUserFilters {
  role: Role | '';
  status: UserStatus | '';
  flagged: '' | 'true' | 'false';
  q: string;
}

function first(value: LocationQuery[string] | undefined): string {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === 'string' ? item : '';
}

export function filtersFromQuery(query: LocationQuery): AdminUserFilters {
  const role = first(query.role);
  const status = first(query.status);
  const flagged = first(query.flagged);
  return {
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
    status: (USER_STATUSES as readonly string[]).includes(status) ? (status as UserStatus) : '',
    flagged: flagged === 'true' || flagged === 'false' ? flagged : '',
    q: first(query.q).slice(0, LIMITS.search.max),
  };
}

/** Only the filters that are set, as URL query strings. */
export function filtersToQuery(filters: AdminUserFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.role) query.role = filters.role;
  if (filters.status) query.status = filters.status;
  if (filters.flagged) query.flagged = filters.flagged;
  if (filters.q.trim()) query.q = filters.q.trim();
  return query;
}

export function filtersToApi(filters: AdminUserFilters): AdminUserQuery {
  const query: AdminUserQuery = {};
  if (filters.role) query.role = filters.role;
  if (filters.status) query.status = filters.status;
  if (filters.flagged) query.flagged = filters.flagged === 'true';
  if (filters.q.trim()) query.q = filters.q.trim();
  return query;
}

export function hasFilters(filters: AdminUserFilters): boolean {
  return Object.keys(filtersToQuery(filters)).length > 0;
}
