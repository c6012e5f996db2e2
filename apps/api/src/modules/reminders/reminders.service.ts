import { emailsTypeIn } from '@iescp/shared';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { EnqueueOptions, Jobs, TaskRun } from '../../jobs/queue.js';
import { dateIn } from '../../lib/clock.js';
import type { MailService } from '../mail/mail.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { reminderChatText, reminderMail } from './reminders.presenter.js';
import { remindersRepository as repo, type ReminderCandidate } from './reminders.repository.js';

/** Users per transaction: each batch claims its days, records its mails and enqueues its jobs at once. */
export const REMINDER_BATCH_SIZE = 500;
/** A chat service that does not answer in this time is a failed attempt (retried). */
const WEBHOOK_TIMEOUT_MS = 10_000;
const WEBHOOK_RETRY: EnqueueOptions = { retryLimit: 3, retryDelay: 30, retryBackoff: true };
const DAY_MS = 86_400_000;

/** An error as one line; fetch's own ("fetch failed") says why in its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * The daily reminders (`daily-reminders`): one digest a day to each user something waits for,
 * by mail and on the user's chat webhook. The reminder day is the date in REMINDER_TIMEZONE when
 * the job runs; one `daily_reminders` row per user and day (its primary key) is claimed in the
 * transaction that records the mail and enqueues the webhook, so a second run, or a second
 * worker, finds the day taken and sends nothing.
 */
export function createRemindersService(deps: {
  db: Db;
  config: Config;
  jobs: Jobs;
  mail: MailService;
  notifications: NotificationsService;
  /** The clock (tests fix it). */
  now: () => Date;
}) {
  const { db, config, jobs, mail, notifications, now } = deps;
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

  async function remindBatch(day: string, batch: ReminderCandidate[]) {
    return db.transaction(async (tx) => {
      const claimed = await repo.claimDay(
        tx,
        day,
        batch.map((c) => ({ userId: c.userId, counts: c.counts, webhook: c.chatWebhookUrl !== null })),
      );
      const mine = batch.filter((c) => claimed.has(c.userId));
      // Email choice off: no mail, but the row stays, so the webhook still posts once a day.
      const mailed = mine.filter((c) => emailsTypeIn(c.emailChoices, 'daily_reminder'));
      const rows = await mail.queueMany(
        tx,
        mailed.map((c) => ({
          userId: c.userId,
          kind: 'daily_reminder' as const,
          dedupeKey: `reminder:${c.userId}:${day}`,
          content: reminderMail(c),
        })),
      );
      const mails = mailed.flatMap((c, i) => (rows[i] ? [{ userId: c.userId, mailId: rows[i].id }] : []));
      const hooked = mine.filter((c) => c.chatWebhookUrl !== null);
      await jobs.enqueueMany(
        tx,
        'post-chat-webhook',
        hooked.map((c) => ({ userId: c.userId, day, text: reminderChatText(c, publicUrl) })),
        WEBHOOK_RETRY,
      );
      const webhooks = hooked.length;
      await repo.setMails(tx, day, mails);
      return { reminded: claimed.size, mails: mails.length, webhooks, skipped: batch.length - claimed.size };
    });
  }

  return {
    /** The job: who is due today, then batches of REMINDER_BATCH_SIZE users, each in one transaction. */
    async run() {
      const at = now();
      const day = dateIn(config.REMINDER_TIMEZONE, at);
      const inactiveBefore = new Date(at.getTime() - config.REMINDER_INACTIVE_DAYS * DAY_MS);
      const candidates = await repo.candidates(db, day, inactiveBefore);
      const totals = { candidates: candidates.length, reminded: 0, mails: 0, webhooks: 0, skipped: 0 };
      for (let i = 0; i < candidates.length; i += REMINDER_BATCH_SIZE) {
        const done = await remindBatch(day, candidates.slice(i, i + REMINDER_BATCH_SIZE));
        totals.reminded += done.reminded;
        totals.mails += done.mails;
        totals.webhooks += done.webhooks;
        totals.skipped += done.skipped;
      }
      return totals;
    },

    /**
     * One attempt at posting a digest to the user's chat webhook (`post-chat-webhook`). The URL
     * is read and checked again now (the user or the allowed hosts may have changed), and a
     * redirect is an error, so the call never lands anywhere the policy does not allow. A
     * failure keeps its error and is thrown for pg-boss to retry; after the last retry the row
     * says `failed`. The mail never waits for any of this.
     */
    async postWebhook(run: Pick<TaskRun, 'data' | 'retryCount' | 'retryLimit'>): Promise<Record<string, number>> {
      const { userId, day, text } = run.data as { userId?: unknown; day?: unknown; text?: unknown };
      if (typeof userId !== 'string' || typeof day !== 'string' || typeof text !== 'string') return { skipped: 1 };
      const row = await repo.forWebhook(db, userId, day);
      if (!row || row.webhookStatus !== 'queued') return { skipped: 1 };
      const url = row.userStatus === 'active' && row.url ? notifications.checkCallableWebhookUrl(row.url) : undefined;
      if (!url) {
        await repo.markWebhook(db, userId, day, 'failed', 'the chat webhook URL is no longer set or allowed');
        return { skipped: 1 };
      }
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=UTF-8' },
          body: JSON.stringify({ text }),
          redirect: 'error',
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        // Drain the body so the connection is released.
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`the chat webhook answered ${res.status}`);
      } catch (error) {
        const message = describe(error);
        const final = run.retryCount >= run.retryLimit;
        await repo.markWebhook(db, userId, day, final ? 'failed' : 'queued', message.slice(0, 1000));
        throw error;
      }
      await repo.markWebhook(db, userId, day, 'sent', null);
      return { sent: 1 };
    },
  };
}

export type RemindersService = ReturnType<typeof createRemindersService>;
