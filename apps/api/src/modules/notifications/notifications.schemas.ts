import { Type, type Static } from '@sinclair/typebox';
import { NOTIFICATION_TYPES } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Id, Nullable, StringEnum, Timestamp } from '../../lib/schemas.js';

export const Notification = Type.Object(
  {
    id: Id,
    type: StringEnum(NOTIFICATION_TYPES),
    title: Type.String(),
    body: Type.String(),
    /** A path of the web app, e.g. `/ad-requests/<id>`. */
    link: Type.String(),
    readAt: Nullable(Timestamp),
    createdAt: Timestamp,
  },
  { $id: 'Notification' },
);
export type NotificationDto = Static<typeof Notification>;

export const NotificationQuery = Type.Object(
  {
    ...PageQuery,
    unread: Type.Optional(Type.Boolean({ description: 'Only notifications not yet read' })),
  },
  { additionalProperties: false },
);
export type NotificationQueryInput = Static<typeof NotificationQuery>;

const EmailChoices = Type.Object(
  Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, Type.Boolean()])) as Record<
    (typeof NOTIFICATION_TYPES)[number],
    ReturnType<typeof Type.Boolean>
  >,
  { additionalProperties: false },
);

export const NotificationSettings = Type.Object(
  {
    /** Per type, whether it also comes by email (the in-app notification always comes). */
    email: EmailChoices,
    /** An `https` Google Chat incoming-webhook URL where daily reminders are also posted, or null. */
    chatWebhookUrl: Nullable(Type.String()),
  },
  { $id: 'NotificationSettings' },
);
export type NotificationSettingsDto = Static<typeof NotificationSettings>;

export const NotificationSettingsPatch = Type.Object(
  {
    email: Type.Optional(Type.Partial(EmailChoices, { additionalProperties: false })),
    /** https only, on a host of WEBHOOK_ALLOWED_HOSTS (so it can never point inside); null removes it. */
    chatWebhookUrl: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000 }))),
  },
  // An empty patch is a mistake, not a no-op.
  { additionalProperties: false, minProperties: 1 },
);
export type NotificationSettingsPatchInput = Static<typeof NotificationSettingsPatch>;

export const ReadAllResult = Type.Object({ count: Type.Integer({ minimum: 0, description: 'How many were marked' }) });

export const NOTIFICATION_SCHEMAS = [Notification, NotificationSettings];
