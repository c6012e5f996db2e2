import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../../lib/pagination.js';
import { Id, StringEnum, Timestamp } from '../../lib/schemas.js';

export const LEDGER_KINDS = ['reserve', 'release', 'refund'] as const;

export const LedgerEntry = Type.Object(
  {
    id: Id,
    kind: StringEnum(LEDGER_KINDS),
    amountCents: Type.Integer(),
    campaignId: Id,
    adRequestId: Id,
    sponsorId: Id,
    influencerId: Id,
    campaign: Type.Object({ id: Id, name: Type.String() }),
    createdAt: Timestamp,
  },
  { $id: 'LedgerEntry' },
);

export const LedgerQuery = Type.Object(
  { kind: Type.Optional(StringEnum(LEDGER_KINDS)), campaignId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);
export type LedgerQuery = Static<typeof LedgerQuery>;

export const Earnings = Type.Object({
  earnedCents: Type.Integer({ description: 'Sum of releases to the influencer' }),
  pendingCents: Type.Integer({ description: 'Reserved for accepted or delivered work, paid on completion' }),
  completedCount: Type.Integer(),
  byMonth: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM' }), cents: Type.Integer() })),
});

export const LEDGER_SCHEMAS = [LedgerEntry];
