import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, users } from '../../../src/db/schema/index.js';
import { call, createTestApp, factories, type TestContext, type TestUser } from '../../support/helpers.js';
import { expectProblem, expectValidation } from '../../support/fixtures/http.js';
import { createCampaign, insertCampaignRows } from '../../support/fixtures/search-campaigns.js';
import {
  addDays,
  asc,
  byKeys,
  desc,
  expectOrder,
  forgeCursor,
  matchesPrefix,
  page,
  statusOn,
  tieGroups,
  todayUtc,
  walk,
  words,
  type Params,
} from '../../support/fixtures/search-support.js';

/**
 * GET /campaigns against a reference computed in TypeScript: a fixture of ~40 campaigns (niches,
 * budgets, dates, visibility, flags, deleted rows, sponsors in and out of good standing) and, for
 * every filter, sort and several combinations, the same ids in the same order for each kind of
 * viewer, walking every page.
 */

let ctx: TestContext;
let f: ReturnType<typeof factories>;
let admin: TestUser;
let sA: TestUser;
let sB: TestUser;
let sV: TestUser;
let sFlagged: TestUser;
let sDeact: TestUser;
let sBulk: TestUser;
let influencer: TestUser;
/** Campaign id → fixture name, for readable failures. */
const names = new Map<string, string>();

type Owner = 'A' | 'B' | 'V' | 'F' | 'D';
interface Spec {
  owner: Owner;
  niche: string;
  budget: number;
  start: number;
  end: number;
  visibility: 'public' | 'private';
  flagged?: boolean;
  deleted?: boolean;
  name: string;
  goals?: string;
  description?: string;
}

/**
 * Hand-written rows carry the words the text tests look for; each matching row holds the typed
 * prefix exactly once, in one field, so the relevance order is known: name > goals > description.
 */
