import type { NotificationType } from '@iescp/shared';
import type { Actor } from './lib/actor.js';
import type { EventBus, EventScope } from './lib/events.js';
import type { CacheNamespace } from './plugins/cache.js';
import type { AdRequestTransition } from './modules/ad-requests/ad-requests.repository.js';

/**
 * Every kind of domain event, with what its subscribers need. A service emits these inside the
 * transaction of the change (see lib/events.ts); side effects subscribe where the app is wired.
 */
export type AppEvent =
  | { kind: 'account.signed_up'; userId: string }
  | { kind: 'account.updated'; userId: string }
  | { kind: 'account.avatar_changed'; userId: string }
  | { kind: 'account.moderated'; userId: string; action: string }
  | { kind: 'account.password_changed'; userId: string }
  /** Login sessions ended: their refresh tokens are revoked, their access tokens refused. */
  | { kind: 'session.ended'; userId: string; sessionIds: readonly string[]; reason: SessionEndReason }
  | { kind: 'campaign.created'; campaignId: string }
  | { kind: 'campaign.updated'; campaignId: string }
  /** Emitted before the row is deleted: subscribers may still refuse (409) or tidy up. */
  | { kind: 'campaign.deleting'; campaignId: string; actor: Actor }
  /** An ad request was created or moved by a transition (its `ad_request_events` row is written). */
  | ({ kind: 'ad_request.changed' } & AdRequestTransition)
  /** A participant sent a text message (deal events in the chat are told by their notifications). */
  | { kind: 'message.sent'; messageId: string; conversationId: string; senderId: string; recipientId: string }
  /** A review was written; it stays with its author until published. */
  | { kind: 'review.submitted'; reviewId: string; adRequestId: string; authorId: string }
  /** Reviews of a deal became public; their subjects' rating summaries changed with them. */
  | { kind: 'review.published'; adRequestId: string; reviewIds: readonly string[]; subjectIds: readonly string[] }
  /** Moderation hid a review; its subject's summary was recomputed. */
  | { kind: 'review.hidden'; reviewId: string; authorId: string; subjectId: string }
  /** An in-app notification was written (mail sends its email copy, in the same transaction). */
  | {
      kind: 'notification.created';
      notificationId: string;
      userId: string;
      type: NotificationType;
      title: string;
      body: string;
      link: string;
    };

export type AppEventKind = AppEvent['kind'];

/** Why login sessions ended. */
export type SessionEndReason = 'logout' | 'password_changed' | 'refresh_token_reused' | 'deactivated';

/**
 * Which cached reads each kind of event makes stale. Names and company details appear inside
 * campaign results; a user's standing decides whether they and their campaigns are listed; an
 * invitation makes a private campaign visible to its influencer, and deals move campaign money.
 */
export const INVALIDATES: Record<AppEventKind, readonly CacheNamespace[]> = {
  'account.signed_up': ['users'],
  'account.updated': ['users', 'campaigns'],
  'account.avatar_changed': ['users'],
  'account.moderated': ['users', 'campaigns'],
  // Nothing cached depends on a password or a session.
  'account.password_changed': [],
  'session.ended': [],
  'campaign.created': ['campaigns'],
  'campaign.updated': ['campaigns'],
  'campaign.deleting': ['campaigns'],
  'ad_request.changed': ['campaigns'],
  'message.sent': [],
  // Nothing public changes until publication (a private review is read uncached).
  'review.submitted': [],
  // Ratings show on profiles and directory cards, and order the directory.
  'review.published': ['users'],
  'review.hidden': ['users'],
  'notification.created': [],
};

export type AppEvents = EventBus<AppEvent>;
export type AppScope = EventScope<AppEvent>;
