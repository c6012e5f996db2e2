import { Type, type Static } from '@sinclair/typebox';
import { LIMITS, MESSAGE_KINDS, ROLES } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, Ref, StringEnum, Timestamp } from '../../lib/schemas.js';

export const Message = Type.Object(
  {
    id: Id,
    conversationId: Id,
    /** Null for events the system made (expiry, auto-completion). */
    senderId: Nullable(Id),
    kind: StringEnum(MESSAGE_KINDS),
    /** Plain text exactly as typed; clients must render it as text, never as HTML. */
    body: Type.String(),
    /** Event messages: the ad request the event is about. */
    adRequestId: Type.Optional(Id),
    /** Event messages: what happened, for the chat card. */
    event: Type.Optional(Type.Object({ action: Type.String(), status: Type.String(), paymentCents: Type.Integer() })),
    createdAt: Timestamp,
  },
  { $id: 'Message' },
);
export type MessageDto = Static<typeof Message>;

export const OtherParty = Type.Object({
  id: Id,
  displayName: Type.String(),
  /** Sponsors' company; null for influencers. */
  companyName: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  role: StringEnum(ROLES),
});

export const Conversation = Type.Object(
  {
    id: Id,
    otherParty: OtherParty,
    lastMessage: Nullable(Ref(Message)),
    /** Messages from the other party (and system events) since the caller last read. */
    unreadCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Conversation' },
);
export type ConversationDto = Static<typeof Conversation>;

export const StartConversationBody = Type.Object(
  { participantId: Type.String({ minLength: 1, maxLength: 64, description: 'The user id of the other party' }) },
  { additionalProperties: false },
);

export const SendMessageBody = Type.Object(
  {
    body: Type.String({
      minLength: LIMITS.messageBody.min,
      maxLength: LIMITS.messageBody.max,
      pattern: '\\S',
      description: 'Plain text, stored exactly as typed (must not be only whitespace)',
    }),
  },
  { additionalProperties: false },
);

export const ConversationQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const MessageQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type PageQueryInput = Static<typeof ConversationQuery>;

export const MESSAGING_SCHEMAS = [Message, Conversation];
