import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { connectRedis } from './plugins/redis.js';

export class StartupError extends Error {}

/** Opens and migrates the database and connects Redis, or fails with one clear line. */
export async function connectServices(config: Config): Promise<{ database: Database; redis: Redis | null }> {
  const where = config.DATABASE_URL
    ? 'the PostgreSQL server at DATABASE_URL'
    : `the embedded database in ${config.DATA_DIR}`;
  let database: Database;
  try {
    database = openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    });
  } catch (error) {
    // Another process holds the embedded database (see db/data-dir-lock.ts).
    throw new StartupError(`cannot use ${where}: ${(error as Error).message}`);
  }
  try {
    await database.db.execute(sql`select 1`);
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    // Drizzle wraps the driver's error; the driver's message is the useful one.
    const cause = (error as Error & { cause?: Error }).cause ?? (error as Error);
    throw new StartupError(`cannot use ${where}: ${String(cause.message).replace(/\s+/g, ' ')}`);
  }
  let redis: Redis | null = null;
  if (config.REDIS_URL) {
    redis = connectRedis(config.REDIS_URL);
    let lastError: Error | undefined;
    const remember = (error: Error) => (lastError = error);
    redis.on('error', remember);
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      await database.close().catch(() => undefined);
      throw new StartupError(`cannot reach Redis at REDIS_URL: ${(lastError ?? (error as Error)).message}`);
    } finally {
      redis.off('error', remember);
    }
  }
  return { database, redis };
}
