import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LIMITS } from '@iescp/shared';

/** Shared schema pieces: problem details for the OpenAPI document, ids, string enums. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

/**
 * Response entries for the error statuses a route can answer. They are documented (and
 * serialized) as `application/problem+json`, which is what the error handler sends.
 */
export function errors(...statuses: ErrorStatus[]): Record<number, TSchema> {
  const problem = {
    description: 'Problem details (RFC 9457)',
    content: { 'application/problem+json': { schema: Ref(Problem) } },
  };
  return Object.fromEntries(statuses.map((s) => [s, problem as unknown as TSchema]));
}

export const Id = Type.String({ description: 'Opaque identifier', maxLength: 64 });
export const IdParams = Type.Object({ id: Id });

export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Timestamp = Type.String({ format: 'date-time' });
/** A non-blank single-line-ish text field of bounded length. */
export const Text = (min: number, max: number) =>
  Type.String({ minLength: min, maxLength: max, ...(min > 0 ? { pattern: '\\S' } : {}) });
export const Cents = (max: number) => Type.Integer({ minimum: 0, maximum: max });

/** A `$ref` to a registered schema that keeps its static type (TypeBox 0.34 style). */
export const Ref = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T>>(Type.Ref(schema.$id!));

/** `T | null`: optional values the API always sends, as null when absent. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `{ count }`: the answer of every unread-count route. */
export const Count = Type.Object({ count: Type.Integer({ minimum: 0 }) });

/** Why a moderator deactivates or flags (a user or a campaign). */
export const ReasonBody = Type.Object(
  { reason: Text(LIMITS.reason.min, LIMITS.reason.max) },
  { additionalProperties: false },
);
