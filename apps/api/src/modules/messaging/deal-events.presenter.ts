import { formatAmount, type NotificationType } from '@iescp/shared';
import type { AdRequestTransition as DealEvent } from '../ad-requests/ad-requests.repository.js';

/** The names a deal's messages speak of. */
export interface Names {
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
export interface Description {
  chat: string;
  notice: Notice;
}

const MAX_BODY = 4000;

/** Cuts at a code-point boundary so a long note never breaks the message length limit. */
export function clip(text: string, max = MAX_BODY): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function quoted(text: string | undefined): string {
  return text ? `\n“${text}”` : '';
}

/** The words of one deal event: its chat message and the notice for the other party. */
export function describe(e: DealEvent, n: Names): Description {
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
