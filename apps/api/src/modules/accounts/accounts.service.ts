import type { Db, DbOrTx } from '../../db/client.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../db/client.js';
import type { AppEvents } from '../../events.js';
import type { Actor, SessionActor } from '../../lib/actor.js';
import { accountDeactivated, emailTaken, invalidCredentials, notFound, validationFailed } from '../../lib/errors.js';
import { assertAcceptablePassword, hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import type { RateLimits } from '../../plugins/rate-limits.js';
import { accountsRepository as repo, type ProfileRecord, type UserRow } from './accounts.repository.js';
import { presentUser } from './accounts.presenter.js';
import {
  assertProfileFitsRole,
  type ChangePasswordBody,
  cleanText,
  normalizeEmail,
  type ProfileInput,
  type SignupBody,
  type UpdateMeBody,
  type UserDto,
} from './accounts.schemas.js';
import type { IssuedTokens, SessionsService } from './sessions.service.js';

export type SessionDto = IssuedTokens & { user: UserDto };

/** Sign-up, login, the signed-in user's own account, and the user facts other modules read. */
export function createAccountsService(deps: {
  db: Db;
  events: AppEvents;
  sessions: SessionsService;
  rateLimits: RateLimits;
}) {
  const { db, events, sessions, rateLimits } = deps;

  async function present(dbx: DbOrTx, row: UserRow, viewer: Pick<Actor, 'id' | 'role'> | null): Promise<UserDto> {
    return presentUser(row, await repo.loadProfile(dbx, row), viewer);
  }

  async function writeProfile(tx: DbOrTx, row: UserRow, input: ProfileInput, creating: boolean) {
    if (row.role === 'influencer') {
      const values = {
        ...(input.bio !== undefined ? { bio: cleanText(input.bio) ?? '' } : {}),
        ...(input.niche !== undefined ? { niche: input.niche } : {}),
        ...(input.country !== undefined ? { country: input.country } : {}),
        ...(input.rateCents !== undefined ? { rateCents: input.rateCents } : {}),
        ...(input.engagementRate !== undefined ? { engagementRate: input.engagementRate } : {}),
      };
      if (creating) await repo.insertInfluencerProfile(tx, { userId: row.id, niche: 'other', ...values });
      else await repo.updateInfluencerProfile(tx, row.id, values);
      if (input.platforms !== undefined) {
        const platforms = input.platforms.map((p) => ({ ...p, handle: p.handle.trim() }));
        await repo.replacePlatforms(tx, row.id, platforms);
      }
    } else if (row.role === 'sponsor') {
      const values = {
        ...(input.companyName !== undefined ? { companyName: input.companyName.trim() } : {}),
        ...(input.industry !== undefined ? { industry: input.industry.trim() } : {}),
        ...(input.website !== undefined ? { website: cleanText(input.website) } : {}),
        ...(input.bio !== undefined ? { bio: cleanText(input.bio) } : {}),
        ...(input.budgetCents !== undefined ? { budgetCents: input.budgetCents } : {}),
      };
      if (creating) {
        await repo.insertSponsorProfile(tx, {
          userId: row.id,
          companyName: row.displayName,
          industry: 'Other',
          ...values,
        });
      } else await repo.updateSponsorProfile(tx, row.id, values);
    }
  }

  return {
    /** Sponsors start pending approval, influencers active; the pair is issued at once. */
    async signup(input: SignupBody, ip: string): Promise<SessionDto> {
      await rateLimits.consume('signupPerIp', ip);
      assertProfileFitsRole(input.role, input.profile);
      const email = normalizeEmail(input.email);
      assertAcceptablePassword(input.password, { email, displayName: input.displayName });
      if (await repo.findByEmail(db, email)) throw emailTaken();
      const passwordHash = await hashPassword(input.password);
      try {
        return await events.transaction(async ({ tx, emit }) => {
          const row = await repo.insertUser(tx, {
            email,
            passwordHash,
            role: input.role,
            status: input.role === 'sponsor' ? 'pending_approval' : 'active',
            displayName: input.displayName.trim(),
          });
          await writeProfile(tx, row, input.profile ?? {}, true);
          const tokens = await sessions.issue(tx, row);
          // Signing up opens the first session: it counts as the first login.
          await repo.recordLogin(tx, row.id);
          await emit({ kind: 'account.signed_up', userId: row.id });
          return { ...tokens, user: await present(tx, row, row) };
        });
      } catch (error) {
        // Concurrent sign-ups with one email: the unique index lets exactly one through.
        if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw emailTaken();
        throw error;
      }
    },

    async login(input: { email: string; password: string }, ip: string): Promise<SessionDto> {
      const email = normalizeEmail(input.email);
      // Failures count per (email, address), so guesses from elsewhere cannot lock the owner out,
      // and per email across addresses with a much higher ceiling, against distributed guessing.
      const pair = `${email}|${ip}`;
      await rateLimits.consume('loginPerIp', ip);
      await rateLimits.assertUnder('loginFailures', pair);
      await rateLimits.assertUnder('loginFailuresPerEmail', email);
      const row = await repo.findByEmail(db, email);
      const ok = await verifyPassword(row?.passwordHash, input.password);
      if (!row || !ok) {
        await rateLimits.consume('loginFailures', pair);
        await rateLimits.consume('loginFailuresPerEmail', email);
        throw invalidCredentials();
      }
      // Only after the password matched, so a guesser learns nothing about the account.
      if (row.status === 'deactivated') throw accountDeactivated();
      // The per-email count is left to expire: the owner logging in must not hand a distributed
      // guesser a fresh allowance.
      await rateLimits.reset('loginFailures', pair);
      // The session and "last login" (the admin's "last seen") are written together.
      return events.transaction(async ({ tx }) => {
        const tokens = await sessions.issue(tx, row);
        await repo.recordLogin(tx, row.id);
        return { ...tokens, user: await present(tx, row, row) };
      });
    },

    async refresh(presented: string): Promise<SessionDto> {
      const { user, tokens } = await sessions.rotate(presented);
      return { ...tokens, user: await present(db, user, user) };
    },

    async me(actor: Actor): Promise<UserDto> {
      const row = await repo.findById(db, actor.id);
      if (!row) throw notFound('user');
      return present(db, row, actor);
    },

    async updateMe(actor: Actor, input: UpdateMeBody): Promise<UserDto> {
      assertProfileFitsRole(actor.role, input.profile);
      return events.transaction(async ({ tx, emit }) => {
        const current = await repo.findById(tx, actor.id);
        if (!current) throw notFound('user');
        const changes = input.displayName !== undefined ? { displayName: input.displayName.trim() } : {};
        const row = await repo.updateUser(tx, current.id, changes);
        if (input.profile) await writeProfile(tx, row, input.profile, false);
        await emit({ kind: 'account.updated', userId: row.id });
        return present(tx, row, actor);
      });
    },

    /**
     * Changes the caller's password, given the current one, and ends every other session of the
     * user at once (their access tokens refused, their sockets closed); the caller's own session
     * (`sessionId`) goes on. Wrong current passwords count as failed logins from this address.
     */
    async changePassword(actor: Actor, sessionId: string, input: ChangePasswordBody, ip: string): Promise<void> {
      const row = await repo.findById(db, actor.id);
      if (!row) throw notFound('user');
      const pair = `${row.email}|${ip}`;
      await rateLimits.assertUnder('loginFailures', pair);
      if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
        await rateLimits.consume('loginFailures', pair);
        throw validationFailed(
          [{ path: '/currentPassword', message: 'is not your current password' }],
          'The current password is wrong.',
        );
      }
      const problem = passwordProblem(input.newPassword, { email: row.email, displayName: row.displayName });
      if (problem) throw validationFailed([{ path: '/newPassword', message: problem }], problem);
      const passwordHash = await hashPassword(input.newPassword);
      await events.transaction(async (scope) => {
        await repo.updateUser(scope.tx, row.id, { passwordHash });
        await sessions.revokeAll(scope, row.id, 'password_changed', { except: sessionId });
        await scope.emit({ kind: 'account.password_changed', userId: row.id });
      });
    },

    /** Who a token's subject is now and whether its session is open: every authenticated request and socket asks. */
    actorOf(id: string, sessionId: string): Promise<SessionActor | undefined> {
      return repo.findActor(db, id, sessionId);
    },

    /** A user by id (undefined for no such user or a malformed id); `dbx` reads inside a transaction. */
    find(id: string, dbx: DbOrTx = db): Promise<UserRow | undefined> {
      return repo.findById(dbx, id);
    },

    /** The user with their role's profile, for pages that show people. */
    async withProfile(id: string): Promise<{ row: UserRow; profile: ProfileRecord | undefined } | undefined> {
      const row = await repo.findById(db, id);
      return row ? { row, profile: await repo.loadProfile(db, row) } : undefined;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
