/**
 * The admin audit log page: its filters as they travel through the URL (so a filtered view can
 * be shared and reloaded) and to the API, and how a row is shown (the action in words, where its
 * subject lives in the app, its details).
 */
import { AUDIT_ACTIONS, AUDIT_SUBJECT_TYPES, LIMITS, auditActionLabel } from '@iescp/shared';
import type { LocationQuery, RouteLocationRaw } from 'vue-router';
import type { AuditEntry, AuditQuery } from '@/api/types';
import { formatMoney } from '@/lib/format';
import type { QueryFilterCodec } from '@/composables/useQueryFilteredList';
import { firstParam } from '@/lib/queryParams';

export interface AuditFilters {
  /** Part of the actor's email or name. */
  q: string;
  /** Always newest first; kept for the shared filtered-list composable. */
  sort: 'newest';
  action: string;
  subjectType: string;
  subjectId: string;
  actorId: string;
  from: string;
  to: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
const SUBJECT_TYPE = /^[a-z][a-z_]*$/;

const EMPTY: AuditFilters = {
  q: '',
  sort: 'newest',
  action: '',
  subjectType: '',
  subjectId: '',
  actorId: '',
  from: '',
  to: '',
};

/** A well-formed value or '' (a hand-edited URL never reaches the API as a 400). */
function valid(value: string, pattern: RegExp): string {
  return pattern.test(value) ? value : '';
}

export const auditFilterCodec: QueryFilterCodec<AuditFilters> = {
  fromQuery(query: LocationQuery): AuditFilters {
    return {
      q: firstParam(query.q).slice(0, LIMITS.search.max),
      sort: 'newest',
      action: valid(firstParam(query.action), ACTION),
      subjectType: valid(firstParam(query.subjectType), SUBJECT_TYPE),
      subjectId: valid(firstParam(query.subjectId), UUID),
      actorId: valid(firstParam(query.actorId), UUID),
      from: valid(firstParam(query.from), DAY),
      to: valid(firstParam(query.to), DAY),
    };
  },
  toQuery(filters: AuditFilters): Record<string, string> {
    const query: Record<string, string> = {};
    if (filters.q.trim()) query.q = filters.q.trim();
    for (const key of ['action', 'subjectType', 'subjectId', 'actorId', 'from', 'to'] as const) {
      if (filters[key]) query[key] = filters[key];
    }
    return query;
  },
  cleared: () => ({ ...EMPTY }),
};

export function auditFiltersToApi(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  if (filters.q.trim()) query.actor = filters.q.trim();
  for (const key of ['action', 'subjectType', 'subjectId', 'actorId', 'from', 'to'] as const) {
    if (filters[key]) query[key] = filters[key];
  }
  return query;
}

export const AUDIT_ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));
export const AUDIT_SUBJECT_OPTIONS = Object.entries(AUDIT_SUBJECT_TYPES).map(([value, label]) => ({ value, label }));

export { auditActionLabel };

/** The word for a subject type ("Deal" for an ad request). */
export function subjectTypeLabel(type: string): string {
  return (AUDIT_SUBJECT_TYPES as Record<string, string>)[type] ?? type;
}

/** Where the row's subject lives in the app, or null (a job run, a deleted thing). */
export function subjectLink(
  entry: Pick<AuditEntry, 'subjectType' | 'subjectId' | 'subjectLabel'>,
): RouteLocationRaw | null {
  if (!entry.subjectId) return entry.subjectType === 'job' ? { name: 'admin-jobs' } : null;
  switch (entry.subjectType) {
    case 'ad_request':
      return { name: 'deal-detail', params: { id: entry.subjectId } };
    case 'campaign':
      return { name: 'campaign-detail', params: { id: entry.subjectId } };
    case 'mail':
      return { name: 'admin-outbox-mail', params: { id: entry.subjectId } };
    case 'job':
      return { name: 'admin-jobs' };
    case 'user':
      return entry.subjectLabel ? { name: 'admin-users', query: { q: entry.subjectLabel } } : null;
    default:
      return null;
  }
}

const DETAIL_LABELS: Record<string, string> = {
  reason: 'Reason',
  amountCents: 'Amount',
  via: 'Through',
  name: 'Job',
  note: 'Note',
};

/** The details worth reading, in words; ids the subject link already covers are left out. */
export function detailLines(details: Record<string, unknown>): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value === null || value === undefined || key.endsWith('Id')) continue;
    const label = DETAIL_LABELS[key] ?? key;
    if (key.endsWith('Cents') && typeof value === 'number') lines.push({ label, value: formatMoney(value) });
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      lines.push({ label, value: String(value) });
    else lines.push({ label, value: JSON.stringify(value) });
  }
  return lines;
}