const HAND: Spec[] = [
  {
    owner: 'A',
    niche: 'fitness',
    budget: 50_000,
    start: -10,
    end: 20,
    visibility: 'public',
    name: 'Fitness Bootcamp Launch',
    goals: 'More gym members',
    description: 'Morning routines on video',
  },
  {
    owner: 'A',
    niche: 'food',
    budget: 12_000,
    start: 5,
    end: 40,
    visibility: 'public',
    name: 'Summer Sale Blitz',
    goals: 'Clear the stock',
    description: 'Short clips of the new menu',
  },
  {
    owner: 'B',
    niche: 'travel',
    budget: 12_000,
    start: -30,
    end: -2,
    visibility: 'public',
    name: 'Island Hopping Diaries',
    goals: 'Bookings for autumn',
    description: 'Outfit ideas for beach days',
  },
  {
    owner: 'B',
    niche: 'fitness',
    budget: 300_000,
    start: -5,
    end: 5,
    visibility: 'public',
    name: 'Summer Fit Challenge',
    goals: 'Thirty day streaks',
    description: 'Daily check ins',
  },
  {
    owner: 'A',
    niche: 'tech',
    budget: 999,
    start: 0,
    end: 0,
    visibility: 'public',
    name: 'Gadget Unboxing Week',
    goals: 'Grow fitness app installs',
    description: 'Reviews of the new phone',
  },
  {
    owner: 'A',
    niche: 'beauty',
    budget: 75_000,
    start: 1,
    end: 30,
    visibility: 'private',
    name: 'Glow Serum Teaser',
    goals: 'Pre orders',
    description: 'Creators who love fitted clothing',
  },
  {
    owner: 'V',
    niche: 'gaming',
    budget: 5_000,
    start: -100,
    end: -50,
    visibility: 'public',
    name: 'Retro Arcade Night',
    goals: 'Streams on weekends',
    description: 'Pixel art giveaways',
  },
  {
    owner: 'B',
    niche: 'food',
    budget: 75_000,
    start: -1,
    end: 1,
    visibility: 'private',
    name: 'Street Food Tour',
    goals: 'Footfall in stores',
    description: 'Summertime salesforce push',
  },
  {
    owner: 'F',
    niche: 'fitness',
    budget: 20_000,
    start: -3,
    end: 60,
    visibility: 'public',
    name: 'Fitness Gear Week',
    goals: 'Catalogue views',
    description: 'Unboxings',
  },
  {
    owner: 'D',
    niche: 'tech',
    budget: 40_000,
    start: -3,
    end: 60,
    visibility: 'public',
    name: 'Smart Home Week',
    goals: 'Fitness trackers everywhere',
    description: 'Living room demos',
  },
  {
    owner: 'A',
    niche: 'gaming',
    budget: 150_000,
    start: -10,
    end: 10,
    visibility: 'public',
    flagged: true,
    name: 'Loot Box Bonanza',
    goals: 'Summer engagement',
    description: 'Fitness of the odds',
  },
  {
    owner: 'A',
    niche: 'fitness',
    budget: 1_000_000,
    start: 10,
    end: 100,
    visibility: 'public',
    name: 'Marathon Training Plan',
    goals: 'Runners in every city',
    description: 'Sale on shoes',
  },
  {
    owner: 'B',
    niche: 'beauty',
    budget: 500,
    start: -2,
    end: 3,
    visibility: 'public',
    name: 'Lipstick Lab',
    goals: 'Summer sale conversions',
    description: 'Swatches',
  },
  {
    owner: 'A',
    niche: 'travel',
    budget: 12_000,
    start: -60,
    end: -30,
    visibility: 'private',
    name: 'Mountain Retreat',
    goals: 'Quiet bookings',
    description: 'Cabins',
  },
  {
    owner: 'B',
    niche: 'tech',
    budget: 250_000,
    start: 0,
    end: 14,
    visibility: 'public',
    name: 'Cloud Backup Promo',
    goals: 'Trials',
    description: 'Explainers',
  },
  {
    owner: 'A',
    niche: 'food',
    budget: 5_000,
    start: 2,
    end: 2,
    visibility: 'public',
    name: 'Vegan Brunch',
    goals: 'Reservations',
    description: 'Plates',
  },
  {
    owner: 'B',
    niche: 'fitness',
    budget: 100,
    start: -20,
    end: 3,
    visibility: 'public',
    deleted: true,
    name: 'Fitness Deleted Plan',
    goals: 'Gone',
    description: 'Removed',
  },
  {
    owner: 'A',
    niche: 'fitness',
    budget: 30_000,
    start: -1,
    end: 25,
    visibility: 'public',
    name: 'Yoga For Everyone',
    goals: 'Fitness habit',
    description: 'Mats and calm',
  },
  {
    owner: 'V',
    niche: 'fitness',
    budget: 30_000,
    start: -1,
    end: 25,
    visibility: 'private',
    name: 'Pilates Private Beta',
    goals: 'Early members',
    description: 'For fitness studios',
  },
  {
    owner: 'B',
    niche: 'gaming',
    budget: 30_000,
    start: 3,
    end: 25,
    visibility: 'public',
    name: 'Speedrun Cup',
    goals: 'Viewers',
    description: 'Brackets',
  },
];

const SEASONS = ['Autumn', 'Winter', 'Spring', 'Harvest', 'Holiday'];
const KINDS = ['Promo', 'Drive', 'Showcase', 'Series'];
const NICHES = ['fitness', 'food', 'travel', 'tech', 'beauty', 'gaming'];
const BUDGETS = [100, 500, 500, 1_200, 5_000, 5_000, 12_000, 30_000, 75_000, 75_000, 150_000, 300_000, 1_000_000];
const WINDOWS: [number, number][] = [
  [-10, 3],
  [-40, -5],
  [4, 9],
  [0, 25],
  [-2, 3],
  [7, 60],
  [-15, -15],
  [-1, 60],
];
const OWNERS: Owner[] = ['A', 'B', 'A', 'V', 'B', 'A', 'F', 'B', 'D', 'A'];

