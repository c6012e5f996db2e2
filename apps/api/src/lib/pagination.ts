import { Type } from '@sinclair/typebox';
import { LIMITS } from '@iescp/shared';
import { validationFailed } from './errors.js';

/**
 * Keyset pagination over (createdAt, id): stable while rows are inserted, because a cursor names
 * the last row seen rather than an offset. Cursors are opaque base64url JSON.
 */
export const PageQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: LIMITS.pageSize.min, maximum: LIMITS.pageSize.max, default: LIMITS.pageSize.default }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export interface Keyset {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: Keyset): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** Undefined for a malformed cursor; callers answer 400 for that. */
export function decodeCursor(cursor: string): Keyset | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string') return undefined;
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

export function Page<T extends import('@sinclair/typebox').TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Takes `limit + 1` rows and turns the extra one into "there is a next page". */
export function toPage<T extends Keyset, R>(rows: T[], limit: number, present: (row: T) => R) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The keyset a request's `cursor` names (none for the first page); 400 for a forged one. */
export function parseCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const keyset = decodeCursor(cursor);
  if (!keyset) throw validationFailed([{ path: '/cursor', message: 'is not a valid cursor' }]);
  return keyset;
}
