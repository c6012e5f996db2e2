import type { Actor } from '../../lib/actor.js';
import { accountFlagged } from '../../lib/errors.js';

/**
 * Flagged users take no part (API.md "Reviews, reports, moderation"): they may sign in, read,
 * edit their own profile and finish what is already agreed (deliver, request a revision,
 * complete, cancel, message in a conversation they have), but nothing that starts or changes a
 * commitment: creating or editing a campaign, inviting or applying, editing, countering or
 * accepting an offer, opening a conversation. The flag is read with the actor on every request
 * (plugins/auth.ts), so an unflag counts from the very next one.
 */
export function takesPart(actor: Pick<Actor, 'flagged'>): boolean {
  return !actor.flagged;
}

/** The one check the services call before starting something: 403 `account_flagged`. */
export function assertTakesPart(actor: Pick<Actor, 'flagged'>): void {
  if (!takesPart(actor)) throw accountFlagged();
}