/** Generated rows: varied but with no words the text tests look for. */
const GENERATED: Spec[] = Array.from({ length: 20 }, (_, i) => ({
  owner: OWNERS[i % OWNERS.length]!,
  niche: NICHES[(i * 5) % NICHES.length]!,
  budget: BUDGETS[(i * 7) % BUDGETS.length]!,
  start: WINDOWS[i % WINDOWS.length]![0],
  end: WINDOWS[i % WINDOWS.length]![1],
  visibility: i % 4 === 1 ? 'private' : 'public',
  flagged: i === 6,
  deleted: i === 13,
  name: `${SEASONS[i % SEASONS.length]} ${KINDS[i % KINDS.length]} ${String.fromCharCode(65 + i)}`,
  goals: 'Awareness and reach',
  description: 'Posts and stories',
}));

beforeAll(async () => {
  ctx = await createTestApp();
  f = factories(ctx);
  [admin, sA, sB, sV, sFlagged, sDeact, sBulk, influencer] = await Promise.all([
    f.admin(),
    f.sponsor({ displayName: 'Sponsor A' }),
    f.sponsor({ displayName: 'Sponsor B' }),
    f.sponsor({ displayName: 'Sponsor V' }),
    f.sponsor({ displayName: 'Sponsor F', flagged: true, flagReason: 'Fixture flag' }),
    f.sponsor({ displayName: 'Sponsor D', status: 'deactivated' }),
    f.sponsor({ displayName: 'Sponsor Bulk' }),
    f.influencer(),
  ]);
  const ownerOf: Record<Owner, TestUser> = { A: sA, B: sB, V: sV, F: sFlagged, D: sDeact };
  const today = todayUtc();
  const base = Date.now() - 2 * 24 * 3600 * 1000;
  const specs = [...HAND, ...GENERATED];
  // Two pairs share a creation instant, so "newest" has ties to page through.
  const created = specs.map((_, i) => new Date(base + (i === 21 ? 20 : i === 31 ? 30 : i) * 1000));
  const ids = await insertCampaignRows(
    ctx,
    specs.map((s, i) => ({
      sponsorId: ownerOf[s.owner].user.id,
      name: s.name,
      goals: s.goals ?? '',
      description: s.description ?? '',
      niche: s.niche as never,
      startDate: addDays(today, s.start),
      endDate: addDays(today, s.end),
      budgetCents: s.budget,
      visibility: s.visibility,
      flagged: s.flagged ?? false,
      flagReason: s.flagged ? 'Fixture flag' : null,
      deletedAt: s.deleted ? new Date() : null,
      createdAt: created[i]!,
      updatedAt: created[i]!,
    })),
  );
  ids.forEach((id, i) => names.set(id, specs[i]!.name));
  // 25 campaigns of one sponsor, made through the API, for the paging tests.
  for (let i = 0; i < 25; i++) {
    const c = await createCampaign(ctx, sBulk, {
      name: `Bulk item ${i}`,
      budgetCents: 1_000 + (i % 5) * 100,
      endDate: addDays(today, 10 + (i % 7)),
    });
    names.set(c.id, c.name);
  }
});
afterAll(async () => ctx?.close());

// ---------------------------------------------------------------------------------------------
// The reference: every row read back from the database, filtered and sorted in TypeScript.

interface Row {
  id: string;
  sponsorId: string;
  name: string;
  goals: string;
  description: string;
  niche: string;
  startDate: string;
  endDate: string;
  budgetCents: number;
  visibility: string;
  flagged: boolean;
  deleted: boolean;
  createdAt: number;
  sponsorActive: boolean;
  sponsorFlagged: boolean;
}

