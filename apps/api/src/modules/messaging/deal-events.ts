import {
  formatAmount,
  REALTIME_EVENTS,
  type AdRequestAction,
  type AdRequestChange,
  type NotificationType,
  type Party,
} from '@iescp/shared';
import type { DbOrTx } from '../../db/client.js';
import type { Fanout } from '../../lib/fanout.js';
import { notify } from '../notifications/notifications.service.js';
import { adRequestsRepository, type AdRequestRow } from '../ad-requests/ad-requests.repository.js';
import { postToPair } from './conversations.service.js';

/** One ad-request transition, as the ad-request service recorded it. */
export interface DealEvent {
  /** The row after the transition. */
  request: AdRequestRow;
  action: 'create' | AdRequestAction;
  fromStatus: AdRequestRow['status'] | null;
  /** Who acted; `system` for the timers. */
  by: Party | 'system';
  actorId: string | null;
  details: { message?: string; note?: string; reason?: string };
}

interface Names {
  campaign: string;
  sponsor: string;
  influencer: string;
}

interface Notice {
  type: NotificationType;
  title: string;
  body: string;
}

/** What the chat says and what the other party (both, for the system) is told. */
interface Description {
  chat: string;
  notice: Notice;
}

const MAX_BODY = 4000;

/** Cuts at a code-point boundary so a long note never breaks the message length limit. */
function clip(text: string, max = MAX_BODY): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function quoted(text: string | undefined): string {
  return text ? `\n“${text}”` : '';
}

function describe(e: DealEvent, n: Names): Description {
  const r = e.request;
  const amount = formatAmount(r.paymentCents);
  const actor = e.by === 'sponsor' ? n.sponsor : e.by === 'influencer' ? n.influencer : 'IESCP';
  const on = `“${n.campaign}”`;
  const says = quoted(e.details.message ?? e.details.note ?? e.details.reason);
  switch (e.action) {
    case 'create':
      return e.by === 'sponsor'
        ? {
            chat: `${n.sponsor} invited ${n.influencer} to ${on} for ${amount}.${says}`,
            notice: {
              type: 'offer_received',
              title: `New invitation: ${n.campaign}`,
              body: `${n.sponsor} offers ${amount}.`,
            },
          }
        : {
            chat: `${n.influencer} applied to ${on} asking ${amount}.${says}`,
            notice: {
              type: 'offer_received',
              title: `New application: ${n.campaign}`,
              body: `${n.influencer} applied asking ${amount}.`,
            },
          };
    case 'edit':
      return {
        chat: `${actor} edited the offer on ${on}: ${amount}.`,
        notice: {
          type: 'offer_updated',
          title: `Offer edited: ${n.campaign}`,
          body: `${actor} changed the offer to ${amount}.`,
        },
      };
    case 'counter':
      return {
        chat: `${actor} countered on ${on} with ${amount}.${says}`,
        notice: { type: 'counter_offer', title: `Counter-offer: ${n.campaign}`, body: `${actor} proposes ${amount}.` },
      };
    case 'accept':
      return {
        chat: `${actor} accepted the offer of ${amount} on ${on}. The payment is reserved from the campaign budget.`,
        notice: {
          type: 'offer_accepted',
          title: `Offer accepted: ${n.campaign}`,
          body: `${actor} accepted ${amount}.`,
        },
      };
    case 'reject':
      return {
        chat: `${actor} rejected the offer of ${amount} on ${on}.${says}`,
        notice: {
          type: 'offer_rejected',
          title: `Offer rejected: ${n.campaign}`,
          body: `${actor} rejected ${amount}.`,
        },
      };
    case 'withdraw':
      return {
        chat: `${actor} withdrew the ad request on ${on}.${says}`,
        notice: {
          type: 'offer_withdrawn',
          title: `Ad request withdrawn: ${n.campaign}`,
          body: e.details.reason ?? `${actor} withdrew the ad request.`,
        },
      };
    case 'expire':
      return {
        chat: `The offer of ${amount} on ${on} expired without an answer.`,
        notice: {
          type: 'offer_expired',
          title: `Offer expired: ${n.campaign}`,
          body: `The offer of ${amount} expired.`,
        },
      };
    case 'deliver':
      return {
        chat: `${actor} delivered the work for ${on}: ${r.deliverableUrl ?? ''}${quoted(e.details.note)}`,
        notice: {
          type: 'work_delivered',
          title: `Work delivered: ${n.campaign}`,
          body: `${actor} delivered the work. Review it and approve the payment of ${amount}.`,
        },
      };
    case 'request_revision':
      return {
        chat: `${actor} asked for a revision on ${on}.${says}`,
        notice: { type: 'revision_requested', title: `Revision requested: ${n.campaign}`, body: e.details.note ?? '' },
      };
    case 'complete':
    case 'auto_complete': {
      const how = e.action === 'auto_complete' ? 'was completed automatically' : `was approved by ${actor}`;
      return {
        chat: `The work on ${on} ${how}. ${amount} was paid to ${n.influencer}.`,
        notice: {
          type: 'deal_completed',
          title: `Completed and paid: ${n.campaign}`,
          body: `${amount} paid to ${n.influencer}.`,
        },
      };
    }
    case 'cancel':
      return {
        chat: `${actor} cancelled the deal on ${on}. The reserved ${amount} returned to the campaign.${says}`,
        notice: {
          type: 'deal_cancelled',
          title: `Deal cancelled: ${n.campaign}`,
          body: e.details.reason ?? `${actor} cancelled the deal.`,
        },
      };
    case 'delete':
      // Deleting a pending request withdraws it (an invitation) or turns it down (an
      // application); deleting a closed one only tidies the lists.
      if (e.fromStatus === 'pending' && r.initiatedBy === 'influencer') {
        return {
          chat: `${actor} declined ${n.influencer}'s application to ${on} and removed it.`,
          notice: {
            type: 'offer_withdrawn',
            title: `Application declined: ${n.campaign}`,
            body: `${actor} declined your application and removed it.`,
          },
        };
      }
      return e.fromStatus === 'pending'
        ? {
            chat: `${actor} withdrew the invitation to ${on}.`,
            notice: {
              type: 'offer_withdrawn',
              title: `Invitation withdrawn: ${n.campaign}`,
              body: `${actor} withdrew the invitation.`,
            },
          }
        : {
            chat: `${actor} removed the closed ad request on ${on} from their lists.`,
            notice: {
              type: 'offer_removed',
              title: `Ad request removed: ${n.campaign}`,
              body: `${actor} removed the closed ad request.`,
            },
          };
  }
}

