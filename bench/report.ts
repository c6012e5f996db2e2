import { indexesUsed, SLOW_MS, type Plan } from './explain.js';
import { fmtMs, type Step } from './generate.js';
import type { ScenarioResult } from './scenarios.js';

export interface ReportInput {
  environment: string[];
  generation: { reused: boolean; steps: Step[]; totalMs: number; counts: Record<string, number> };
  sampleBytes: number;
  bareBytes: number;
  results: ScenarioResult[];
  plans: Plan[];
}

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The results table: one row per scenario, throughput relative to the bare route. */
export function resultsTable(results: ScenarioResult[]): string {
  const bare = results.find((r) => r.name.startsWith('bare'))?.rps ?? NaN;
  const rows = results.map((r) => [
    r.problems.length > 0 ? `${r.name} ⚠` : r.name,
    num(r.rps),
    num(r.p50, 1),
    num(r.p99, 1),
    Number.isFinite(bare) && bare > 0 ? `${(r.rps / bare).toFixed(3)}` : 'n/a',
    r.problems.length > 0 ? r.problems.join('; ') : '0',
  ]);
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i === 5 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function generationLines(g: ReportInput['generation']): string[] {
  if (g.reused) {
    return [`Reused the existing data set (${countsText(g.counts)}); BENCH_REGENERATE=1 rebuilds it.`];
  }
  return [
    `Generated ${countsText(g.counts)} in ${fmtMs(g.totalMs)}:`,
    ...g.steps.map(
      (s) =>
        `  ${s.step.padEnd(44)} ${(s.rows > 0 ? `${num(s.rows)} rows` : '').padStart(14)}  ${fmtMs(s.ms).padStart(8)}`,
    ),
  ];
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${num(v)} ${k}`)
    .join(', ');
}

/** Whether a plan stays on indexes and is fast, in one line. */
export function verdict(plan: Plan): string {
  const used = indexesUsed(plan);
  const cost = `${plan.executionMs.toFixed(1)} ms, ${num(plan.buffers)} buffers`;
  const slow = plan.executionMs > SLOW_MS ? ` — SLOW (> ${SLOW_MS} ms)` : '';
  if (plan.seqScans.length > 0) {
    const also = used.length ? `; indexes used: ${used.join(', ')}` : '';
    return `SEQ SCAN on ${plan.seqScans.join(', ')}${also} (${cost})${slow}`;
  }
  const how = used.length > 0 ? `index scans only: ${used.join(', ')}` : 'no large table touched';
  return `${slow ? 'indexes, but' : 'OK,'} ${how} (${cost})${slow}`;
}

/** The short form printed to stdout: title, request, verdict and the plan nodes. */
export function planSummary(plan: Plan): string[] {
  const [title, ...request] = plan.label.split('\n');
  return [
    `▸ ${title}`,
    ...request.map((l) => `    ${l.trim()}`),
    `    => ${verdict(plan)}`,
    ...plan.summary.map((l) => `    ${l}`),
  ];
}

export function markdown(input: ReportInput): string {
  const out: string[] = [
    '# IESCP bench — latest run',
    '',
    ...input.environment.map((l) => `- ${l}`),
    '',
    '## Data set',
    '',
    '```',
    ...generationLines(input.generation),
    '```',
    '',
    '## Throughput and latency',
    '',
    `Typical campaign-search response: ${num(input.sampleBytes)} bytes; the bare route answers ${num(input.bareBytes)} bytes.`,
    '',
    resultsTable(input.results),
    '',
    'Cache headers seen per scenario (measured phase):',
    '',
    ...input.results.map(
      (r) =>
        `- ${r.name}: ${Object.entries(r.cache)
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')} — ${num(r.requests)} requests, ${num(r.avgBytes)} bytes per response with headers`,
    ),
    '',
    '## Query plans (EXPLAIN (ANALYZE, BUFFERS), at this data size)',
    '',
  ];
  for (const plan of input.plans) {
    const [title, ...request] = plan.label.split('\n');
    out.push(`### ${title}`, '', ...request.map((l) => `\`${l.trim()}\``), '', `**${verdict(plan)}**`, '');
    out.push('```sql', plan.sql, '```', '');
    out.push(`Parameters: \`${JSON.stringify(plan.values)}\``, '', '```', ...plan.lines, '```', '');
  }
  return out.join('\n');
}
