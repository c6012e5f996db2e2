/**
 * The admin's view of accounts: the filtered user list, queue counts for the dashboard and the
 * moderation actions. The one place that calls `api.admin` for users.
 */
import { LIMITS } from '@iescp/shared';
import { api } from '@/api/client';
import type { AdminUserQuery, User } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import type { UserAction } from '@/lib/adminActions';
import { pageCount, pageQuery } from '@/lib/paging';

const COUNT_PAGE = 100;

/** Users matching the admin's filters (`query()` is read on every page). */
export function useAdminUserList(query: () => AdminUserQuery) {
  return useKeysetList<User>((cursor) =>
    api.admin.listUsers({ ...query(), ...pageQuery(LIMITS.pageSize.default, cursor) }),
  );
}

/** How many users match, as a label ("7", "100+"). */
export async function countUsers(query: AdminUserQuery): Promise<string> {
  return pageCount(await api.admin.listUsers({ ...query, limit: COUNT_PAGE }), COUNT_PAGE);
}

/** Runs one moderation action; `reason` is used by deactivate and flag. */
export function runUserAction(action: UserAction, id: string, reason: string): Promise<User> {
  switch (action) {
    case 'approve':
      return api.admin.approve(id);
    case 'deactivate':
      return api.admin.deactivate(id, reason);
    case 'reactivate':
      return api.admin.reactivate(id);
    case 'flag':
      return api.admin.flag(id, reason);
    case 'unflag':
      return api.admin.unflag(id);
  }
}
