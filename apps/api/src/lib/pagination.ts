import { and, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { Type, type TSchema } from '@sinclair/typebox';
import { LIMITS } from '@iescp/shared';
import { validationFailed } from './errors.js';

/** The paging part of every list's query string. */
export const PageQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: LIMITS.pageSize.min, maximum: LIMITS.pageSize.max, default: LIMITS.pageSize.default }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

/** Every list's answer: a page of items and the cursor of the next page (null at the end). */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/**
 * Keyset pagination for any sort (the one pagination of the API): the cursor holds the sort-key values of the last row, and the
 * next page is "rows after that tuple" in the sort order. Unlike offsets it is stable while rows
 * are inserted, and each page is an index range scan. The last key must be unique (the id).
 */
export interface SortKey<Row> {
  expr: SQL | PgColumn;
  dir: 'asc' | 'desc';
  /** What the value is, so a forged cursor is refused with 400 before it reaches SQL. */
  kind: 'number' | 'timestamp' | 'date' | 'uuid';
  /** Reads this key's value from a result row (the cursor of the page's last row). */
  of: (row: Row) => string | number;
}

/** Newest first by a timestamp, ties broken by the id: the order of every feed and admin list. */
export function newestFirst<Row>(
  at: PgColumn,
  id: PgColumn,
  of: (row: Row) => { at: Date; id: string },
): SortKey<Row>[] {
  return [
    { expr: at, dir: 'desc', kind: 'timestamp', of: (r) => of(r).at.toISOString() },
    { expr: id, dir: 'desc', kind: 'uuid', of: (r) => of(r).id },
  ];
}

export function orderBy<Row>(keys: SortKey<Row>[]): SQL[] {
  return keys.map((k) => (k.dir === 'asc' ? sql`${k.expr} asc` : sql`${k.expr} desc`));
}

/** `(k1 > v1) or (k1 = v1 and k2 > v2) or …`, each comparison in its key's direction. */
export function after<Row>(keys: SortKey<Row>[], values: (string | number)[]): SQL {
  const branches: SQL[] = [];
  for (let i = 0; i < keys.length; i++) {
    const equal = keys.slice(0, i).map((k, j) => sql`${k.expr} = ${values[j]}`);
    const key = keys[i]!;
    const beyond = key.dir === 'asc' ? sql`${key.expr} > ${values[i]}` : sql`${key.expr} < ${values[i]}`;
    branches.push(and(...equal, beyond)!);
  }
  return or(...branches)!;
}

export function encodeKeyset(values: (string | number)[], sort: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values })).toString('base64url');
}

const VALID: Record<SortKey<unknown>['kind'], (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  timestamp: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** The values a cursor holds for `sort`; 400 for a forged cursor or one from another sort. */
export function decodeKeyset<Row>(cursor: string, sort: string, keys: SortKey<Row>[]): (string | number)[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown };
    if (
      parsed.s === sort &&
      Array.isArray(parsed.v) &&
      parsed.v.length === keys.length &&
      parsed.v.every((value, i) => VALID[keys[i]!.kind](value))
    ) {
      return parsed.v as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw validationFailed([{ path: '/cursor', message: 'is not a valid cursor for this query' }]);
}

/** Fetches `limit + 1` rows and turns the extra one into the next cursor. */
export function keysetPage<Row, Out>(
  rows: Row[],
  limit: number,
  keys: SortKey<Row>[],
  sort: string,
  present: (row: Row) => Out,
): { items: Out[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeKeyset(
          keys.map((k) => k.of(last)),
          sort,
        )
      : null;
  return { items: items.map(present), nextCursor };
}
