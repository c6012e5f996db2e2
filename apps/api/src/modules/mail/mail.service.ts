import { LIMITS, NOTIFICATION_TYPES, type NotificationType } from '@iescp/shared';
import type { Config } from '../../config.js';
import type { Db, Tx } from '../../db/client.js';
import type { AppEvent, AppScope } from '../../events.js';
import type { EnqueueOptions, Jobs, TaskRun } from '../../jobs/queue.js';
import type { Actor } from '../../lib/actor.js';
import { invalidTransition, notFound, validationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { presentOutboxItem, presentOutboxMail, renderMail, type MailContent } from './mail.presenter.js';
import { mailRepository as repo, type NewOutboundMail, type OutboundMailRow } from './mail.repository.js';
import type { OutboxMailDto, OutboxQueryInput } from './mail.schemas.js';
import type { UnsubscribeTokens } from './mail.tokens.js';
import type { MailTransport } from './mail.transport.js';

/** Where the recipient manages which emails they get (the profile page's email choices). */
const SETTINGS_PATH = '/profile';
/** The web app's page that asks "Unsubscribe?" and then POSTs /unsubscribe (the footer's link). */
const UNSUBSCRIBE_PAGE = '/unsubscribe';
const KEYS = repo.newestKeys;
/** Mails rendered between two turns of the event loop in `queueMany`. */
const RENDER_YIELD_EVERY = 20;

export interface MailRequest {
  userId: string;
  /** What the mail is about: the unit of unsubscribing (a notification type). */
  kind: NotificationType;
  content: MailContent;
  /** Names the cause, so one cause never records two mails (a replayed event, a second run). */
  dedupeKey: string;
}

/**
 * Every mail of the platform. A mail is recorded (`outbound_mails`) and its delivery job enqueued
 * in the transaction of the change that causes it, so it exists if and only if the change does;
 * the delivery job talks to the SMTP server later, never the request. Without SMTP_URL the
 * recorded row is the mail (the local outbox): it is `sent` as soon as it is written.
 */
export function createMailService(deps: {
  db: Db;
  config: Config;
  jobs: Jobs;
  transport: MailTransport;
  tokens: UnsubscribeTokens;
  notifications: NotificationsService;
  audit: AuditService;
}) {
  const { db, config, jobs, transport, tokens, notifications, audit } = deps;
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  const retry: EnqueueOptions = {
    retryLimit: config.MAIL_RETRY_LIMIT,
    retryDelay: config.MAIL_RETRY_DELAY_SECONDS,
    retryBackoff: true,
  };

  const enqueueDelivery = (tx: Tx, id: string) => jobs.enqueue(tx, 'deliver-mail', { id }, retry);

  /**
   * Records mails and enqueues their deliveries, in `tx`, with a few statements for the whole
   * list (a day's reminders come in batches of hundreds). Returns, in the order asked, each
   * recorded row, or undefined for a mail not recorded (no such account, a deactivated one, or
   * a cause recorded before).
   */
  async function queueMany(tx: Tx, requests: readonly MailRequest[]): Promise<(OutboundMailRow | undefined)[]> {
    const recipients = await repo.recipients(
      tx,
      requests.map((r) => r.userId),
    );
    const mails: NewOutboundMail[] = [];
    for (const [i, request] of requests.entries()) {
      const recipient = recipients.get(request.userId);
      // Nobody to write to: a deleted or deactivated account gets no mail.
      if (!recipient || recipient.status === 'deactivated') continue;
      // Rendering (juice) takes about half a millisecond: let requests in between a long batch.
      if (i > 0 && i % RENDER_YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const token = tokens.sign({ userId: request.userId, kind: request.kind });
      const rendered = renderMail(request.content, {
        publicUrl,
        settingsPath: SETTINGS_PATH,
        unsubscribePath: `${UNSUBSCRIBE_PAGE}?token=${encodeURIComponent(token)}`,
      });
      mails.push({
        userId: request.userId,
        to: recipient.email,
        subject: rendered.subject,
        kind: request.kind,
        html: rendered.html,
        text: rendered.text,
        headers: {
          // RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` to this URL.
          'List-Unsubscribe': `<${publicUrl}/api/v1/unsubscribe?token=${encodeURIComponent(token)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-IESCP-Kind': request.kind,
        },
        dedupeKey: request.dedupeKey,
        status: transport.mode === 'outbox' ? 'sent' : 'queued',
      });
    }
    const rows = await repo.insertMany(tx, mails);
    const queued = rows.filter((r) => r.status === 'queued').map((r) => ({ id: r.id }));
    await jobs.enqueueMany(tx, 'deliver-mail', queued, retry);
    const byKey = new Map(rows.map((r) => [r.dedupeKey, r]));
    return requests.map((r) => byKey.get(r.dedupeKey));
  }

  /** Records a mail for a user and enqueues its delivery, in `tx`. Undefined if not recorded. */
  async function queue(tx: Tx, request: MailRequest) {
    const [row] = await queueMany(tx, [request]);
    return row;
  }

  return {
    queue,
    queueMany,

    /** The email copy of an in-app notification, when the user left that type on. */
    async onNotification(scope: AppScope, event: Extract<AppEvent, { kind: 'notification.created' }>) {
      if (!(await notifications.emailsType(scope.tx, event.userId, event.type))) return;
      await queue(scope.tx, {
        userId: event.userId,
        kind: event.type,
        dedupeKey: `notification:${event.notificationId}`,
        content: {
          subject: event.title,
          heading: event.title,
          paragraphs: [event.body],
          action: { label: 'Open in IESCP', path: event.link },
          reason: 'You get this email because this notification type is on in your email choices.',
        },
      });
    },

    /**
     * One delivery attempt (the `deliver-mail` job). The mail is claimed first (one conditional
     * update), so a job that runs twice, or two runs at once, sends it once. A failure keeps the
     * error and is thrown, so pg-boss retries with backoff; after the last retry the mail is
     * `failed` and waits for the admin.
     */
    async deliver(run: Pick<TaskRun, 'data' | 'retryCount' | 'retryLimit'>): Promise<Record<string, number>> {
      const id = typeof run.data.id === 'string' ? run.data.id : '';
      const mail = isUuid(id) ? await repo.claim(db, id) : undefined;
      if (!mail) return { skipped: 1 };
      try {
        await transport.send({
          from: config.MAIL_FROM,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          headers: mail.headers,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await repo.markAttemptFailed(db, mail.id, message.slice(0, 1000), run.retryCount >= run.retryLimit);
        throw error;
      }
      await repo.markSent(db, mail.id);
      return { sent: 1 };
    },

    async list(query: OutboxQueryInput) {
      const limit = query.limit ?? LIMITS.pageSize.default;
      const sort = query.status ?? 'all';
      const cursor = query.cursor ? decodeKeyset(query.cursor, sort, KEYS) : undefined;
      const rows = await repo.page(db, query.status, KEYS, cursor, limit);
      return keysetPage(rows, limit, KEYS, sort, presentOutboxItem);
    },

    async get(id: string): Promise<OutboxMailDto> {
      const row = isUuid(id) ? await repo.find(db, id) : undefined;
      if (!row) throw notFound('mail');
      return presentOutboxMail(row);
    },

    /** failed → queued with a new delivery job (and the audit row), in one transaction. */
    async retry(actor: Actor, id: string): Promise<OutboxMailDto> {
      if (!isUuid(id)) throw notFound('mail');
      const row = await db.transaction(async (tx) => {
        const requeued = await repo.requeue(tx, id);
        if (!requeued) {
          if (!(await repo.find(tx, id))) throw notFound('mail');
          throw invalidTransition('Only a failed mail can be retried.');
        }
        await audit.record(tx, { actorId: actor.id, action: 'retry_mail', subjectType: 'mail', subjectId: id });
        if (transport.mode === 'outbox') {
          // No server to try: the outbox keeps it, as it does every mail.
          await repo.markSent(tx, id);
        } else {
          await enqueueDelivery(tx, id);
        }
        return (await repo.find(tx, id))!;
      });
      return presentOutboxMail(row);
    },

    /** The one-click unsubscribe: turns that kind of mail off for that user. */
    async unsubscribe(token: string | undefined) {
      const claim = token ? tokens.verify(token) : undefined;
      if (!claim || !(NOTIFICATION_TYPES as readonly string[]).includes(claim.kind)) {
        throw validationFailed([{ path: '/token', message: 'is not a valid unsubscribe token' }]);
      }
      if (!(await repo.recipient(db, claim.userId))) throw notFound('account');
      await notifications.switchEmailOff(claim.userId, claim.kind as NotificationType);
      return { kind: claim.kind, email: false as const };
    },

    state: () => transport.state(),
    verify: () => transport.verify(),
    mode: transport.mode,
    close: () => transport.close(),
  };
}

export type MailService = ReturnType<typeof createMailService>;
