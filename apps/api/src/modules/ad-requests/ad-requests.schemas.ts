import { Type, type Static } from '@sinclair/typebox';
import { AD_REQUEST_STATUSES, LIMITS, PARTIES } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, StringEnum, Timestamp } from '../../lib/schemas.js';

const Payment = Type.Integer({ minimum: LIMITS.paymentCents.min, maximum: LIMITS.paymentCents.max });
const Requirements = Type.String({ maxLength: LIMITS.requirements.max });
const Message = Type.String({ maxLength: LIMITS.offerMessage.max });
const Note = (min: number) =>
  Type.String({ minLength: min, maxLength: LIMITS.note.max, ...(min > 0 ? { pattern: '\\S' } : {}) });

/** The actions a party may take now, computed from the shared transition table. */
export const AdRequestAbilities = Type.Object({
  edit: Type.Boolean(),
  counter: Type.Boolean(),
  accept: Type.Boolean(),
  reject: Type.Boolean(),
  withdraw: Type.Boolean(),
  deliver: Type.Boolean(),
  requestRevision: Type.Boolean(),
  complete: Type.Boolean(),
  cancel: Type.Boolean(),
  delete: Type.Boolean(),
});

export const Offer = Type.Object({
  version: Type.Integer(),
  by: StringEnum(PARTIES),
  paymentCents: Type.Integer(),
  requirements: Type.String(),
  message: Nullable(Type.String()),
  at: Timestamp,
});

export const AdRequest = Type.Object(
  {
    id: Id,
    campaignId: Id,
    campaign: Type.Object({ id: Id, name: Type.String() }),
    sponsorId: Id,
    sponsor: Type.Object({ id: Id, displayName: Type.String(), companyName: Type.String() }),
    influencerId: Id,
    influencer: Type.Object({ id: Id, displayName: Type.String() }),
    requirements: Type.String(),
    paymentCents: Type.Integer(),
    status: StringEnum(AD_REQUEST_STATUSES),
    awaitingParty: Nullable(StringEnum(PARTIES)),
    initiatedBy: StringEnum(PARTIES),
    offerVersion: Type.Integer(),
    deliverableUrl: Nullable(Type.String()),
    deliveryNote: Nullable(Type.String()),
    offers: Type.Array(Offer),
    abilities: AdRequestAbilities,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'AdRequest' },
);
export type AdRequestDto = Static<typeof AdRequest>;

export const CreateAdRequestBody = Type.Object(
  {
    campaignId: Id,
    influencerId: Type.Optional(Id),
    requirements: Type.Optional(Requirements),
    paymentCents: Payment,
    message: Type.Optional(Message),
  },
  {
    additionalProperties: false,
    description: 'A sponsor invites (with influencerId); an influencer applies (without)',
  },
);
export type CreateAdRequestBody = Static<typeof CreateAdRequestBody>;

export const EditBody = Type.Object(
  { requirements: Type.Optional(Requirements), paymentCents: Type.Optional(Payment) },
  { additionalProperties: false, minProperties: 1 },
);
export const CounterBody = Type.Object(
  { paymentCents: Payment, requirements: Type.Optional(Requirements), message: Type.Optional(Message) },
  { additionalProperties: false },
);
export const AcceptBody = Type.Object(
  { offerVersion: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export const RejectBody = Type.Object({ message: Type.Optional(Message) }, { additionalProperties: false });
export const DeliverBody = Type.Object(
  {
    deliverableUrl: Type.String({ maxLength: LIMITS.deliverableUrl.max, pattern: '^https?://[^\\s]+$', format: 'uri' }),
    note: Type.Optional(Note(0)),
  },
  { additionalProperties: false },
);
export const RevisionBody = Type.Object({ note: Note(1) }, { additionalProperties: false });
export const CancelBody = Type.Object({ reason: Note(1) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const AdRequestQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: `^(${AD_REQUEST_STATUSES.join('|')})(,(${AD_REQUEST_STATUSES.join('|')}))*$`,
        description: 'One status, or several separated by commas (e.g. rejected,withdrawn,cancelled,expired)',
      }),
    ),
    campaignId: Type.Optional(Id),
    awaiting: Type.Optional(StringEnum(['me'] as const, { description: 'Only requests waiting for the caller' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AdRequestQuery = Static<typeof AdRequestQuery>;

export const AD_REQUEST_SCHEMAS = [AdRequest];
