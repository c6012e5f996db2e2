import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { appSettings } from './schema/index.js';

const KEY = 'access_token_secret';

/**
 * Without JWT_SECRET the signing secret is generated once and kept in the database, so every
 * instance sharing the database signs and verifies with the same key and restarts keep sessions.
 */
export async function loadSigningSecret(db: Db): Promise<string> {
  await db
    .insert(appSettings)
    .values({ key: KEY, value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY));
  return row!.value;
}
