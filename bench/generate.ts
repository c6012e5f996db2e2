import type pg from 'pg';
import {
  ADJECTIVES,
  BRAND_PREFIXES,
  BRAND_SUFFIXES,
  CAMPAIGN_NOUNS,
  CITIES,
  COUNTRIES,
  FIRST_NAMES,
  FLAT_TOPICS,
  FORMATS,
  GOALS,
  INDUSTRIES,
  LAST_NAMES,
  NICHES,
  PLATFORMS,
  PRODUCTS,
  sqlArray,
  TOPICS_PER_NICHE,
  VERBS,
} from './vocabulary.js';

/**
 * The bench data set, generated set-based inside PostgreSQL (`INSERT … SELECT … FROM
 * generate_series`): no rows cross the wire, so 100k campaigns take seconds. Every value is a
 * pure function of the row number (`hashtext(tag || i)`), so two runs produce the same data and
 * the same ids (`md5('campaign:' || i)::uuid`), and campaigns can name their sponsor without a join.
 */

/** Bump when the generated data changes shape, so an old data set is not reused. */
export const DATASET_VERSION = 1;
export const MARKER_KEY = 'bench:dataset';

export interface DatasetSize {
  sponsors: number;
  influencers: number;
  campaigns: number;
}

export interface Step {
  step: string;
  rows: number;
  ms: number;
}

/** A deterministic non-negative pseudo-random integer (0..2^31-1) for row `g.i` and `tag`. */
const h = (tag: string) => `(hashtext('${tag}:' || g.i)::bigint & 2147483647)`;
/** The same as a fraction in [0, 1). */
const u = (tag: string) => `(${h(tag)} / 2147483648.0)`;
/** Element of a text array literal picked by `tag`. */
const pick = (values: readonly string[], tag: string) => `(${sqlArray(values)})[1 + ${h(tag)} % ${values.length}]`;

/** Another element of the same array than `pick(values, tag)` chose. */
const pickOther = (values: readonly string[], tag: string, tag2: string) =>
  `(${sqlArray(values)})[1 + (${h(tag)} + 1 + ${h(tag2)} % ${values.length - 1}) % ${values.length}]`;

const UTC_TODAY = `(now() at time zone 'utc')::date`;
const BENCH_HASH = 'bench:no-login'; // not a valid argon2 hash: nobody can log in as bench users

