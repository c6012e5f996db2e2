import { and, asc, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Role, UserStatus } from '@iescp/shared';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  influencerPlatforms,
  influencerProfiles,
  refreshTokens,
  sponsorProfiles,
  users,
} from '../../db/schema/index.js';
import type { SessionActor } from '../../lib/actor.js';
import { isUuid } from '../../lib/ids.js';
import { after, newestFirst, orderBy, type SortKey } from '../../lib/pagination.js';
import type { PlatformAccount } from './accounts.schemas.js';
import { likePattern } from '../../lib/text-search.js';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type InfluencerProfileRow = typeof influencerProfiles.$inferSelect;
export type SponsorProfileRow = typeof sponsorProfiles.$inferSelect;

export type ProfileRecord =
  | { role: 'influencer'; profile: InfluencerProfileRow; platforms: PlatformAccount[] }
  | { role: 'sponsor'; profile: SponsorProfileRow }
  | { role: 'admin' };

export interface UserFilters {
  role?: Role | undefined;
  status?: UserStatus | undefined;
  flagged?: boolean | undefined;
  q?: string | undefined;
}

/** The only code that touches the users and profile tables. */
export const accountsRepository = {
  /** Newest first: the admin's user list. */
  newestKeys: newestFirst<UserRow>(users.createdAt, users.id, (r) => ({ at: r.createdAt, id: r.id })),

  async insertUser(db: DbOrTx, values: NewUserRow): Promise<UserRow> {
    const [row] = await db.insert(users).values(values).returning();
    return row!;
  },

  async findById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  },

  /**
   * Who `id` is now, and whether the login session `sessionId` (a refresh-token family) is still
   * open: not one of its tokens revoked. Asked on every authenticated request and socket, so it
   * is one statement: the user's primary key and an EXISTS on the family index, one round trip.
   */
  async findActor(db: DbOrTx, id: string, sessionId: string): Promise<SessionActor | undefined> {
    if (!isUuid(id) || !isUuid(sessionId)) return undefined;
    const open = db
      .select({ one: sql`1` })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.familyId, sessionId), eq(refreshTokens.userId, id), isNull(refreshTokens.revokedAt)));
    const [row] = await db
      .select({
        id: users.id,
        role: users.role,
        status: users.status,
        flagged: users.flagged,
        sessionOpen: sql<boolean>`${exists(open)}`,
      })
      .from(users)
      .where(eq(users.id, id))
      .limit(1);
    if (!row) return undefined;
    const { sessionOpen, ...actor } = row;
    return { actor, sessionOpen: Boolean(sessionOpen) };
  },

  /** The row locked for this transaction: concurrent moderation of one user takes turns. */
  async lock(tx: Tx, id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    return row;
  },

  async page(
    db: DbOrTx,
    filters: UserFilters,
    keys: SortKey<UserRow>[],
    cursor: (string | number)[] | undefined,
    limit: number,
  ): Promise<UserRow[]> {
    const conditions: (SQL | undefined)[] = [];
    if (filters.role) conditions.push(eq(users.role, filters.role));
    if (filters.status) conditions.push(eq(users.status, filters.status));
    if (filters.flagged !== undefined) conditions.push(eq(users.flagged, filters.flagged));
    const q = filters.q?.trim();
    if (q) conditions.push(or(ilike(users.email, likePattern(q)), ilike(users.displayName, likePattern(q))));
    if (cursor) conditions.push(after(keys, cursor));
    return db
      .select()
      .from(users)
      .where(and(...conditions))
      .orderBy(...orderBy(keys))
      .limit(limit + 1);
  },

  async findByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
    return row;
  },

  async updateUser(db: DbOrTx, id: string, values: Partial<NewUserRow>): Promise<UserRow> {
    const [row] = await db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return row!;
  },

  /** A successful login: the login time is also activity. */
  async recordLogin(db: DbOrTx, id: string): Promise<void> {
    await db
      .update(users)
      .set({ lastLoginAt: sql`now()`, lastActiveAt: sql`now()` })
      .where(eq(users.id, id));
  },

  /**
   * Marks the user active now unless that was already written within `windowSeconds`: the
   * condition makes several instances together write at most about once per window. True when
   * it wrote. (`updated_at` stays: it is the profile's, not the visit's.)
   */
  async markActive(db: DbOrTx, id: string, windowSeconds: number): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await db
      .update(users)
      .set({ lastActiveAt: sql`now()` })
      .where(
        and(
          eq(users.id, id),
          or(isNull(users.lastActiveAt), sql`${users.lastActiveAt} < now() - make_interval(secs => ${windowSeconds})`),
        ),
      )
      .returning({ id: users.id });
    return rows.length > 0;
  },

  async anyAdminExists(db: DbOrTx): Promise<boolean> {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
    return row !== undefined;
  },

  async insertInfluencerProfile(db: DbOrTx, values: typeof influencerProfiles.$inferInsert) {
    await db.insert(influencerProfiles).values(values);
  },

  async updateInfluencerProfile(db: DbOrTx, userId: string, values: Partial<typeof influencerProfiles.$inferInsert>) {
    if (Object.keys(values).length === 0) return;
    await db.update(influencerProfiles).set(values).where(eq(influencerProfiles.userId, userId));
  },

  /** Replaces the platform list and keeps `reach` equal to the followers' sum. */
  async replacePlatforms(db: DbOrTx, userId: string, platforms: PlatformAccount[]) {
    await db.delete(influencerPlatforms).where(eq(influencerPlatforms.userId, userId));
    if (platforms.length > 0) {
      await db.insert(influencerPlatforms).values(platforms.map((p, position) => ({ userId, position, ...p })));
    }
    const reach = platforms.reduce((sum, p) => sum + p.followers, 0);
    await db.update(influencerProfiles).set({ reach }).where(eq(influencerProfiles.userId, userId));
  },

  async insertSponsorProfile(db: DbOrTx, values: typeof sponsorProfiles.$inferInsert) {
    await db.insert(sponsorProfiles).values(values);
  },

  async updateSponsorProfile(db: DbOrTx, userId: string, values: Partial<typeof sponsorProfiles.$inferInsert>) {
    if (Object.keys(values).length === 0) return;
    await db.update(sponsorProfiles).set(values).where(eq(sponsorProfiles.userId, userId));
  },

  /** Profiles for many users in three queries, for lists. */
  async loadProfiles(db: DbOrTx, rows: Pick<UserRow, 'id' | 'role'>[]): Promise<Map<string, ProfileRecord>> {
    const result = new Map<string, ProfileRecord>();
    const influencerIds = rows.filter((r) => r.role === 'influencer').map((r) => r.id);
    const sponsorIds = rows.filter((r) => r.role === 'sponsor').map((r) => r.id);
    for (const r of rows) if (r.role === 'admin') result.set(r.id, { role: 'admin' });
    if (influencerIds.length > 0) {
      const [profiles, platforms] = await Promise.all([
        db.select().from(influencerProfiles).where(inArray(influencerProfiles.userId, influencerIds)),
        db
          .select()
          .from(influencerPlatforms)
          .where(inArray(influencerPlatforms.userId, influencerIds))
          .orderBy(asc(influencerPlatforms.userId), asc(influencerPlatforms.position)),
      ]);
      for (const profile of profiles) {
        const own = platforms
          .filter((p) => p.userId === profile.userId)
          .map(({ platform, handle, followers }) => ({ platform, handle, followers }));
        result.set(profile.userId, { role: 'influencer', profile, platforms: own });
      }
    }
    if (sponsorIds.length > 0) {
      const profiles = await db.select().from(sponsorProfiles).where(inArray(sponsorProfiles.userId, sponsorIds));
      for (const profile of profiles) result.set(profile.userId, { role: 'sponsor', profile });
    }
    return result;
  },

  async loadProfile(db: DbOrTx, row: Pick<UserRow, 'id' | 'role'>): Promise<ProfileRecord | undefined> {
    return (await this.loadProfiles(db, [row])).get(row.id);
  },
};
