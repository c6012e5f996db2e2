import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from '@iescp/shared';
import { PageQuery } from '../../lib/pagination.js';
import { Nullable, Timestamp } from '../../lib/schemas.js';

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    actor: Type.Union([
      Type.Object({ id: Type.String(), displayName: Type.String(), email: Type.Optional(Type.String()) }),
      Type.Null(),
    ]),
    action: Type.String(),
    subjectType: Type.String(),
    subjectId: Type.Union([Type.String(), Type.Null()]),
    /** What the subject is called now (a user's name, a campaign's name, a deal's campaign), when it still exists. */
    subjectLabel: Type.Optional(Nullable(Type.String())),
    details: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Timestamp,
  },
  { $id: 'AuditEntry' },
);

const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD (UTC), inclusive' });
const ActionName = '[a-z][a-z_]*(\\.[a-z_]+)*';

/** Every filter is optional and they combine with AND; paging is the usual keyset cursor. */
export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    actorId: Type.Optional(Uuid),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: LIMITS.search.max, description: 'part of the actor’s email or name' }),
    ),
    action: Type.Optional(
      Type.String({
        maxLength: 400,
        pattern: `^${ActionName}(,${ActionName})*$`,
        description: 'one action, or several separated by commas (e.g. user.flag,user.unflag)',
      }),
    ),
    subjectType: Type.Optional(Type.String({ maxLength: 40, pattern: '^[a-z][a-z_]*$' })),
    subjectId: Type.Optional(Uuid),
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

/** Schemas referenced by `$ref`; registered once with `app.addSchema`. */
export const AUDIT_SCHEMAS = [AuditEntry];
