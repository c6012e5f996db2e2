import {
  AD_REQUEST_TRANSITIONS,
  canAct,
  formatMoney,
  otherParty,
  type AdRequestAction,
  type AdRequestStatus,
  type Party,
} from '@iescp/shared';
import type { Db, DbOrTx } from '../../db/client.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../db/client.js';
import type { AppEvents, AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import {
  budgetExceeded,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
  sponsorNotApproved,
  validationFailed,
} from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { takesApplications } from '../campaigns/campaigns.policy.js';
import type { CampaignsService } from '../campaigns/campaigns.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { assertTakesPart } from '../accounts/accounts.policy.js';
import { abilities, campaignTakesAcceptance, canSee, commits, factsOf, partyOf } from './ad-requests.policy.js';
import {
  adRequestsRepository as repo,
  type AdRequestDetailRow,
  type AdRequestRow,
  type DueRule,
  type NewAdRequest,
  type OfferRow,
} from './ad-requests.repository.js';
import type { AdRequestDto, AdRequestQuery, CreateAdRequestBody } from './ad-requests.schemas.js';

/** Input of the actions that take one; each route validates its own body shape. */
export interface ActionInput {
  paymentCents?: number;
  requirements?: string;
  message?: string;
  offerVersion?: number;
  deliverableUrl?: string;
  note?: string;
  reason?: string;
}

/** Who acts: a party of the deal, or the system (timers). */
type By = { actorId: string; party: Party } | { actorId: null; party: 'system' };

const VERBS: Record<AdRequestAction, string> = {
  edit: 'edit',
  counter: 'counter',
  accept: 'accept',
  reject: 'reject',
  withdraw: 'withdraw',
  deliver: 'deliver',
  request_revision: 'request a revision of',
  complete: 'complete',
  cancel: 'cancel',
  expire: 'expire',
  auto_complete: 'auto-complete',
  delete: 'delete',
};

function present(actor: Actor, d: AdRequestDetailRow, offers: OfferRow[]): AdRequestDto {
  const r = d.request;
  return {
    id: r.id,
    campaignId: r.campaignId,
    campaign: { id: r.campaignId, name: d.campaignName },
    sponsorId: r.sponsorId,
    sponsor: { id: r.sponsorId, displayName: d.sponsorName, companyName: d.companyName },
    influencerId: r.influencerId,
    influencer: { id: r.influencerId, displayName: d.influencerName },
    requirements: r.requirements,
    paymentCents: r.paymentCents,
    status: r.status,
    awaitingParty: r.awaitingParty,
    initiatedBy: r.initiatedBy,
    offerVersion: r.offerVersion,
    deliverableUrl: r.deliverableUrl,
    deliveryNote: r.deliveryNote,
    offers: offers.map((o) => ({
      version: o.version,
      by: o.by,
      paymentCents: o.paymentCents,
      requirements: o.requirements,
      message: o.message,
      at: o.createdAt.toISOString(),
    })),
    abilities: abilities(actor, r, d.campaignStatus ?? undefined),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const KEYS = repo.newestKeys;

function refuse(action: AdRequestAction, row: AdRequestRow, party: Party | 'system' | null): never {
  const t = AD_REQUEST_TRANSITIONS[action];
  let why = `an ad request that is ${row.status}`;
  if (t.from.includes(row.status)) {
    if (t.who === 'awaiting') why = `this ad request now: it is the ${row.awaitingParty}'s turn`;
    else if (t.who === 'initiator') why = 'an ad request you did not open';
    else if (t.who !== 'either') why = `this ad request: only the ${t.who} can`;
    else why = 'this ad request';
  }
  throw invalidTransition(
    `You cannot ${VERBS[action]} ${why}.${party === null ? ' Admins watch deals; they do not act in them.' : ''}`,
  );
}

/**
 * Ad requests: invitations and applications, negotiation by immutable offer versions, and the
 * money that moves with acceptance, completion and cancellation. Every transition runs in one
 * transaction that locks the request, checks the shared transition table, moves money with a
 * conditional update (never overspending), and writes the event and ledger rows.
 */
export function createAdRequestsService(deps: {
  db: Db;
  events: AppEvents;
  campaigns: CampaignsService;
  accounts: AccountsService;
  ledger: LedgerService;
  audit: AuditService;
}) {
  const { db, events, campaigns, accounts, ledger, audit } = deps;

  async function load(actor: Actor, id: string, dbx: DbOrTx = db): Promise<AdRequestDto> {
    const d = await repo.findDetail(dbx, id);
    if (!d) throw notFound('ad request');
    return present(actor, d, (await repo.offersOf(dbx, [id])).get(id) ?? []);
  }

  /** Applies `action` to a locked row on behalf of `by`; the caller has checked the table. */
  async function apply(scope: AppScope, row: AdRequestRow, action: AdRequestAction, by: By, input: ActionInput) {
    const { tx } = scope;
    const t = AD_REQUEST_TRANSITIONS[action];
    const changes: Partial<NewAdRequest> = {};
    const details: Record<string, unknown> = {};
    let to: AdRequestStatus = t.to ?? row.status;

    if (action === 'edit' || action === 'counter') {
      if (row.initiatedBy === 'sponsor' && input.requirements !== undefined && !input.requirements.trim()) {
        throw validationFailed([{ path: '/requirements', message: 'must not be empty in an invitation' }]);
      }
      const version = row.offerVersion + 1;
      const paymentCents = input.paymentCents ?? row.paymentCents;
      const requirements = input.requirements?.trim() ?? row.requirements;
      await repo.addOffer(tx, {
        adRequestId: row.id,
        version,
        by: by.party as Party,
        paymentCents,
        requirements,
        message: input.message?.trim() || null,
      });
      Object.assign(changes, { offerVersion: version, paymentCents, requirements });
      if (action === 'counter') changes.awaitingParty = otherParty(by.party as Party);
      details.offerVersion = version;
    }
    if (action === 'accept') {
      if (input.offerVersion !== undefined && input.offerVersion !== row.offerVersion) {
        throw conflict(`Offer version ${input.offerVersion} is no longer current; the latest is ${row.offerVersion}.`);
      }
      const campaign = await campaigns.findVisible(undefined, row.campaignId, tx);
      if (!campaign || !campaignTakesAcceptance(campaign.status))
        throw conflict('The campaign has ended; this offer can no longer be accepted.');
      if (!(await campaigns.moveMoney(tx, row.campaignId, 'reserve', row.paymentCents))) {
        throw budgetExceeded(
          `The campaign has ${formatMoney(Math.max(0, campaign.budgetCents - campaign.reservedCents - campaign.spentCents))} left; this offer needs ${formatMoney(row.paymentCents)}.`,
        );
      }
    }
    if (t.money === 'release' || t.money === 'refund') {
      // Only reserved money moves here, so the conditional update cannot fail unless the
      // ledger is already broken: then nothing must change.
      if (!(await campaigns.moveMoney(tx, row.campaignId, t.money, row.paymentCents))) {
        throw new Error(`ledger invariant broken on campaign ${row.campaignId}`);
      }
    }
    if (action === 'deliver') {
      changes.deliverableUrl = input.deliverableUrl;
      changes.deliveryNote = input.note?.trim() || null;
    }
    if (input.message) details.message = input.message.trim();
    if (input.note) details.note = input.note.trim();
    if (input.reason) details.reason = input.reason.trim();
    if (action === 'delete') {
      changes.deletedAt = new Date();
      // A pending invitation that disappears from lists must not stay acceptable.
      if (row.status === 'pending') to = 'withdrawn';
    }
    if (to !== row.status) changes.status = to;
    if (!['pending', 'negotiating'].includes(to)) changes.awaitingParty = null;

    const updated = await repo.update(tx, row.id, changes);
    await repo.recordEvent(tx, {
      adRequestId: row.id,
      actorId: by.actorId,
      action,
      fromStatus: row.status,
      toStatus: to,
      paymentCents: updated.paymentCents,
      details,
    });
    await scope.emit({
      kind: 'ad_request.changed',
      request: updated,
      action,
      fromStatus: row.status,
      by: by.party,
      actorId: by.actorId,
      details: details as { message?: string; note?: string; reason?: string },
    });
    if (t.money) {
      await ledger.record(tx, {
        kind: t.money,
        amountCents: row.paymentCents,
        campaignId: row.campaignId,
        adRequestId: row.id,
        sponsorId: row.sponsorId,
        influencerId: row.influencerId,
      });
      await audit.record(tx, {
        actorId: by.actorId,
        action: `money.${t.money}`,
        subjectType: 'ad_request',
        subjectId: row.id,
        details: { amountCents: row.paymentCents, campaignId: row.campaignId, via: action },
      });
    }
    return updated;
  }

  return {
    async create(actor: Actor, input: CreateAdRequestBody): Promise<AdRequestDto> {
      const campaignId = input.campaignId;
      const campaign = await campaigns.findVisible(actor, campaignId);
      let influencerId: string;
      let initiatedBy: Party;
      if (actor.role === 'sponsor' && actor.status !== 'active') throw sponsorNotApproved();
      assertTakesPart(actor);
      if (actor.role === 'sponsor') {
        if (!input.influencerId)
          throw validationFailed([{ path: '/influencerId', message: 'is required to invite an influencer' }]);
        if (!input.requirements?.trim())
          throw validationFailed([{ path: '/requirements', message: 'is required in an invitation' }]);
        if (!campaign) throw notFound('campaign');
        if (campaign.sponsorId !== actor.id)
          throw forbidden('Only the sponsor who owns the campaign can invite to it.');
        if (campaign.status === 'ended') throw conflict('The campaign has ended.');
        const influencer = await accounts.find(input.influencerId);
        if (!influencer || influencer.role !== 'influencer' || influencer.status !== 'active' || influencer.flagged) {
          throw notFound('influencer');
        }
        influencerId = influencer.id;
        initiatedBy = 'sponsor';
      } else {
        if (input.influencerId !== undefined) {
          throw validationFailed([{ path: '/influencerId', message: 'is only for sponsors inviting an influencer' }]);
        }
        if (!campaign) throw notFound('campaign');
        if (!takesApplications(campaign)) {
          throw conflict('This campaign is not open for applications.');
        }
        influencerId = actor.id;
        initiatedBy = 'influencer';
      }
      const requirements = input.requirements?.trim() ?? '';
      try {
        const id = await events.transaction(async (scope) => {
          const { tx } = scope;
          const row = await repo.insert(tx, {
            campaignId: campaign.id,
            sponsorId: campaign.sponsorId,
            influencerId,
            status: 'pending',
            initiatedBy,
            awaitingParty: otherParty(initiatedBy),
            paymentCents: input.paymentCents,
            requirements,
          });
          await repo.addOffer(tx, {
            adRequestId: row.id,
            version: 1,
            by: initiatedBy,
            paymentCents: input.paymentCents,
            requirements,
            message: input.message?.trim() || null,
          });
          await repo.recordEvent(tx, {
            adRequestId: row.id,
            actorId: actor.id,
            action: 'create',
            fromStatus: null,
            toStatus: 'pending',
            paymentCents: input.paymentCents,
            details: input.message ? { message: input.message.trim() } : {},
          });
          await scope.emit({
            kind: 'ad_request.changed',
            request: row,
            action: 'create',
            fromStatus: null,
            by: initiatedBy,
            actorId: actor.id,
            details: input.message?.trim() ? { message: input.message.trim() } : {},
          });
          return row.id;
        });
        return load(actor, id);
      } catch (error) {
        if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
          throw conflict('There is already an open ad request between this influencer and this campaign.');
        }
        throw error;
      }
    },

    /** The campaign's and parties' names (also of a request just removed), for messages about it. */
    async namesOf(tx: DbOrTx, id: string): Promise<{ campaign: string; sponsor: string; influencer: string }> {
      const d = await repo.findDetail(tx, id, { withDeleted: true });
      if (!d) throw new Error(`ad request ${id} vanished inside its own transaction`);
      return { campaign: d.campaignName, sponsor: d.companyName, influencer: d.influencerName };
    },

    async get(actor: Actor, id: string): Promise<AdRequestDto> {
      const d = isUuid(id) ? await repo.findDetail(db, id) : undefined;
      if (!d || !canSee(actor, d.request)) throw notFound('ad request');
      return present(actor, d, (await repo.offersOf(db, [id])).get(id) ?? []);
    },

    async list(actor: Actor, query: AdRequestQuery) {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', KEYS) : undefined;
      const filters = {
        sponsorId: actor.role === 'sponsor' ? actor.id : undefined,
        influencerId: actor.role === 'influencer' ? actor.id : undefined,
        statuses: query.status ? (query.status.split(',') as AdRequestStatus[]) : undefined,
        campaignId: query.campaignId === undefined ? undefined : isUuid(query.campaignId) ? query.campaignId : null,
        // Admins watch deals: nothing ever awaits them.
        awaiting: query.awaiting !== 'me' ? undefined : actor.role === 'admin' ? null : actor.role,
      };
      const rows = await repo.page(db, filters, KEYS, cursor, limit);
      const offers = await repo.offersOf(
        db,
        rows.slice(0, limit).map((r) => r.request.id),
      );
      return keysetPage(rows, limit, KEYS, 'newest', (r) => present(actor, r, offers.get(r.request.id) ?? []));
    },

    /** A party's action; non-parties get 404 (admins, who may see it, 409). */
    async act(actor: Actor, id: string, action: AdRequestAction, input: ActionInput = {}): Promise<AdRequestDto> {
      if (!isUuid(id)) throw notFound('ad request');
      await events.transaction(async (scope) => {
        const row = await repo.lock(scope.tx, id);
        if (!row) throw notFound('ad request');
        const party = partyOf(actor, row);
        if (!party) {
          if (actor.role === 'admin') refuse(action, row, null);
          throw notFound('ad request');
        }
        if (!canAct(action, party, factsOf(row))) refuse(action, row, party);
        if (commits(action)) {
          assertTakesPart(actor);
          // Accepting makes a deal with the other party: not with one a moderator has flagged.
          if (action === 'accept') {
            const other = await accounts.find(party === 'sponsor' ? row.influencerId : row.sponsorId, scope.tx);
            if (other?.flagged) {
              throw conflict(
                `The ${otherParty(party)}'s account is flagged by a moderator; this offer cannot be accepted now.`,
              );
            }
          }
        }
        await apply(scope, row, action, { actorId: actor.id, party }, input);
      });
      if (action === 'delete') return { id } as AdRequestDto;
      return load(actor, id);
    },

    /**
     * A timer's action on one request, re-checking both the table and `stillDue` under the row
     * lock, so running a job twice (or two workers at once) changes nothing the second time.
     */
    async actAsSystem(id: string, rule: DueRule): Promise<boolean> {
      return events.transaction(async (scope) => {
        const row = await repo.lock(scope.tx, id);
        if (!row || !canAct(rule.action, 'system', factsOf(row))) return false;
        if (!(await repo.isStillDue(scope.tx, id, rule))) return false;
        await apply(scope, row, rule.action, { actorId: null, party: 'system' }, {});
        return true;
      });
    },

    /**
     * Subscriber of `campaign.deleting`: refuses while deals are accepted or delivered, and
     * withdraws the campaign's open requests in the transaction that deletes it.
     */
    async withdrawOpenOfCampaign(scope: AppScope, event: { campaignId: string; actor: Actor }): Promise<void> {
      const { tx } = scope;
      const { campaignId, actor } = event;
      if ((await repo.countByStatus(tx, campaignId, ['accepted', 'delivered'])) > 0) {
        throw conflict('The campaign has accepted or delivered ad requests; finish or cancel them first.');
      }
      for (const row of await repo.lockOpenOfCampaign(tx, campaignId)) {
        await apply(
          scope,
          row,
          'withdraw',
          { actorId: actor.id, party: 'sponsor' },
          { reason: 'The campaign was deleted.' },
        );
      }
    },
  };
}

export type AdRequestsService = ReturnType<typeof createAdRequestsService>;
