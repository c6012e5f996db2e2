import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../db/client.js';
import { hashPassword } from '../../lib/passwords.js';
import { accountsRepository as repo } from './accounts.repository.js';
import { normalizeEmail } from './accounts.schemas.js';
import { sessionsRepository } from './sessions.repository.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@iescp.local';

/**
 * Creates the admin, or resets an existing admin's password and reactivates it (CLI use), ending
 * every session of that admin as a password change does (the CLI is not connected to the
 * instances' sockets: those close when their token expires, but every HTTP request is refused).
 * Refuses to turn a sponsor or influencer into an admin.
 */
export async function upsertAdmin(db: Db, emailInput: string, password: string, displayName = 'Administrator') {
  const email = normalizeEmail(emailInput);
  const passwordHash = await hashPassword(password);
  const existing = await repo.findByEmail(db, email);
  if (existing) {
    if (existing.role !== 'admin') throw new Error(`${email} belongs to a ${existing.role}, not an admin`);
    await db.transaction(async (tx) => {
      await repo.updateUser(tx, existing.id, { passwordHash, status: 'active' });
      await sessionsRepository.revokeAllOf(tx, existing.id);
    });
    return { created: false, email };
  }
  await repo.insertUser(db, { email, passwordHash, role: 'admin', status: 'active', displayName });
  return { created: true, email };
}

/**
 * At start: the configured admin exists; and a database without any admin gets one, with a
 * random password printed once, so no installation is ever left without an administrator.
 */
export async function bootstrapAdmins(
  db: Db,
  log: FastifyBaseLogger,
  configured: { email?: string | undefined; password?: string | undefined },
): Promise<void> {
  try {
    if (configured.email && configured.password) {
      const email = normalizeEmail(configured.email);
      const existing = await repo.findByEmail(db, email);
      if (!existing) {
        await upsertAdmin(db, email, configured.password);
        log.info({ email }, 'created the admin from ADMIN_EMAIL');
      } else if (existing.role !== 'admin') {
        log.warn({ email }, 'ADMIN_EMAIL belongs to a non-admin account; no admin created for it');
      }
    }
    if (!(await repo.anyAdminExists(db))) {
      const password = randomBytes(12).toString('base64url');
      await upsertAdmin(db, DEFAULT_ADMIN_EMAIL, password);
      // Printed once, on purpose: this is the only way to learn it (the CLI can reset it).
      log.warn(
        `No admin existed: created ${DEFAULT_ADMIN_EMAIL} with password ${password} (change it with "npm run admin").`,
      );
    }
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (pgErrorCode(error) !== PG_UNIQUE_VIOLATION) throw error;
  }
}
