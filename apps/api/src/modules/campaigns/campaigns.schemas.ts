import { Type, type Static } from '@sinclair/typebox';
import { CAMPAIGN_SORTS, CAMPAIGN_STATUSES, CAMPAIGN_VISIBILITIES, LIMITS, NICHES } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, StringEnum, Text, Timestamp } from '../../lib/schemas.js';

const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Budget = Type.Integer({ minimum: LIMITS.campaignBudgetCents.min, maximum: LIMITS.campaignBudgetCents.max });

export const Campaign = Type.Object(
  {
    id: Id,
    sponsorId: Id,
    sponsor: Type.Object({ id: Id, displayName: Type.String(), companyName: Type.String() }),
    name: Type.String(),
    description: Type.String(),
    niche: StringEnum(NICHES),
    goals: Type.String(),
    startDate: CalendarDate,
    endDate: CalendarDate,
    budgetCents: Type.Integer(),
    reservedCents: Type.Integer(),
    spentCents: Type.Integer(),
    remainingCents: Type.Integer(),
    visibility: StringEnum(CAMPAIGN_VISIBILITIES),
    status: StringEnum(CAMPAIGN_STATUSES),
    flagged: Type.Boolean(),
    flagReason: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: 'Only for the owner and admins' }),
    ),
    abilities: Type.Object({
      edit: Type.Boolean(),
      delete: Type.Boolean(),
      flag: Type.Boolean(),
      apply: Type.Boolean(),
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Campaign' },
);
export type CampaignDto = Static<typeof Campaign>;

const fields = {
  name: Text(LIMITS.campaignName.min, LIMITS.campaignName.max),
  description: Type.String({ maxLength: LIMITS.campaignDescription.max }),
  niche: StringEnum(NICHES),
  goals: Type.String({ maxLength: LIMITS.campaignGoals.max }),
  startDate: CalendarDate,
  endDate: CalendarDate,
  budgetCents: Budget,
  visibility: StringEnum(CAMPAIGN_VISIBILITIES),
};

export const CreateCampaignBody = Type.Object(
  {
    name: fields.name,
    description: Type.Optional(fields.description),
    niche: fields.niche,
    goals: Type.Optional(fields.goals),
    startDate: fields.startDate,
    endDate: fields.endDate,
    budgetCents: fields.budgetCents,
    visibility: fields.visibility,
  },
  { additionalProperties: false },
);
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;

export const UpdateCampaignBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;

export const CampaignQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: LIMITS.search.max })),
    niche: Type.Optional(StringEnum(NICHES)),
    minBudgetCents: Type.Optional(Type.Integer({ minimum: 0 })),
    maxBudgetCents: Type.Optional(Type.Integer({ minimum: 0 })),
    status: Type.Optional(StringEnum(CAMPAIGN_STATUSES)),
    visibility: Type.Optional(StringEnum(CAMPAIGN_VISIBILITIES)),
    sponsorId: Type.Optional(Id),
    mine: Type.Optional(Type.Boolean({ description: 'Sponsors: only their own campaigns' })),
    sort: Type.Optional(StringEnum(CAMPAIGN_SORTS, { default: 'relevance' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CampaignQuery = Static<typeof CampaignQuery>;

export const CampaignStats = Type.Object(
  {
    campaignId: Id,
    budgetCents: Type.Integer(),
    reservedCents: Type.Integer(),
    spentCents: Type.Integer(),
    remainingCents: Type.Integer(),
    adRequestsByStatus: Type.Record(Type.String(), Type.Integer()),
    offersPerDay: Type.Array(Type.Object({ date: CalendarDate, count: Type.Integer() })),
  },
  { $id: 'CampaignStats' },
);

export const CAMPAIGN_SCHEMAS = [Campaign, CampaignStats];