async function namesOf(tx: DbOrTx, r: AdRequestRow): Promise<Names> {
  const d = await adRequestsRepository.findDetail(tx, r.id, { withDeleted: true });
  if (!d) throw new Error(`ad request ${r.id} vanished inside its own transaction`);
  return { campaign: d.campaignName, sponsor: d.companyName, influencer: d.influencerName };
}

/**
 * Puts an ad-request transition into the pair's conversation (an event message) and notifies
 * the other party, or both when the system acted, in the transaction of the transition, so the
 * chat and the notifications can never disagree with the deal. Pushes go out after the commit.
 */
export async function announceDealEvent(tx: DbOrTx, fanout: Fanout, e: DealEvent): Promise<void> {
  const r = e.request;
  const d = describe(e, await namesOf(tx, r));
  const pair = { sponsorId: r.sponsorId, influencerId: r.influencerId };
  await postToPair(tx, fanout, pair, {
    senderId: e.actorId,
    kind: 'event',
    body: clip(d.chat),
    adRequestId: r.id,
    event: { action: e.action, status: r.status, paymentCents: r.paymentCents },
  });
  const recipients: Party[] =
    e.by === 'system' ? ['sponsor', 'influencer'] : [e.by === 'sponsor' ? 'influencer' : 'sponsor'];
  // A removed request no longer opens; its notice points to the deals list instead.
  const link = e.action === 'delete' ? '/deals' : `/ad-requests/${r.id}`;
  for (const party of recipients) {
    await notify(tx, fanout, {
      userId: party === 'sponsor' ? r.sponsorId : r.influencerId,
      type: d.notice.type,
      title: clip(d.notice.title, 200),
      body: clip(d.notice.body, 1000),
      link,
    });
  }
  const change: AdRequestChange = { id: r.id, status: r.status, updatedAt: r.updatedAt.toISOString() };
  fanout.add([r.sponsorId, r.influencerId], REALTIME_EVENTS.adRequest, change);
}
