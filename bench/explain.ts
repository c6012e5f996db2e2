import type pg from 'pg';
import type { Captured } from './protocol.js';

/** Tables large enough at bench size that a sequential scan on them is a finding. */
export const LARGE_TABLES = ['campaigns', 'influencer_profiles', 'influencer_platforms', 'users'] as const;

/** A search statement slower than this at bench size is a finding even when it uses indexes. */
export const SLOW_MS = 50;

/** The statements of a request worth explaining: the searches, not the auth lookup. */
const SEARCH_STATEMENT = /from "(campaigns|influencer_profiles|influencer_platforms)"/i;

export interface Plan {
  label: string;
  sql: string;
  values: unknown[];
  lines: string[];
  /** Node lines without estimated costs, plus the timing lines. */
  summary: string[];
  seqScans: string[];
  executionMs: number;
  /** Shared buffers (8 kB pages) the whole statement touched: hit + read. */
  buffers: number;
}

export function searchStatements(statements: Captured[]): Captured[] {
  return statements.filter((s) => SEARCH_STATEMENT.test(s.text));
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement with the parameters the app bound. */
export async function explain(client: pg.Client, label: string, statement: Captured): Promise<Plan> {
  const result = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
    statement.values,
  );
  const lines = result.rows.map((r) => r['QUERY PLAN']);
  const summary = lines
    .filter((l, i) => i === 0 || l.includes('->') || /^(Planning|Execution) Time/.test(l))
    .map((l) => l.replace(/\s*\(cost=[^)]*\)/, ''));
  const seqScans = [
    ...new Set(
      lines
        .map((l) => /Seq Scan on (\w+)/.exec(l)?.[1])
        .filter((t): t is string => t !== undefined && (LARGE_TABLES as readonly string[]).includes(t)),
    ),
  ];
  const execution = lines.map((l) => /^Execution Time: ([\d.]+) ms/.exec(l)?.[1]).find(Boolean);
  // The first Buffers line belongs to the root node: the statement's total.
  const rootBuffers = lines.find((l) => /^\s*Buffers: shared/.test(l)) ?? '';
  const buffers = [...rootBuffers.matchAll(/(?:hit|read)=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    label,
    sql: statement.text,
    values: statement.values,
    lines,
    summary,
    seqScans,
    executionMs: execution ? Number(execution) : NaN,
    buffers,
  };
}

/** Which index each plan uses, as printed lines (the proof the issue asks for). */
export function indexesUsed(plan: Plan): string[] {
  return [
    ...new Set(
      plan.lines
        .map((l) => /(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/.exec(l)?.[1])
        .filter((x): x is string => x !== undefined),
    ),
  ];
}
