import { Type } from '@sinclair/typebox';
import { PageQuery } from '../../lib/pagination.js';
import { Timestamp } from '../../lib/schemas.js';

export const AuditEntry = Type.Object({
  id: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

export const AuditQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