async function snapshot(): Promise<Row[]> {
  const [rows, people] = await Promise.all([ctx.db.select().from(campaigns), ctx.db.select().from(users)]);
  const byId = new Map(people.map((u) => [u.id, u]));
  return rows.map((c) => ({
    id: c.id,
    sponsorId: c.sponsorId,
    name: c.name,
    goals: c.goals,
    description: c.description,
    niche: c.niche,
    startDate: c.startDate,
    endDate: c.endDate,
    budgetCents: c.budgetCents,
    visibility: c.visibility,
    flagged: c.flagged,
    deleted: c.deletedAt !== null,
    createdAt: c.createdAt.getTime(),
    sponsorActive: byId.get(c.sponsorId)!.status === 'active',
    sponsorFlagged: byId.get(c.sponsorId)!.flagged,
  }));
}

/** API.md "Visibility" and the release decisions: owner, admin, or public in good standing. */
function visible(viewer: TestUser, c: Row): boolean {
  if (c.deleted) return false;
  if (viewer.user.role === 'admin') return true;
  if (viewer.user.role === 'sponsor' && c.sponsorId === viewer.user.id) return true;
  return c.visibility === 'public' && !c.flagged && c.sponsorActive && !c.sponsorFlagged;
}

const fieldsOf = (c: Row) => [words(c.name), words(c.goals), words(c.description)] as const;

/** Relevance for a one-word query: the heaviest field holding the prefix (name 3, goals 2, description 1). */
function tier(c: Row, q: string): number {
  const typed = words(q);
  const [name, goals, description] = fieldsOf(c);
  const hits = (ws: string[]) => ws.filter((w) => typed.some((t) => w.startsWith(t))).length;
  const counts = [hits(name), hits(goals), hits(description)];
  // The model holds only for rows holding the prefix once; the fixture is built that way.
  expect(
    counts.reduce((a, b) => a + b, 0),
    `fixture row "${c.name}" must hold "${q}" once`,
  ).toBeLessThanOrEqual(1);
  return counts[0] ? 3 : counts[1] ? 2 : counts[2] ? 1 : 0;
}

function reference(viewer: TestUser, p: Params): string[][] {
  const today = todayUtc();
  const q = typeof p.q === 'string' ? p.q : undefined;
  let rows = snapshotRows.filter((c) => visible(viewer, c));
  if (q !== undefined && words(q).length > 0) rows = rows.filter((c) => matchesPrefix(fieldsOf(c).flat(), q));
  if (p.niche !== undefined) rows = rows.filter((c) => c.niche === p.niche);
  if (p.minBudgetCents !== undefined) rows = rows.filter((c) => c.budgetCents >= Number(p.minBudgetCents));
  if (p.maxBudgetCents !== undefined) rows = rows.filter((c) => c.budgetCents <= Number(p.maxBudgetCents));
  if (p.status !== undefined) rows = rows.filter((c) => statusOn(today, c.startDate, c.endDate) === p.status);
  if (p.visibility !== undefined) rows = rows.filter((c) => c.visibility === p.visibility);
  if (p.sponsorId !== undefined) rows = rows.filter((c) => c.sponsorId === p.sponsorId);
  if (p.mine === true) rows = rows.filter((c) => c.sponsorId === viewer.user.id);
  const sort = (p.sort as string | undefined) ?? 'relevance';
  let key: (c: Row) => unknown;
  let cmp: (a: Row, b: Row) => number;
  if (sort === 'relevance' && q !== undefined && words(q).length > 0) {
    if (words(q).length > 1) {
      // Several words: the order among matches is the ranking's business; the set is ours.
      key = () => 0;
      cmp = () => 0;
    } else {
      key = (c) => tier(c, q);
      cmp = desc((c: Row) => tier(c, q));
    }
  } else if (sort === 'relevance' || sort === 'newest') {
    key = (c) => c.createdAt;
    cmp = desc((c: Row) => c.createdAt);
  } else if (sort === 'budget_desc') {
    key = (c) => c.budgetCents;
    cmp = desc((c: Row) => c.budgetCents);
  } else if (sort === 'budget_asc') {
    key = (c) => c.budgetCents;
    cmp = asc((c: Row) => c.budgetCents);
  } else if (sort === 'ending_soon') {
    key = (c) => c.endDate;
    cmp = asc((c: Row) => c.endDate);
  } else throw new Error(`no reference for sort ${sort}`);
  rows.sort(byKeys(cmp));
  return tieGroups(rows, key, (c) => c.id);
}

