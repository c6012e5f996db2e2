import { createHash } from 'node:crypto';
import { eq, sql, type SQL } from 'drizzle-orm';
import { formatMoney, type CampaignSort } from '@iescp/shared';
import type { Db, Tx } from '../../db/client.js';
import { campaigns } from '../../db/schema/index.js';
import {
  conflict,
  forbidden,
  notFound,
  sponsorNotApproved,
  validationFailed,
  type FieldIssue,
} from '../../lib/errors.js';
import { decodeKeyset, keysetPage, prefixQuery, type SortKey } from '../../lib/keyset.js';
import type { Actor } from '../../plugins/auth.js';
import type { Cache, Cached } from '../../plugins/cache.js';
import { Fanout, type RealtimeSink } from '../../lib/fanout.js';
import { notify } from '../notifications/notifications.service.js';
import { isUuid } from '../accounts/accounts.repository.js';
import { auditRepository } from '../audit/audit.repository.js';
import { campaignAbilities, isOwner, visibleTo } from './campaigns.policy.js';
import { campaignsRepository as repo, type CampaignRow } from './campaigns.repository.js';
import type { CampaignDto, CampaignQuery, CreateCampaignBody, UpdateCampaignBody } from './campaigns.schemas.js';

const SEARCH_TTL_SECONDS = 60;

