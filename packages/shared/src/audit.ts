/**
 * The audit log's vocabulary: what each `action` means in words, for the admin's audit log page
 * and its action filter. The API accepts any action name as a filter (modules add actions as
 * they grow); an action missing here shows as its raw name until it is added.
 */
export const AUDIT_ACTIONS = {
  'user.approve': 'Approved a sponsor',
  'user.deactivate': 'Deactivated a user',
  'user.reactivate': 'Reactivated a user',
  'user.flag': 'Flagged a user',
  'user.unflag': 'Unflagged a user',
  'campaign.flag': 'Flagged a campaign',
  'campaign.unflag': 'Unflagged a campaign',
  'money.reserve': 'Money reserved for a deal',
  'money.release': 'Money paid to the influencer',
  'money.refund': 'Money returned to the campaign',
  run_job: 'Ran a job now',
  retry_mail: 'Retried a mail',
} as const satisfies Record<string, string>;

export type KnownAuditAction = keyof typeof AUDIT_ACTIONS;

/** The kinds of thing an audit row is about (`subjectType`), in words. */
export const AUDIT_SUBJECT_TYPES = {
  user: 'User',
  campaign: 'Campaign',
  ad_request: 'Deal',
  job: 'Job',
  mail: 'Mail',
} as const satisfies Record<string, string>;

/** The words for an audit action: its label, or the raw name for one this list does not know yet. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
