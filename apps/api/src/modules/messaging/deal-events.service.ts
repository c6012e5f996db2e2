import { REALTIME_EVENTS, type AdRequestChange, type Party } from '@iescp/shared';
import type { AppScope } from '../../events.js';
import type { AdRequestTransition } from '../ad-requests/ad-requests.repository.js';
import type { AdRequestsService } from '../ad-requests/ad-requests.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { ConversationsService } from './conversations.service.js';
import { clip, describe } from './deal-events.presenter.js';

/**
 * Negotiation in the chat: the subscriber of `ad_request.changed`. It puts each transition into
 * the pair's conversation (an event message) and notifies the other party, or both when the
 * system acted, in the transaction of the transition, so the chat and the notifications can
 * never disagree with the deal. Pushes go out after the commit.
 */
export function createDealEventsService(deps: {
  adRequests: AdRequestsService;
  conversations: ConversationsService;
  notifications: NotificationsService;
}) {
  const { adRequests, conversations, notifications } = deps;
  return {
    async announce(scope: AppScope, e: AdRequestTransition): Promise<void> {
      const r = e.request;
      const d = describe(e, await adRequests.namesOf(scope.tx, r.id));
      await conversations.postToPair(
        scope,
        { sponsorId: r.sponsorId, influencerId: r.influencerId },
        {
          senderId: e.actorId,
          kind: 'event',
          body: clip(d.chat),
          adRequestId: r.id,
          event: { action: e.action, status: r.status, paymentCents: r.paymentCents },
        },
      );
      const recipients: Party[] =
        e.by === 'system' ? ['sponsor', 'influencer'] : [e.by === 'sponsor' ? 'influencer' : 'sponsor'];
      // A removed request no longer opens; its notice points to the deals list instead.
      const link = e.action === 'delete' ? '/deals' : `/ad-requests/${r.id}`;
      for (const party of recipients) {
        await notifications.notify(scope, {
          userId: party === 'sponsor' ? r.sponsorId : r.influencerId,
          type: d.notice.type,
          title: clip(d.notice.title, 200),
          body: clip(d.notice.body, 1000),
          link,
        });
      }
      const change: AdRequestChange = { id: r.id, status: r.status, updatedAt: r.updatedAt.toISOString() };
      scope.push([r.sponsorId, r.influencerId], REALTIME_EVENTS.adRequest, change);
    },
  };
}