let snapshotRows: Row[] = [];

/** Walks the API's pages and compares with the reference, item fields included. */
async function expectMatchesReference(viewer: TestUser, p: Params, limit: number, label: string) {
  const groups = reference(viewer, p);
  const { items } = await walk(ctx, viewer, '/api/v1/campaigns', p, limit);
  expectOrder(
    items.map((c: { id: string }) => c.id),
    groups,
    `${label} ${JSON.stringify(p)} limit ${limit}`,
    names,
  );
  const today = todayUtc();
  const rows = new Map(snapshotRows.map((r) => [r.id, r]));
  for (const item of items) {
    const row = rows.get(item.id)!;
    expect(item).toMatchObject({
      sponsorId: row.sponsorId,
      name: row.name,
      niche: row.niche,
      budgetCents: row.budgetCents,
      startDate: row.startDate,
      endDate: row.endDate,
      visibility: row.visibility,
      status: statusOn(today, row.startDate, row.endDate),
    });
    if (viewer.user.role !== 'admin' && item.sponsorId !== viewer.user.id)
      expect(item).not.toHaveProperty('flagReason');
  }
  return items;
}

const VIEWERS = [
  ['admin', () => admin],
  ['sponsor A (owner of many)', () => sA],
  ['sponsor V (a few private ones)', () => sV],
  ['influencer', () => influencer],
] as const;

