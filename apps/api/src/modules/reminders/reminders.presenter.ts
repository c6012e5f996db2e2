import { formatMoney } from '@iescp/shared';
import type { MailContent } from '../mail/mail.presenter.js';
import type { ReminderCandidate, ReminderItem } from './reminders.repository.js';

/** Where the digest's button leads: the deals list, or the campaigns to discover when nothing waits. */
const DEALS_PATH = '/deals';
const DISCOVER_PATH = '/discover';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const waitingTotal = (c: ReminderCandidate) => c.counts.offers + c.counts.toDeliver + c.counts.toApprove;

/** The lines that count what waits, in the recipient's terms. */
function countLines(c: ReminderCandidate): string[] {
  const lines: string[] = [];
  if (c.counts.offers > 0) lines.push(`${plural(c.counts.offers, 'offer', 'offers')} to answer`);
  if (c.counts.toDeliver > 0) lines.push(`${plural(c.counts.toDeliver, 'accepted deal', 'accepted deals')} to deliver`);
  if (c.counts.toApprove > 0) lines.push(`${plural(c.counts.toApprove, 'delivery', 'deliveries')} to approve`);
  return lines;
}

const WHAT: Record<string, string> = {
  pending: 'offer to answer',
  negotiating: 'counter-offer to answer',
  accepted: 'work to deliver',
  delivered: 'delivery to approve',
};

function itemLine(i: ReminderItem): string {
  return `${i.campaignName} with ${i.otherParty}, ${formatMoney(i.paymentCents)}: ${WHAT[i.status] ?? i.status}`;
}

/** The digest as a mail: the counts, the first few deals (each linked), and a link to the app. */
export function reminderMail(c: ReminderCandidate): MailContent {
  const total = waitingTotal(c);
  const reason = 'You get this daily reminder because it is on in your email choices.';
  if (total === 0) {
    return {
      subject: 'New campaigns are waiting for you on IESCP',
      heading: 'We have not seen you for a while',
      paragraphs: ['Sponsors keep publishing campaigns. Have a look at the ones that fit you.'],
      action: { label: 'Discover campaigns', path: DISCOVER_PATH },
      reason,
    };
  }
  const more = total - c.items.length;
  return {
    subject: `${plural(total, 'deal waits', 'deals wait')} for you on IESCP`,
    heading: `${plural(total, 'deal waits', 'deals wait')} for you`,
    paragraphs: [
      `You have ${countLines(c).join(', ')}.`,
      ...(more > 0
        ? [`The ${c.items.length} waiting longest are below; ${more} more ${more === 1 ? 'is' : 'are'} in your deals.`]
        : []),
    ],
    items: c.items.map((i) => ({ text: itemLine(i), path: `/ad-requests/${i.adRequestId}` })),
    action: { label: 'Open your deals', path: DEALS_PATH },
    reason,
  };
}

/**
 * The digest as a Google Chat message (`{text}` of an incoming webhook): Chat's own markup,
 * `*bold*` and `<url|label>` links.
 */
export function reminderChatText(c: ReminderCandidate, publicUrl: string): string {
  const mail = reminderMail(c);
  const chatEscape = (s: string) => s.replace(/[<>|]/g, ' ');
  return [
    `*${chatEscape(mail.heading)}*`,
    ...mail.paragraphs.map(chatEscape),
    ...(mail.items ?? []).map((i) => `• <${publicUrl}${i.path}|${chatEscape(i.text)}>`),
    `<${publicUrl}${mail.action.path}|${mail.action.label}>`,
  ].join('\n');
}
