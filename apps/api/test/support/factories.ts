import { randomBytes, randomUUID } from 'node:crypto';
import {
  AD_REQUEST_TRANSITIONS,
  canAct,
  otherParty,
  type AdRequestAction,
  type AdRequestStatus,
  type Party,
  type Role,
  type UserStatus,
} from '@iescp/shared';
import type { users } from '../../src/db/schema/index.js';
import { newRefreshToken } from '../../src/lib/access-tokens.js';
import { hashPassword } from '../../src/lib/passwords.js';
import { accountsRepository, type UserRow } from '../../src/modules/accounts/accounts.repository.js';
import {
  adRequestsRepository,
  type AdRequestRow,
  type NewAdRequest,
} from '../../src/modules/ad-requests/ad-requests.repository.js';
import { auditRepository } from '../../src/modules/audit/audit.repository.js';
import {
  campaignsRepository,
  type CampaignRow,
  type NewCampaign,
} from '../../src/modules/campaigns/campaigns.repository.js';
import {
  conversationsRepository,
  type ConversationRow,
  type MessageRow,
} from '../../src/modules/messaging/conversations.repository.js';
import { ledgerRepository } from '../../src/modules/ledger/ledger.repository.js';
import { sessionsRepository } from '../../src/modules/accounts/sessions.repository.js';
import type { AppScope } from '../../src/events.js';
import { addDays, tag, todayUtc } from './fixtures/search-support.js';
import type { TestContext } from './helpers.js';

export const TEST_PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | undefined;
let sequence = 0;