function present(actor: Actor, row: CampaignRow): CampaignDto {
  const privileged = actor.role === 'admin' || isOwner(actor, row);
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

/** Sort keys per sort; each ends with the id so the order is total and keysets are exact. */
function sortKeys(sort: CampaignSort, tsquery: string | undefined): { name: string; keys: SortKey<CampaignRow>[] } {
  const id: SortKey<CampaignRow> = { expr: campaigns.id, dir: 'desc', kind: 'uuid', of: (r) => r.id };
  const created: SortKey<CampaignRow> = {
    expr: campaigns.createdAt,
    dir: 'desc',
    kind: 'timestamp',
    of: (r) => r.createdAt.toISOString(),
  };
  switch (sort) {
    case 'budget_desc':
      return {
        name: sort,
        keys: [{ expr: campaigns.budgetCents, dir: 'desc', kind: 'number', of: (r) => r.budgetCents }, id],
      };
    case 'budget_asc':
      return {
        name: sort,
        keys: [
          { expr: campaigns.budgetCents, dir: 'asc', kind: 'number', of: (r) => r.budgetCents },
          { ...id, dir: 'asc' },
        ],
      };
    case 'ending_soon':
      return {
        name: sort,
        keys: [
          { expr: campaigns.endDate, dir: 'asc', kind: 'date', of: (r) => r.endDate },
          { ...id, dir: 'asc' },
        ],
      };
    case 'relevance':
      if (tsquery)
        return {
          name: sort,
          keys: [{ expr: repo.rankOf(tsquery), dir: 'desc', kind: 'number', of: (r) => r.rank ?? 0 }, created, id],
        };
      return { name: 'newest', keys: [created, id] };
    case 'newest':
      return { name: sort, keys: [created, id] };
  }
}

function checkDates(start: string, end: string, today: string, issues: FieldIssue[]) {
  if (end < start) issues.push({ path: '/endDate', message: 'must be on or after startDate' });
  if (end < today) issues.push({ path: '/endDate', message: 'must not be in the past' });
}

function utcDate(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Campaigns: a sponsor's CRUD, everyone's search, and the admin's flag. */
export function createCampaignsService(deps: {
  db: Db;
  cache: Cache;
  realtime: RealtimeSink;
  /** Refuses (409) while deals are accepted or delivered, and withdraws open offers, in `tx`. */
  withdrawOpenAdRequests: (tx: Tx, fanout: Fanout, actor: Actor, campaignId: string) => Promise<void>;
}) {
  const { db, cache, realtime } = deps;

  async function visibleOr404(actor: Actor, id: string): Promise<CampaignRow> {
    const row = isUuid(id) ? await repo.findById(db, id, visibleTo(actor)) : undefined;
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
      const issues: FieldIssue[] = [];
      checkDates(input.startDate, input.endDate, utcDate(), issues);
      if (issues.length > 0) throw validationFailed(issues);
      const id = await repo.insert(db, {
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
      await cache.invalidate('campaigns');
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
      const { name, keys } = sortKeys(query.sort ?? 'relevance', tsquery);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, name, keys) : undefined;
      if (query.sponsorId !== undefined && !isUuid(query.sponsorId))
        return { json: JSON.stringify({ items: [], nextCursor: null }), hit: false };

      // The key holds everything the result depends on: the query and who is asking (own and,
      // later, ad-request campaigns differ per user; admins see everything).
      const viewer = actor.role === 'admin' ? 'admin' : `${actor.role}:${actor.id}`;
      const key = createHash('sha256')
        .update(JSON.stringify([viewer, query]))
        .digest('base64url');
      return cache.wrap('campaigns', key, SEARCH_TTL_SECONDS, async () => {
        const filters: SQL[] = [...repo.budgetRange(query.minBudgetCents, query.maxBudgetCents)];
        if (query.niche) filters.push(eq(campaigns.niche, query.niche));
        if (query.status) filters.push(repo.statusIs(query.status));
        if (query.visibility) filters.push(eq(campaigns.visibility, query.visibility));
        if (query.sponsorId) filters.push(eq(campaigns.sponsorId, query.sponsorId));
        if (query.mine) filters.push(eq(campaigns.sponsorId, actor.id));
        const rows = await repo.search(db, { visibility: visibleTo(actor), filters, tsquery, keys, cursor, limit });
        return keysetPage(rows, limit, keys, name, (row) => present(actor, row));
      });
    },

    async update(actor: Actor, id: string, input: UpdateCampaignBody): Promise<CampaignDto> {
      const current = await ownedForWrite(actor, id);
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
      // The guard re-checks money in the same statement, so a concurrent reservation cannot slip
      // under a lowered budget; the table's CHECK would refuse it anyway.
      const guard =
        input.budgetCents !== undefined
          ? sql`${campaigns.reservedCents} + ${campaigns.spentCents} <= ${input.budgetCents}`
          : undefined;
      const updated = await repo.update(db, id, values, guard);
      if (!updated) {
        throw conflict(
          `The budget cannot be lowered below what is already reserved and spent (${formatMoney(current.reservedCents + current.spentCents)}).`,
        );
      }
      await cache.invalidate('campaigns');
      return present(actor, (await repo.findById(db, id))!);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await ownedForWrite(actor, id);
      const fanout = new Fanout();
      await db.transaction(async (tx) => {
        await deps.withdrawOpenAdRequests(tx, fanout, actor, id);
        await repo.softDelete(tx, id);
      });
      fanout.send(realtime);
      await cache.invalidate('campaigns');
    },

    async stats(actor: Actor, id: string) {
      const row = await visibleOr404(actor, id);
      if (!(actor.role === 'admin' || isOwner(actor, row)))
        throw forbidden('Only the owner and admins see campaign statistics.');
      return {
        campaignId: row.id,
        budgetCents: row.budgetCents,
        reservedCents: row.reservedCents,
        spentCents: row.spentCents,
        remainingCents: Math.max(0, row.budgetCents - row.reservedCents - row.spentCents),
        ...(await repo.dealStats(db, id)),
      };
    },

    async setFlag(actor: Actor, id: string, reason: string | null): Promise<CampaignDto> {
      const row = await visibleOr404(actor, id);
      const flagged = reason !== null;
      if (row.flagged !== flagged || (flagged && row.flagReason !== reason)) {
        const fanout = new Fanout();
        await db.transaction(async (tx) => {
          await repo.update(tx, id, { flagged, flagReason: reason });
          if (reason !== null) {
            await notify(tx, fanout, {
              userId: row.sponsorId,
              type: 'campaign_flagged',
              title: `Campaign flagged: ${row.name}`,
              body: `A moderator flagged this campaign: ${reason}. It is hidden from everyone else until it is unflagged.`,
              link: `/campaigns/${id}`,
            });
          }
          await auditRepository.record(tx, {
            actorId: actor.id,
            action: flagged ? 'campaign.flag' : 'campaign.unflag',
            subjectType: 'campaign',
            subjectId: id,
            details: flagged ? { reason } : {},
          });
        });
        fanout.send(realtime);
        await cache.invalidate('campaigns');
      }
      return present(actor, (await repo.findById(db, id))!);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
