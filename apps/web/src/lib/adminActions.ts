import type { User } from '@/api/types';
import { api } from '@/api/client';

export type UserAction = 'approve' | 'deactivate' | 'reactivate' | 'flag' | 'unflag';

/** Actions that ask the admin for a reason first (and so show a confirmation dialog). */
export const REASON_ACTIONS: ReadonlySet<UserAction> = new Set(['deactivate', 'flag']);

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

export const ACTION_DONE: Record<UserAction, (name: string) => string> = {
  approve: (name) => `${name} is approved and can now run campaigns.`,
  deactivate: (name) => `${name} is deactivated and has been signed out.`,
  reactivate: (name) => `${name} is active again.`,
  flag: (name) => `${name} is flagged and hidden from search.`,
  unflag: (name) => `The flag on ${name} is lifted.`,
};
