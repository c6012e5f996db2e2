import { formatMoney } from '@iescp/shared';
import type { Db, Tx } from '../../db/client.js';
import type { AppEvents } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { utcDate } from '../../lib/clock.js';
import {
  conflict,
  forbidden,
  notFound,
  sponsorNotApproved,
  validationFailed,
  type FieldIssue,
} from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import { prefixQuery } from '../../lib/text-search.js';
import type { Cache, Cached } from '../../plugins/cache.js';
import type { AuditService } from '../audit/audit.service.js';
import { assertTakesPart } from '../accounts/accounts.policy.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { campaignAbilities, isOwner, seesInternals } from './campaigns.policy.js';
import { campaignsRepository as repo, type CampaignRow } from './campaigns.repository.js';
import type { CampaignDto, CampaignQuery, CreateCampaignBody, UpdateCampaignBody } from './campaigns.schemas.js';

const SEARCH_TTL_SECONDS = 60;

function present(actor: Actor, row: CampaignRow): CampaignDto {
  const privileged = seesInternals(actor, row);
  return {
    id: row.id,
    sponsorId: row.sponsorId,
    sponsor: { id: row.sponsorId, displayName: row.sponsorName, companyName: row.companyName },
    name: row.name,
    description: row.description,
    niche: row.niche,
    goals: row.goals,
    startDate: row.startDate,
    endDate: row.endDate,
    budgetCents: row.budgetCents,
    reservedCents: row.reservedCents,
    spentCents: row.spentCents,
    remainingCents: Math.max(0, row.budgetCents - row.reservedCents - row.spentCents),
    visibility: row.visibility,
    status: row.status,
    flagged: row.flagged,
    ...(privileged ? { flagReason: row.flagReason } : {}),
    abilities: campaignAbilities(actor, row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function checkDates(start: string, end: string, today: string, issues: FieldIssue[]) {
  if (end < start) issues.push({ path: '/endDate', message: 'must be on or after startDate' });
  if (end < today) issues.push({ path: '/endDate', message: 'must not be in the past' });
}

/** Campaigns: a sponsor's CRUD, everyone's search, and the admin's flag. */
export function createCampaignsService(deps: {
  db: Db;
  events: AppEvents;
  cache: Cache;
  audit: AuditService;
  notifications: NotificationsService;
}) {
  const { db, events, cache, audit, notifications } = deps;

  async function visibleOr404(actor: Actor, id: string): Promise<CampaignRow> {
    const row = isUuid(id) ? await repo.findById(db, id, actor) : undefined;
    if (!row) throw notFound('campaign');
    return row;
  }

  /** Loads the campaign for a write by its owner: invisible → 404, visible but not theirs → 403. */
  async function ownedForWrite(actor: Actor, id: string): Promise<CampaignRow> {
    const row = await visibleOr404(actor, id);
    if (!isOwner(actor, row)) throw forbidden('Only the sponsor who owns this campaign can change it.');
    return row;
  }

  return {
    async create(actor: Actor, input: CreateCampaignBody): Promise<CampaignDto> {
      if (actor.status !== 'active') throw sponsorNotApproved();
      assertTakesPart(actor);
      const issues: FieldIssue[] = [];
      checkDates(input.startDate, input.endDate, utcDate(), issues);
      if (issues.length > 0) throw validationFailed(issues);
      const id = await events.transaction(async ({ tx, emit }) => {
        const created = await repo.insert(tx, {
          sponsorId: actor.id,
          name: input.name.trim(),
          description: input.description?.trim() ?? '',
          niche: input.niche,
          goals: input.goals?.trim() ?? '',
          startDate: input.startDate,
          endDate: input.endDate,
          budgetCents: input.budgetCents,
          visibility: input.visibility,
        });
        await emit({ kind: 'campaign.created', campaignId: created });
        return created;
      });
      return present(actor, (await repo.findById(db, id))!);
    },

    async get(actor: Actor, id: string): Promise<CampaignDto> {
      return present(actor, await visibleOr404(actor, id));
    },

    async search(actor: Actor, query: CampaignQuery): Promise<Cached> {
      if (query.mine && actor.role !== 'sponsor') {
        throw validationFailed([{ path: '/mine', message: 'is only for sponsors' }]);
      }
      if (
        query.minBudgetCents !== undefined &&
        query.maxBudgetCents !== undefined &&
        query.minBudgetCents > query.maxBudgetCents
      ) {
        throw validationFailed([{ path: '/minBudgetCents', message: 'must not exceed maxBudgetCents' }]);
      }
      const tsquery = query.q ? prefixQuery(query.q) : undefined;
      const { name, keys } = repo.sortKeys(query.sort ?? 'relevance', tsquery);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, name, keys) : undefined;
      if (query.sponsorId !== undefined && !isUuid(query.sponsorId))
        return { json: JSON.stringify({ items: [], nextCursor: null }), hit: false };

      // The key holds everything the result depends on: the query and who is asking (own and,
      // later, ad-request campaigns differ per user; admins see everything).
      const viewer = actor.role === 'admin' ? 'admin' : `${actor.role}:${actor.id}`;
      return cache.wrap('campaigns', [viewer, query], SEARCH_TTL_SECONDS, async () => {
        const filters = { ...query, ...(query.mine ? { sponsorId: actor.id } : {}) };
        // `mine` and `sponsorId` together: both must hold.
        if (query.mine && query.sponsorId !== undefined && query.sponsorId !== actor.id) {
          return { items: [], nextCursor: null };
        }
        const rows = await repo.search(db, actor, { filters, tsquery, keys, cursor, limit });
        return keysetPage(rows, limit, keys, name, (row) => present(actor, row));
      });
    },

    async update(actor: Actor, id: string, input: UpdateCampaignBody): Promise<CampaignDto> {
      const current = await ownedForWrite(actor, id);
      // Editing changes the terms others would sign up to; a flagged sponsor may still delete.
      assertTakesPart(actor);
      const issues: FieldIssue[] = [];
      const start = input.startDate ?? current.startDate;
      const end = input.endDate ?? current.endDate;
      if (input.startDate !== undefined || input.endDate !== undefined) {
        if (end < start)
          issues.push({
            path: input.endDate ? '/endDate' : '/startDate',
            message: 'endDate must be on or after startDate',
          });
        if (input.endDate !== undefined && input.endDate < utcDate())
          issues.push({ path: '/endDate', message: 'must not be in the past' });
      }
      if (issues.length > 0) throw validationFailed(issues);
      const values = {
        ...input,
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        ...(input.goals !== undefined ? { goals: input.goals.trim() } : {}),
      };
      // The update re-checks money in the same statement, so a concurrent reservation cannot slip
      // under a lowered budget; the table's CHECK would refuse it anyway.
      const budgetAtLeast = input.budgetCents;
      await events.transaction(async ({ tx, emit }) => {
        if (!(await repo.update(tx, id, values, budgetAtLeast))) {
          throw conflict(
            `The budget cannot be lowered below what is already reserved and spent (${formatMoney(current.reservedCents + current.spentCents)}).`,
          );
        }
        await emit({ kind: 'campaign.updated', campaignId: id });
      });
      return present(actor, (await repo.findById(db, id))!);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await ownedForWrite(actor, id);
      await events.transaction(async ({ tx, emit }) => {
        // Subscribers refuse (409) while deals are accepted or delivered and withdraw open offers.
        await emit({ kind: 'campaign.deleting', campaignId: id, actor });
        await repo.softDelete(tx, id);
      });
    },

    async stats(actor: Actor, id: string) {
      const row = await visibleOr404(actor, id);
      if (!seesInternals(actor, row)) throw forbidden('Only the owner and admins see campaign statistics.');
      return {
        campaignId: row.id,
        budgetCents: row.budgetCents,
        reservedCents: row.reservedCents,
        spentCents: row.spentCents,
        remainingCents: Math.max(0, row.budgetCents - row.reservedCents - row.spentCents),
        ...(await repo.dealStats(db, id)),
      };
    },

    /**
     * A campaign for another module's work: visible to `actor` (404 otherwise), optionally
     * locked in `tx`. Ad requests read it to invite, apply and accept.
     */
    async findVisible(actor: Actor | undefined, id: string, tx?: Tx): Promise<CampaignRow | undefined> {
      if (!isUuid(id)) return undefined;
      return repo.findById(tx ?? db, id, actor);
    },

    /**
     * Moves a deal's money inside the campaign in one conditional statement (see the repository):
     * false when a reservation does not fit the budget.
     */
    moveMoney(tx: Tx, id: string, kind: 'reserve' | 'release' | 'refund', cents: number): Promise<boolean> {
      return repo.moveMoney(tx, id, kind, cents);
    },

    async setFlag(actor: Actor, id: string, reason: string | null): Promise<CampaignDto> {
      const row = await visibleOr404(actor, id);
      const flagged = reason !== null;
      if (row.flagged !== flagged || (flagged && row.flagReason !== reason)) {
        await events.transaction(async (scope) => {
          const { tx } = scope;
          await repo.update(tx, id, { flagged, flagReason: reason });
          if (reason !== null) {
            await notifications.notify(scope, {
              userId: row.sponsorId,
              type: 'campaign_flagged',
              title: `Campaign flagged: ${row.name}`,
              body: `A moderator flagged this campaign: ${reason}. It is hidden from everyone else until it is unflagged.`,
              link: `/campaigns/${id}`,
            });
          }
          await audit.record(tx, {
            actorId: actor.id,
            action: flagged ? 'campaign.flag' : 'campaign.unflag',
            subjectType: 'campaign',
            subjectId: id,
            details: flagged ? { reason } : {},
          });
          await scope.emit({ kind: 'campaign.updated', campaignId: id });
        });
      }
      return present(actor, (await repo.findById(db, id))!);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
