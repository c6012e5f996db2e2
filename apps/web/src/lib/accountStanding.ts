/**
 * What a flagged account may still do, in the words the banner and every disabled button use
 * (the server's rule: apps/api accounts.policy).
 */
export const FLAGGED_MEANING =
  'You can finish deals already accepted and keep talking in your conversations, but you cannot start new campaigns, offers or conversations.';

/** Why a button is disabled for a flagged account (its title and screen-reader hint). */
export const FLAGGED_BUTTON_HINT = 'Not available while your account is flagged by a moderator.';

/** How to appeal until reports exist in the app. */
export const FLAGGED_APPEAL = 'If you think this is a mistake, contact the platform administrator to appeal.';
