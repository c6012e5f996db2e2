import type { Db } from '../../db/client.js';
import type { AppEvent, AppScope } from '../../events.js';
import type { Jobs, TaskRun } from '../../jobs/queue.js';
import { isUuid } from '../../lib/ids.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { MailService } from '../mail/mail.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { conversationsRepository as repo, type MessageRow } from './conversations.repository.js';
import { clip } from './deal-events.presenter.js';

/** At most this many messages are quoted in a mail (the newest), each cut to QUOTE_CHARS. */
const QUOTED_MESSAGES = 5;
const QUOTE_CHARS = 300;

/** The task's data: who is written to about which conversation, from which message on. */
interface ChatMailData {
  conversationId: string;
  recipientId: string;
  /** The message that started the burst: the mail covers unread messages from it on. */
  messageId: string;
}

function dataOf(run: Pick<TaskRun, 'data'>): ChatMailData | undefined {
  const { conversationId, recipientId, messageId } = run.data;
  if (typeof conversationId !== 'string' || typeof recipientId !== 'string' || typeof messageId !== 'string') {
    return undefined;
  }
  if (!isUuid(conversationId) || !isUuid(recipientId) || !isUuid(messageId)) return undefined;
  return { conversationId, recipientId, messageId };
}

/**
 * Chat messages by email (`new_message`), one mail per conversation per few minutes rather than
 * one per message. A sent message enqueues, in its own transaction, a `chat-mail` task that
 * starts CHAT_MAIL_DELAY_SECONDS later, keyed by conversation and recipient: while one waits,
 * the queue drops the next ones (pg-boss policy `short`), so a burst is one job. When it runs, it
 * mails what the recipient still has not read (nothing if they read it in the app meanwhile).
 * Deal events in the chat are not mailed here: their notifications have their own emails.
 */
export function createChatMailService(deps: {
  db: Db;
  jobs: Jobs;
  delaySeconds: number;
  accounts: AccountsService;
  notifications: NotificationsService;
  mail: MailService;
}) {
  const { db, jobs, accounts, notifications, mail } = deps;

  return {
    /** `message.sent`: queue the recipient's chat mail, unless they switched it off. */
    async onMessageSent(scope: AppScope, event: Extract<AppEvent, { kind: 'message.sent' }>): Promise<void> {
      if (event.recipientId === event.senderId) return;
      if (!(await notifications.emailsType(scope.tx, event.recipientId, 'new_message'))) return;
      const data: ChatMailData = {
        conversationId: event.conversationId,
        recipientId: event.recipientId,
        messageId: event.messageId,
      };
      await jobs.enqueue(
        scope.tx,
        'chat-mail',
        { ...data },
        {
          singletonKey: `${event.conversationId}:${event.recipientId}`,
          startAfter: deps.delaySeconds,
        },
      );
    },

    /**
     * The `chat-mail` task: one mail listing the recipient's unread messages of the burst.
     * Skipped when there are none left, the recipient switched the mail off or is deactivated
     * (mail.queue refuses those), or this burst was already mailed (the dedupe key names its
     * last message, so a second run, or a later job that finds nothing newer, records nothing).
     */
    async run(run: Pick<TaskRun, 'data'>): Promise<Record<string, number>> {
      const data = dataOf(run);
      if (!data) return { skipped: 1 };
      const conversation = await repo.findById(db, data.conversationId);
      const first = await repo.findMessage(db, data.messageId);
      if (!conversation || !first || first.conversationId !== conversation.id || !first.senderId) {
        return { skipped: 1 };
      }
      const senderId = first.senderId;
      const inPair = [conversation.sponsorId, conversation.influencerId];
      if (!inPair.includes(data.recipientId) || senderId === data.recipientId) return { skipped: 1 };
      if (!(await notifications.emailsType(db, data.recipientId, 'new_message'))) return { skipped: 1 };
      const unread = await repo.unreadTextFrom(db, conversation, senderId, first.createdAt);
      const last = unread.at(-1);
      if (!last) return { skipped: 1 };
      const sender = await accounts.find(senderId);
      const content = chatMailContent(sender?.displayName ?? 'Someone', conversation.id, unread);
      // The mail and its delivery job in one transaction (mail.queue skips a deactivated recipient).
      const queued = await db.transaction((tx) =>
        mail.queue(tx, {
          userId: data.recipientId,
          kind: 'new_message',
          dedupeKey: `chat:${conversation.id}:${data.recipientId}:${last.id}`,
          content,
        }),
      );
      return queued ? { mailed: 1, messages: unread.length } : { skipped: 1 };
    },
  };
}

function chatMailContent(name: string, conversationId: string, unread: MessageRow[]) {
  const quoted = unread.slice(-QUOTED_MESSAGES);
  const earlier = unread.length - quoted.length;
  const count = unread.length === 1 ? 'a new message' : `${unread.length} new messages`;
  return {
    subject: `${name} sent you ${count}`,
    heading: `${name} sent you ${count}`,
    paragraphs: [
      ...(earlier > 0 ? [`… and ${earlier} earlier ${earlier === 1 ? 'message' : 'messages'}.`] : []),
      ...quoted.map((m) => `“${clip(m.body, QUOTE_CHARS)}”`),
    ],
    action: { label: 'Reply in IESCP', path: `/messages/${conversationId}` },
    reason: 'You get this email because new chat messages are on in your email choices.',
  };
}

export type ChatMailService = ReturnType<typeof createChatMailService>;
