import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, StringEnum, Timestamp } from '../../lib/schemas.js';

export const MAIL_STATUS_VALUES = ['queued', 'sent', 'failed'] as const;

export const OutboxItem = Type.Object(
  {
    id: Id,
    to: Type.String(),
    subject: Type.String(),
    /** What the mail is about (a notification type…), the unit of unsubscribing. */
    kind: Type.String(),
    /** `sent` in outbox mode (no SMTP_URL) means kept in the local outbox. */
    status: StringEnum(MAIL_STATUS_VALUES),
    attempts: Type.Integer({ minimum: 0, description: 'Delivery attempts made so far' }),
    error: Nullable(Type.String({ description: 'What the last failed attempt said' })),
    createdAt: Timestamp,
    sentAt: Nullable(Timestamp),
  },
  { $id: 'OutboxItem' },
);
export type OutboxItemDto = Static<typeof OutboxItem>;

export const OutboxMail = Type.Object(
  {
    ...OutboxItem.properties,
    html: Type.String(),
    text: Type.String(),
    headers: Type.Record(Type.String(), Type.String()),
  },
  { $id: 'OutboxMail' },
);
export type OutboxMailDto = Static<typeof OutboxMail>;

export const OutboxQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(StringEnum(MAIL_STATUS_VALUES)) },
  { additionalProperties: false },
);
export type OutboxQueryInput = Static<typeof OutboxQuery>;

/**
 * The one-click unsubscribe: `{token}` as JSON (the web app), or what a mail client sends per
 * RFC 8058 — a form body `List-Unsubscribe=One-Click` to the URL that carries the token.
 */
export const UnsubscribeBody = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    'List-Unsubscribe': Type.Optional(Type.Literal('One-Click')),
  },
  { additionalProperties: false },
);
export const UnsubscribeQuery = Type.Object(
  { token: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
export const UnsubscribeResult = Type.Object({
  /** The kind of mail now off for that user. */
  kind: Type.String(),
  email: Type.Literal(false),
});

export const MAIL_SCHEMAS = [OutboxItem, OutboxMail];
