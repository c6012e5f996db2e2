/** What an admin does to an account, and what the page says after (the calls are in `useAdminUsers`). */
export type UserAction = 'approve' | 'deactivate' | 'reactivate' | 'flag' | 'unflag';

/** Actions that ask the admin for a reason first (and so show a confirmation dialog). */
export const REASON_ACTIONS: ReadonlySet<UserAction> = new Set(['deactivate', 'flag']);

export const ACTION_DONE: Record<UserAction, (name: string) => string> = {
  approve: (name) => `${name} is approved and can now run campaigns.`,
  deactivate: (name) => `${name} is deactivated and has been signed out.`,
  reactivate: (name) => `${name} is active again.`,
  flag: (name) => `${name} is flagged and hidden from search.`,
  unflag: (name) => `The flag on ${name} is lifted.`,
};
