/**
 * The admin's audit log: filtered by the URL query, newest first, with "Load more". The one
 * place that calls `api.admin.auditLog`.
 */
import { LIMITS } from '@iescp/shared';
import { api } from '@/api/client';
import { useQueryFilteredList } from '@/composables/useQueryFilteredList';
import { auditFilterCodec, auditFiltersToApi } from '@/lib/auditLog';
import { pageQuery } from '@/lib/paging';

export function useAuditLog() {
  return useQueryFilteredList(auditFilterCodec, (filters, cursor) =>
    api.admin.auditLog({ ...auditFiltersToApi(filters), ...pageQuery(LIMITS.pageSize.default, cursor) }),
  );
}