// ---------------------------------------------------------------------------------------------
describe('GET /campaigns against the reference', () => {
  beforeAll(async () => {
    snapshotRows = await snapshot();
  });

  const QUERIES: Params[] = [
    {},
    { sort: 'relevance' },
    { sort: 'newest' },
    { sort: 'budget_desc' },
    { sort: 'budget_asc' },
    { sort: 'ending_soon' },
    { niche: 'fitness' },
    { niche: 'food', sort: 'budget_asc' },
    { niche: 'parenting' },
    { minBudgetCents: 12_000 },
    { maxBudgetCents: 12_000, sort: 'budget_desc' },
    { minBudgetCents: 500, maxBudgetCents: 75_000, sort: 'budget_asc' },
    { minBudgetCents: 75_000, maxBudgetCents: 75_000 },
    { minBudgetCents: 0 },
    { status: 'upcoming' },
    { status: 'active', sort: 'ending_soon' },
    { status: 'ended', sort: 'newest' },
    { visibility: 'public' },
    { visibility: 'private', sort: 'budget_desc' },
    { q: 'fit' },
    { q: 'FIT', sort: 'relevance' },
    { q: 'Fit!' },
    { q: 'fitness' },
    { q: 'fit', sort: 'budget_desc' },
    { q: 'fit', sort: 'newest' },
    { q: 'fit', niche: 'fitness', sort: 'ending_soon' },
    { q: 'fit', status: 'active', minBudgetCents: 1_000 },
    { q: 'summer' },
    { q: 'summer sale', sort: 'budget_asc' },
    { q: 'sum sal' },
    { q: 'summer sale' },
    { q: 'outfit' },
    { q: 'zzzznothing' },
    { niche: 'fitness', status: 'active', sort: 'budget_desc' },
    { minBudgetCents: 1_000, status: 'upcoming', visibility: 'public', sort: 'ending_soon' },
  ];

  describe.each(VIEWERS)('as %s', (_label, getViewer) => {
    it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('%s, every page', async (_name, p) => {
      const viewer = getViewer();
      // A small page size crosses tie groups; the whole list in one page must agree.
      await expectMatchesReference(viewer, p, 9, _label);
      await expectMatchesReference(viewer, p, 100, _label);
    });

    it('filters by sponsorId, including sponsors the viewer may not see', async () => {
      const viewer = getViewer();
      for (const s of [sA, sB, sV, sFlagged, sDeact]) {
        await expectMatchesReference(viewer, { sponsorId: s.user.id }, 4, _label);
        await expectMatchesReference(viewer, { sponsorId: s.user.id, sort: 'budget_asc', q: 'fit' }, 2, _label);
      }
      await expectMatchesReference(viewer, { sponsorId: randomUUID() }, 5, _label);
    });
  });

  it.each([
    ['sponsor A', () => sA],
    ['sponsor V', () => sV],
    ['sponsor B', () => sB],
  ])('mine=true gives %s exactly its own live campaigns, flagged ones included', async (_label, getViewer) => {
    const viewer = getViewer();
    for (const p of [
      { mine: true },
      { mine: true, sort: 'budget_desc' },
      { mine: true, q: 'fit' },
      { mine: true, status: 'ended' },
    ] as Params[]) {
      const items = await expectMatchesReference(viewer, p, 3, _label);
      for (const item of items) expect(item.sponsorId).toBe(viewer.user.id);
    }
  });

  it('"fit" finds "Fitness" (and "Fit", "fitted"), but not "Outfit"', async () => {
    const found = (await walk(ctx, admin, '/api/v1/campaigns', { q: 'fit' }, 100)).items.map(
      (c: { name: string }) => c.name,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'Fitness Bootcamp Launch',
        'Summer Fit Challenge',
        'Glow Serum Teaser',
        'Yoga For Everyone',
      ]),
    );
    expect(found).not.toContain('Island Hopping Diaries');
    expect(found).not.toContain('Fitness Deleted Plan');
    // Relevance: a name match outranks a goals match, which outranks a description match.
    const at = (name: string) => found.indexOf(name);
    expect(at('Fitness Bootcamp Launch')).toBeLessThan(at('Yoga For Everyone'));
    expect(at('Yoga For Everyone')).toBeLessThan(at('Glow Serum Teaser'));
  });

  it('a query made of search syntax is plain text, never a server error', async () => {
    for (const q of ["fit & | ! ( ) :* '", '   ', '\\', 'fit:*A', "o'brien", '%_%', 'ünïcödé']) {
      const res = await page(ctx, sA, '/api/v1/campaigns', { q });
      expect(res.statusCode, `q=${q}: ${res.body}`).toBe(200);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('paging', () => {
  const bulk = () => ({ sponsorId: sBulk.user.id, sort: 'newest' });

  it('25 results paged by 10: three pages, 25 distinct rows in order', async () => {
    snapshotRows = await snapshot();
    const groups = reference(sA, bulk());
    expect(groups.flat()).toHaveLength(25);
    const { items, pages } = await walk(ctx, sA, '/api/v1/campaigns', bulk(), 10);
    expect(pages).toBe(3);
    expect(items).toHaveLength(25);
    expectOrder(
      items.map((c: { id: string }) => c.id),
      groups,
      'bulk by 10',
      names,
    );
    // The page sizes are 10, 10, 5.
    const first = (await page(ctx, sA, '/api/v1/campaigns', { ...bulk(), limit: 10 })).json();
    expect(first.items).toHaveLength(10);
    expect(typeof first.nextCursor).toBe('string');
  });

  it('limit defaults to 20 and may be 1 or 100', async () => {
    const def = (await page(ctx, sA, '/api/v1/campaigns', bulk())).json();
    expect(def.items).toHaveLength(20);
    expect(def.nextCursor).not.toBeNull();
    const one = await walk(ctx, sA, '/api/v1/campaigns', bulk(), 1);
    expect(one.pages).toBe(25);
    const hundred = (await page(ctx, sA, '/api/v1/campaigns', { ...bulk(), limit: 100 })).json();
    expect(hundred.items).toHaveLength(25);
    expect(hundred.nextCursor).toBeNull();
  });

  it('a page exactly at the end says nextCursor null (no empty extra page)', async () => {
    const res = (await page(ctx, sA, '/api/v1/campaigns', { ...bulk(), limit: 25 })).json();
    expect(res.items).toHaveLength(25);
    expect(res.nextCursor).toBeNull();
  });

  it('pages stay stable when a campaign is inserted between page requests (newest first)', async () => {
    const p = { ...bulk(), limit: 10 };
    const original = (await walk(ctx, sA, '/api/v1/campaigns', bulk(), 100)).items.map((c: { id: string }) => c.id);
    const first = (await page(ctx, sA, '/api/v1/campaigns', p)).json();
    const inserted = await createCampaign(ctx, sBulk, { name: 'Inserted while paging' });
    names.set(inserted.id, inserted.name);
    const seen: string[] = first.items.map((c: { id: string }) => c.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = (await page(ctx, sA, '/api/v1/campaigns', { ...p, cursor })).json();
      seen.push(...next.items.map((c: { id: string }) => c.id));
      cursor = next.nextCursor;
    }
    // The new row sorts before the cursor: the walk shows the original rows, each once, in order.
    expect(seen).toEqual(original);
    // A fresh walk shows it first.
    expect((await page(ctx, sA, '/api/v1/campaigns', p)).json().items[0].id).toBe(inserted.id);
  });

  it('pages stay stable when rows are inserted before and after the cursor (budget_asc)', async () => {
    const params = { sponsorId: sBulk.user.id, sort: 'budget_asc' };
    const original = (await walk(ctx, sA, '/api/v1/campaigns', params, 100)).items as {
      id: string;
      budgetCents: number;
    }[];
    const first = (await page(ctx, sA, '/api/v1/campaigns', { ...params, limit: 10 })).json();
    const lastBudget = first.items[first.items.length - 1].budgetCents as number;
    const max = Math.max(...original.map((c) => c.budgetCents));
    const before = await createCampaign(ctx, sBulk, { name: 'Cheaper than the cursor', budgetCents: 100 });
    const after = await createCampaign(ctx, sBulk, { name: 'Dearer than everything', budgetCents: max + 1 });
    expect(lastBudget).toBeGreaterThan(100);
    const seen: { id: string; budgetCents: number }[] = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = (await page(ctx, sA, '/api/v1/campaigns', { ...params, limit: 10, cursor })).json();
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(before.id);
    expect(ids.filter((id) => id !== after.id)).toEqual(original.map((c) => c.id));
    expect(ids[ids.length - 1]).toBe(after.id);
  });

  it('relevance pages through ties of equal rank without losing rows', async () => {
    snapshotRows = await snapshot();
    for (const limit of [1, 2, 3]) await expectMatchesReference(admin, { q: 'fit' }, limit, 'admin');
    await expectMatchesReference(sA, { q: 'bulk', sort: 'relevance' }, 4, 'sponsor A');
  });
});

// ---------------------------------------------------------------------------------------------
describe('invalid parameters', () => {
  it('requires authentication', async () => {
    expectProblem(await call(ctx, 'GET', '/api/v1/campaigns?q=fit'), 401, 'unauthenticated');
  });

  it.each([
    ['an unknown parameter', 'foo=bar', '/foo'],
    ['an unknown parameter next to valid ones', 'niche=food&ownerId=x', null],
    ['limit=0', 'limit=0', '/limit'],
    ['limit=101', 'limit=101', '/limit'],
    ['limit=-1', 'limit=-1', '/limit'],
    ['limit=abc', 'limit=abc', '/limit'],
    ['limit=2.5', 'limit=2.5', '/limit'],
    ['an unknown sort', 'sort=popular', '/sort'],
    ['an unknown niche', 'niche=knitting', '/niche'],
    ['an unknown status', 'status=paused', '/status'],
    ['an unknown visibility', 'visibility=secret', '/visibility'],
    ['a negative minBudgetCents', 'minBudgetCents=-1', '/minBudgetCents'],
    ['a non-numeric minBudgetCents', 'minBudgetCents=lots', '/minBudgetCents'],
    ['a fractional maxBudgetCents', 'maxBudgetCents=1.5', '/maxBudgetCents'],
    ['minBudgetCents above maxBudgetCents', 'minBudgetCents=5000&maxBudgetCents=4999', null],
    ['mine=maybe', 'mine=maybe', '/mine'],
  ])('answers 400 for %s', async (_what, query, path) => {
    const res = await call(ctx, 'GET', `/api/v1/campaigns?${query}`, { auth: sA });
    if (path) expectValidation(res, path);
    else expectValidation(res);
  });

  it('mine=true is refused for influencers and admins', async () => {
    expectValidation(await call(ctx, 'GET', '/api/v1/campaigns?mine=true', { auth: influencer }));
    expectValidation(await call(ctx, 'GET', '/api/v1/campaigns?mine=true', { auth: admin }));
  });

  it('answers 400 for a garbled cursor', async () => {
    for (const cursor of ['garbage!!', 'abc', forgeCursor('just a string'), forgeCursor({}), forgeCursor([1, 2])]) {
      expectValidation(await page(ctx, sA, '/api/v1/campaigns', { cursor }));
    }
  });

  it('answers 400 for a cursor made for another sort', async () => {
    const cursorOf = async (p: Params) => {
      const body = (await page(ctx, admin, '/api/v1/campaigns', { ...p, limit: 2 })).json();
      expect(body.nextCursor).toEqual(expect.any(String));
      return body.nextCursor as string;
    };
    const fromBudget = await cursorOf({ sort: 'budget_desc' });
    expectValidation(await page(ctx, admin, '/api/v1/campaigns', { sort: 'ending_soon', cursor: fromBudget }));
    expectValidation(await page(ctx, admin, '/api/v1/campaigns', { sort: 'newest', cursor: fromBudget }));
    expectValidation(await page(ctx, admin, '/api/v1/campaigns', { sort: 'budget_asc', cursor: fromBudget }));
    const fromRelevance = await cursorOf({ q: 'fit' });
    expectValidation(await page(ctx, admin, '/api/v1/campaigns', { sort: 'newest', cursor: fromRelevance }));
    const fromNewest = await cursorOf({ sort: 'newest' });
    expectValidation(await page(ctx, admin, '/api/v1/campaigns', { sort: 'budget_asc', cursor: fromNewest }));
    // The same sort still accepts it.
    expect((await page(ctx, admin, '/api/v1/campaigns', { sort: 'budget_desc', cursor: fromBudget })).statusCode).toBe(
      200,
    );
  });

  it.each([
    ['newest', 'a creation time that is no timestamp', ['not-a-timestamp', randomUUID()]],
    ['newest', 'an id that is no id', [new Date().toISOString(), 'not-a-uuid']],
    ['budget_desc', 'a budget that is no number', ['lots', randomUUID()]],
    ['budget_asc', 'a budget of NaN', ['NaN', randomUUID()]],
    ['ending_soon', 'an impossible end date', ['2030-99-99', randomUUID()]],
    ['relevance', 'a rank that is no number', ['high', new Date().toISOString(), randomUUID()]],
  ] as const)('answers 400, never 500, for a forged %s cursor with %s', async (sort, _what, v) => {
    const cursor = forgeCursor({ s: sort, v });
    const res = await page(ctx, admin, '/api/v1/campaigns', {
      sort,
      cursor,
      ...(sort === 'relevance' ? { q: 'fit' } : {}),
    });
    expect(res.statusCode, res.body).toBe(400);
    expectValidation(res);
  });
});