export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString('hex')}@example.test`;
}

export interface TestUser {
  user: UserRow;
  password: string;
  /** A valid access token for this user, of the login session `sessionId`. */
  token: string;
  /** The user's one login session (a refresh-token family with one live token), as a login makes. */
  sessionId: string;
  auth: { authorization: string };
}

export interface AdRequestOptions {
  /** The campaign (a factory row, or the API's answer); its sponsor is the deal's sponsor. */
  campaign: { id: string; sponsorId: string };
  influencer: TestUser;
  /** Where the deal ends up; reached through the same steps the API takes. Default `pending`. */
  status?: AdRequestStatus;
  /** Who opened it: the sponsor invites (default), the influencer applies. */
  initiatedBy?: Party;
  /** The opening offer (version 1). Default 5,000 cents. */
  paymentCents?: number;
  requirements?: string;
  /** The opening offer's message. Default none. */
  message?: string;
  /** Payments of the initiator's edits of the opening offer, made while it is pending. */
  edits?: number[];
  /**
   * Payments of the counter-offers, made in turn by the awaited party (the other side first),
   * after the edits. Default: one counter of `paymentCents + 1_000` for `negotiating`, none
   * otherwise.
   */
  counters?: number[];
  /**
   * What the acting party writes with a step, in the field its API body has: the rejection's
   * message, the delivery's note, the cancellation's reason (the API requires one).
   */
  notes?: { reject?: string; deliver?: string; cancel?: string };
  /**
   * Whether to write what the service announces with each step (the deal message in the pair's
   * conversation, the other party's notification), as the API does. Default true.
   */
  announce?: boolean;
}

type Step = { action: AdRequestAction; by: Party | 'system'; input?: StepInput };
/** A step's input, as the service's ActionInput names it. */
interface StepInput {
  paymentCents?: number;
  message?: string;
  deliverableUrl?: string;
  note?: string;
  reason?: string;
}

/** The actions after the offers that take a request from its last offer to `status`. */
function stepsTo(
  status: AdRequestStatus,
  initiatedBy: Party,
  awaiting: Party,
  notes: NonNullable<AdRequestOptions['notes']>,
): Step[] {
  const accept: Step = { action: 'accept', by: awaiting };
  const deliver: Step = {
    action: 'deliver',
    by: 'influencer',
    input: { deliverableUrl: 'https://example.com/post/1', ...(notes.deliver ? { note: notes.deliver } : {}) },
  };
  const cancel: Step = { action: 'cancel', by: 'sponsor', input: { reason: notes.cancel ?? 'Plans changed' } };
  switch (status) {
    case 'pending':
    case 'negotiating':
      return [];
    case 'accepted':
      return [accept];
    case 'delivered':
      return [accept, deliver];
    case 'completed':
      return [accept, deliver, { action: 'complete', by: 'sponsor' }];
    case 'cancelled':
      return [accept, cancel];
    case 'rejected':
      return [{ action: 'reject', by: awaiting, ...(notes.reject ? { input: { message: notes.reject } } : {}) }];
    case 'withdrawn':
      return [{ action: 'withdraw', by: initiatedBy }];
    case 'expired':
      return [{ action: 'expire', by: 'system' }];
  }
}

/**
 * Factories make real rows through the repositories (one shared argon2 hash keeps users fast),
 * with overridable defaults. Campaigns, deals and messages come out exactly as the services
 * write them (offer versions, events, ledger rows, campaign money, audit rows, deal
 * announcements), each in the transaction(s) the API would use; `factories.test.ts` compares
 * them with the API's rows. They skip the API's checks, rate limits and real-time pushes.
 */
export function factories(ctx: TestContext) {
  async function user(role: Role, values: Partial<typeof users.$inferInsert> = {}): Promise<TestUser> {
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const status: UserStatus = values.status ?? 'active';
    const repo = accountsRepository;
    const row = await repo.insertUser(ctx.db, {
      email: uniqueEmail(role),
      passwordHash: await passwordHash,
      role,
      status,
      displayName: `${role} ${sequence}`,
      approvedAt: role === 'sponsor' && status === 'active' ? new Date() : null,
      ...values,
    });
    if (role === 'influencer') {
      await repo.insertInfluencerProfile(ctx.db, { userId: row.id, niche: 'fitness', bio: 'Test bio' });
      await repo.replacePlatforms(ctx.db, row.id, [
        { platform: 'instagram', handle: `@h${sequence}`, followers: 1000 },
      ]);
    }
    if (role === 'sponsor')
      await repo.insertSponsorProfile(ctx.db, {
        userId: row.id,
        companyName: `Company ${sequence}`,
        industry: 'Retail',
      });
    // Access tokens name a session the gate finds open, as a login would have started it.
    const sessionId = randomUUID();
    await sessionsRepository.insert(ctx.db, {
      userId: row.id,
      familyId: sessionId,
      tokenHash: newRefreshToken().hash,
      expiresAt: new Date(Date.now() + ctx.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
    });
    const token = await ctx.app.tokens.sign({ userId: row.id, role, sessionId });
    return { user: row, password: TEST_PASSWORD, token, sessionId, auth: { authorization: `Bearer ${token}` } };
  }

  /** A campaign of `sponsor`: public, running from today for 30 days, budget 1,000.00. */
  async function campaign({
    sponsor,
    ...values
  }: { sponsor: TestUser } & Partial<Omit<NewCampaign, 'sponsorId'>>): Promise<CampaignRow> {
    const today = todayUtc();
    const row = await ctx.db.transaction(async (tx) => {
      const id = await campaignsRepository.insert(tx, {
        sponsorId: sponsor.user.id,
        name: `Campaign ${tag()}`,
        description: 'A campaign for tests',
        niche: 'fitness',
        goals: 'Reach new customers',
        startDate: today,
        endDate: addDays(today, 30),
        budgetCents: 100_000,
        visibility: 'public',
        ...values,
      });
      return (await campaignsRepository.findById(tx, id))!;
    });
    // As the service does after its writes: cached searches must see the new row.
    await ctx.app.cache.invalidate('campaigns');
    return row;
  }

  /**
   * A deal between the campaign's sponsor and `influencer`, opened and then moved to `status`
   * by the steps the API would take (an accepted deal has its payment reserved and a `reserve`
   * ledger row, a completed one has it released, and so on).
   */
  async function adRequest(options: AdRequestOptions): Promise<AdRequestRow> {
    const {
      campaign: c,
      influencer,
      status = 'pending',
      initiatedBy = 'sponsor',
      paymentCents = 5_000,
      requirements = 'One reel and two stories',
      message,
      announce = true,
    } = options;
    const counters = options.counters ?? (status === 'negotiating' ? [paymentCents + 1_000] : []);
    if (status === 'pending' && counters.length > 0) throw new Error('a counter-offer makes a request negotiating');
    if (status === 'negotiating' && counters.length === 0) throw new Error('negotiating needs a counter-offer');
    const ids: Record<Party, string> = { sponsor: c.sponsorId, influencer: influencer.user.id };
    const first = otherParty(initiatedBy);
    const editSteps: Step[] = (options.edits ?? []).map((cents) => ({
      action: 'edit',
      by: initiatedBy,
      input: { paymentCents: cents },
    }));
    const counterSteps: Step[] = counters.map((cents, i) => ({
      action: 'counter',
      by: i % 2 === 0 ? first : initiatedBy,
      input: { paymentCents: cents },
    }));
    const awaiting = counters.length % 2 === 0 ? first : initiatedBy;
    const steps = [...editSteps, ...counterSteps, ...stepsTo(status, initiatedBy, awaiting, options.notes ?? {})];

    // One transaction for the opening and one per step, as the API's calls have: rows then carry
    // the timestamps (now() is the transaction's start), and so the order, the API gives them.
    let current = await ctx.app.events.transaction(async (scope) => {
      const { tx } = scope;
      // As AdRequestsService.create writes it.
      const row = await adRequestsRepository.insert(tx, {
        campaignId: c.id,
        sponsorId: c.sponsorId,
        influencerId: influencer.user.id,
        status: 'pending',
        initiatedBy,
        awaitingParty: first,
        paymentCents,
        requirements,
      });
      await adRequestsRepository.addOffer(tx, {
        adRequestId: row.id,
        version: 1,
        by: initiatedBy,
        paymentCents,
        requirements,
        message: message?.trim() || null,
      });
      await adRequestsRepository.recordEvent(tx, {
        adRequestId: row.id,
        actorId: ids[initiatedBy],
        action: 'create',
        fromStatus: null,
        toStatus: 'pending',
        paymentCents,
        details: message ? { message: message.trim() } : {},
      });
      if (announce)
        await scope.emit({
          kind: 'ad_request.changed',
          request: row,
          action: 'create',
          fromStatus: null,
          by: initiatedBy,
          actorId: ids[initiatedBy],
          details: message?.trim() ? { message: message.trim() } : {},
        });
      return row;
    });
    for (const step of steps) {
      const actorId = step.by === 'system' ? null : ids[step.by];
      const before = current;
      current = await ctx.app.events.transaction((scope) => applyStep(scope, before, step, actorId, announce));
    }
    await ctx.app.cache.invalidate('campaigns');
    return current;
  }

  /** The pair's conversation (the one there is, or a new one), as the API opens it. */
  async function conversation({
    sponsor,
    influencer,
  }: {
    sponsor: TestUser;
    influencer: TestUser;
  }): Promise<ConversationRow> {
    return ctx.db.transaction(
      async (tx) => (await conversationsRepository.getOrCreate(tx, sponsor.user.id, influencer.user.id)).row,
    );
  }

  /** A text message from `from` (a participant) in `conversation`, as the API sends one. */
  async function message({
    conversation: c,
    from,
    body = `Hello ${randomBytes(3).toString('hex')}`,
  }: {
    conversation: { id: string };
    from: TestUser;
    body?: string;
  }): Promise<MessageRow> {
    return ctx.db.transaction(async (tx) => {
      const row = await conversationsRepository.findById(tx, c.id);
      if (!row) throw new Error(`no conversation ${c.id}`);
      if (from.user.id !== row.sponsorId && from.user.id !== row.influencerId)
        throw new Error('the sender must be in the conversation');
      return conversationsRepository.append(tx, row, { senderId: from.user.id, kind: 'text', body });
    });
  }

  return {
    user,
    admin: (values = {}) => user('admin', values),
    sponsor: (values = {}) => user('sponsor', values),
    pendingSponsor: (values = {}) => user('sponsor', { status: 'pending_approval', ...values }),
    influencer: (values = {}) => user('influencer', values),
    campaign,
    adRequest,
    conversation,
    message,
  };
}

/**
 * One transition, written as AdRequestsService's `apply` writes it: the offer (edit, counter),
 * the campaign money and its ledger and audit rows, the request row, the event and, when asked,
 * the announcement. Refuses what the shared transition table refuses.
 */
async function applyStep(
  scope: AppScope,
  row: AdRequestRow,
  step: Step,
  actorId: string | null,
  announce: boolean,
): Promise<AdRequestRow> {
  const { tx } = scope;
  const { action, by } = step;
  const input = step.input ?? {};
  const facts = { status: row.status, awaitingParty: row.awaitingParty, initiatedBy: row.initiatedBy };
  if (!canAct(action, by, facts)) throw new Error(`factory: ${by} cannot ${action} a ${row.status} request`);
  const t = AD_REQUEST_TRANSITIONS[action];
  const changes: Partial<NewAdRequest> = {};
  const details: Record<string, unknown> = {};
  const to: AdRequestStatus = t.to ?? row.status;

  if (action === 'edit' || action === 'counter') {
    const version = row.offerVersion + 1;
    const paymentCents = input.paymentCents ?? row.paymentCents;
    await adRequestsRepository.addOffer(tx, {
      adRequestId: row.id,
      version,
      by: by as Party,
      paymentCents,
      requirements: row.requirements,
      message: input.message?.trim() || null,
    });
    Object.assign(changes, { offerVersion: version, paymentCents, requirements: row.requirements });
    if (action === 'counter') changes.awaitingParty = otherParty(by as Party);
    details.offerVersion = version;
  }
  if (t.money && !(await campaignsRepository.moveMoney(tx, row.campaignId, t.money, row.paymentCents))) {
    throw new Error(`factory: the campaign cannot ${t.money} ${row.paymentCents} cents (budget?)`);
  }
  if (action === 'deliver') {
    changes.deliverableUrl = input.deliverableUrl;
    changes.deliveryNote = input.note?.trim() || null;
  }
  if (input.message) details.message = input.message.trim();
  if (input.note) details.note = input.note.trim();
  if (input.reason) details.reason = input.reason.trim();
  if (to !== row.status) changes.status = to;
  if (!['pending', 'negotiating'].includes(to)) changes.awaitingParty = null;

  const updated = await adRequestsRepository.update(tx, row.id, changes);
  await adRequestsRepository.recordEvent(tx, {
    adRequestId: row.id,
    actorId,
    action,
    fromStatus: row.status,
    toStatus: to,
    paymentCents: updated.paymentCents,
    details,
  });
  if (announce)
    // The app's own subscribers write the chat event message and the notifications.
    await scope.emit({
      kind: 'ad_request.changed',
      request: updated,
      action,
      fromStatus: row.status,
      by,
      actorId,
      details: details as { message?: string; note?: string; reason?: string },
    });
  if (t.money) {
    await ledgerRepository.insert(tx, {
      kind: t.money,
      amountCents: row.paymentCents,
      campaignId: row.campaignId,
      adRequestId: row.id,
      sponsorId: row.sponsorId,
      influencerId: row.influencerId,
    });
    await auditRepository.insert(tx, {
      actorId,
      action: `money.${t.money}`,
      subjectType: 'ad_request',
      subjectId: row.id,
      details: { amountCents: row.paymentCents, campaignId: row.campaignId, via: action },
    });
  }
  return updated;
}