async function timed(client: pg.Client, steps: Step[], step: string, sql: string, params: unknown[] = []) {
  const started = performance.now();
  const result = await client.query(sql, params);
  const ms = performance.now() - started;
  steps.push({ step, rows: result.rowCount ?? 0, ms });
  const rows = result.rowCount ? `${result.rowCount.toLocaleString('en-US')} rows` : '';
  process.stdout.write(`  ${step.padEnd(44)} ${rows.padStart(14)}  ${fmtMs(ms).padStart(8)}\n`);
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

async function sponsors(client: pg.Client, steps: Step[], n: number) {
  const brand = `${pick(BRAND_PREFIXES, 'sb')} || ' ' || ${pick(BRAND_SUFFIXES, 'ss')}`;
  // A few sponsors are deactivated or flagged, so the visibility condition has work to do.
  await timed(
    client,
    steps,
    'users (sponsors)',
    `INSERT INTO users (id, email, password_hash, role, status, flagged, flag_reason, deactivation_reason,
                        display_name, approved_at, created_at, updated_at)
     SELECT md5('sponsor:' || g.i)::uuid, 'sponsor-' || g.i || '@bench.iescp.test', '${BENCH_HASH}', 'sponsor',
            (CASE WHEN g.i % 67 = 0 THEN 'deactivated' ELSE 'active' END)::user_status,
            g.i % 50 = 0, CASE WHEN g.i % 50 = 0 THEN 'Misleading claims (bench data)' END,
            CASE WHEN g.i % 67 = 0 THEN 'Closed (bench data)' END,
            ${brand}, now() - interval '800 days', now() - interval '800 days', now() - interval '800 days'
     FROM generate_series(1, $1::int) AS g(i)`,
    [n],
  );
  await timed(
    client,
    steps,
    'sponsor_profiles',
    `INSERT INTO sponsor_profiles (user_id, company_name, industry, website, bio, budget_cents)
     SELECT md5('sponsor:' || g.i)::uuid, ${brand} || ' ' || g.i, ${pick(INDUSTRIES, 'si')},
            'https://sponsor-' || g.i || '.bench.example', 'Bench sponsor ' || g.i, (1 + ${h('sbud')} % 1000) * 100000
     FROM generate_series(1, $1::int) AS g(i)`,
    [n],
  );
}

async function influencers(client: pg.Client, steps: Step[], n: number) {
  const first = pick(FIRST_NAMES, 'if');
  const niche = `(${h('in')} % ${NICHES.length})`;
  const topic = (tag: string) =>
    `(${sqlArray(FLAT_TOPICS)})[${niche} * ${TOPICS_PER_NICHE} + 1 + ${h(tag)} % ${TOPICS_PER_NICHE}]`;
  await timed(
    client,
    steps,
    'users (influencers)',
    `INSERT INTO users (id, email, password_hash, role, status, flagged, flag_reason, deactivation_reason,
                        display_name, created_at, updated_at)
     SELECT md5('influencer:' || g.i)::uuid, 'influencer-' || g.i || '@bench.iescp.test', '${BENCH_HASH}',
            'influencer', (CASE WHEN ${h('ist')} % 200 = 0 THEN 'deactivated' ELSE 'active' END)::user_status,
            ${h('ifl')} % 200 = 0, CASE WHEN ${h('ifl')} % 200 = 0 THEN 'Fake audience (bench data)' END,
            CASE WHEN ${h('ist')} % 200 = 0 THEN 'Left (bench data)' END,
            ${first} || ' ' || ${pick(LAST_NAMES, 'il')}, c.at, c.at
     FROM generate_series(1, $1::int) AS g(i)
     CROSS JOIN LATERAL (SELECT now() - ${h('ic')} % (730 * 86400) * interval '1 second' AS at) c`,
    [n],
  );
  // Platforms before profiles: the profile's BEFORE INSERT trigger then builds the search
  // document (name, handles, bio) once, instead of the platforms' trigger rewriting it per row.
  await timed(
    client,
    steps,
    'influencer_platforms (1-3 each)',
    `INSERT INTO influencer_platforms (user_id, position, platform, handle, followers)
     SELECT md5('influencer:' || g.i)::uuid, p.pos,
            (${sqlArray(PLATFORMS)})[1 + (${h('ipf')} + p.pos) % ${PLATFORMS.length}]::platform,
            '@' || lower(${first}) || '_' || ${topic('it')} || g.i || CASE WHEN p.pos > 0 THEN '_' || p.pos ELSE '' END,
            round(500 * power(4000, (hashtext('ifo:' || g.i || ':' || p.pos)::bigint & 2147483647) / 2147483648.0))::bigint
     FROM generate_series(1, $1::int) AS g(i)
     CROSS JOIN LATERAL generate_series(0, (${h('ipn')} % 3)::int) AS p(pos)`,
    [n],
  );
  await timed(
    client,
    steps,
    'influencer_profiles (+ search trigger)',
    `INSERT INTO influencer_profiles (user_id, bio, niche, country, rate_cents, engagement_rate, reach,
                                      rating_avg, rating_count)
     SELECT x.id,
            initcap(${topic('it')}) || ' creator from ' || ${pick(CITIES, 'icy')} || '. Sharing ' || ${topic('it2')}
              || ' tips, ' || ${pick(FORMATS, 'ifm')} || ' and honest reviews.',
            (${sqlArray(NICHES)})[1 + ${niche}]::niche,
            ${pick(COUNTRIES, 'ico')},
            (round(50 * power(100, ${u('irt')})) * 100)::bigint,
            round((0.5 + ${u('ier')} * 11.5)::numeric, 2),
            (SELECT coalesce(sum(followers), 0) FROM influencer_platforms ip WHERE ip.user_id = x.id),
            CASE WHEN ${h('ira')} % 10 < 3 THEN NULL ELSE round((1 + (${h('irv')} % 401) / 100.0)::numeric, 2) END,
            CASE WHEN ${h('ira')} % 10 < 3 THEN 0 ELSE 1 + ${h('irc')} % 200 END
     FROM generate_series(1, $1::int) AS g(i)
     CROSS JOIN LATERAL (SELECT md5('influencer:' || g.i)::uuid AS id) x`,
    [n],
  );
}

async function campaigns(client: pg.Client, steps: Step[], n: number, sponsorCount: number) {
  const niche = `(${h('cn')} % ${NICHES.length})`;
  const topic = (tag: string) =>
    `(${sqlArray(FLAT_TOPICS)})[${niche} * ${TOPICS_PER_NICHE} + 1 + ${h(tag)} % ${TOPICS_PER_NICHE}]`;
  const batch = 25_000;
  for (let lo = 1; lo <= n; lo += batch) {
    const hi = Math.min(n, lo + batch - 1);
    // Starts from 18 months ago to 3 months ahead, 1 week to 6 months long: most campaigns have
    // ended, ~15% run today and ~15% are upcoming; budgets log-uniform from $100 to $500k;
    // created up to 45 days before the start and never in the future.
    await timed(
      client,
      steps,
      `campaigns ${lo}-${hi}`,
      `INSERT INTO campaigns (id, sponsor_id, name, description, niche, goals, start_date, end_date, budget_cents,
                              reserved_cents, spent_cents, visibility, flagged, flag_reason, deleted_at,
                              created_at, updated_at)
       SELECT md5('campaign:' || g.i)::uuid,
              md5('sponsor:' || (1 + ${h('cs')} % $3::int))::uuid,
              initcap(${pick(ADJECTIVES, 'ca')} || ' ' || ${topic('ct')} || ' ' || ${pick(CAMPAIGN_NOUNS, 'cw')}),
              'Looking for ' || ${topic('ct')} || ' creators to ' || ${pick(VERBS, 'cv')} || ' our '
                || ${pick(ADJECTIVES, 'ca2')} || ' ' || ${pick(PRODUCTS, 'cp')} || '. Deliverables: '
                || (1 + ${h('cd')} % 5) || ' ' || ${pick(FORMATS, 'cf')} || ' and ' || ${pickOther(FORMATS, 'cf', 'cf2')}
                || ' about ' || ${topic('ct2')} || ', posted within two weeks of the start date.',
              (${sqlArray(NICHES)})[1 + ${niche}]::niche,
              ${pick(GOALS, 'cg')},
              d.start_date, d.start_date + (7 + ${h('cl')} % 174)::int,
              b.budget,
              CASE WHEN d.start_date + (7 + ${h('cl')} % 174)::int < ${UTC_TODAY} THEN 0
                   ELSE b.budget * (${h('cr')} % 30) / 100 END,
              b.budget * (${h('cx')} % 50) / 100,
              (CASE WHEN ${h('cvis')} % 10 < 8 THEN 'public' ELSE 'private' END)::campaign_visibility,
              ${h('cfl')} % 200 = 0, CASE WHEN ${h('cfl')} % 200 = 0 THEN 'Reported as spam (bench data)' END,
              CASE WHEN ${h('cdel')} % 100 = 0 THEN now() END,
              c.at, c.at
       FROM generate_series($1::int, $2::int) AS g(i)
       CROSS JOIN LATERAL (SELECT ${UTC_TODAY} + ((${h('csd')} % 631) - 540)::int AS start_date) d
       CROSS JOIN LATERAL (SELECT (round(100 * power(5000, ${u('cb')})) * 100)::bigint AS budget) b
       CROSS JOIN LATERAL (SELECT least(now() - ${h('cnow')} % (30 * 86400) * interval '1 second',
                                        (d.start_date - (${h('cc')} % 45)::int)::timestamptz
                                          + ${h('cct')} % 86400 * interval '1 second') AS at) c`,
      [lo, hi, sponsorCount],
    );
  }
}

/** Counts as recorded by the last complete generation, or undefined if there is none. */
export async function existingDataset(client: pg.Client): Promise<(DatasetSize & { version: number }) | undefined> {
  const exists = await client.query(`select to_regclass('public.app_settings') is not null as ok`);
  if (!exists.rows[0]?.ok) return undefined;
  const marker = await client.query<{ value: string }>(`select value from app_settings where key = $1`, [MARKER_KEY]);
  if (!marker.rows[0]) return undefined;
  return JSON.parse(marker.rows[0].value) as DatasetSize & { version: number };
}

/** Fills an empty, migrated database; returns each step's time. */
export async function generate(client: pg.Client, size: DatasetSize): Promise<Step[]> {
  const steps: Step[] = [];
  await client.query('BEGIN');
  await sponsors(client, steps, size.sponsors);
  await influencers(client, steps, size.influencers);
  await client.query('COMMIT');
  // Campaigns commit per batch, so a large run shows progress and never holds one huge transaction.
  await campaigns(client, steps, size.campaigns, size.sponsors);
  // Fresh statistics and a visibility map (index-only scans), as on a settled production database.
  await timed(client, steps, 'VACUUM (ANALYZE)', 'VACUUM (ANALYZE)');
  await client.query(`insert into app_settings (key, value) values ($1, $2)`, [
    MARKER_KEY,
    JSON.stringify({ ...size, version: DATASET_VERSION }),
  ]);
  return steps;
}
