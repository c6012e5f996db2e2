/**
 * The bench's knobs, read once from the environment. The bench drops and recreates its
 * database, so the guard below refuses any database whose name does not say "bench".
 */
export interface BenchConfig {
  databaseUrl: string;
  /** Same server, another database: where CREATE/DROP DATABASE is issued from. */
  adminUrl: string;
  databaseName: string;
  redisUrl: string;
  campaigns: number;
  influencers: number;
  sponsors: number;
  /** Seconds of measurement per scenario, after `warmup` seconds of unmeasured load. */
  duration: number;
  warmup: number;
  connections: number;
  poolSize: number | undefined;
  regenerate: boolean;
}

/** Only names like `iescp_bench` or `iescp_bench_big`: never a real application database. */
export const BENCH_DATABASE_NAME = /^iescp_bench(_[a-z0-9_]+)?$/;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const databaseUrl = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/iescp_bench';
  const url = new URL(databaseUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL');
  const databaseName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!BENCH_DATABASE_NAME.test(databaseName)) {
    throw new Error(
      `refusing to use database "${databaseName}": the bench drops and recreates its database, ` +
        `so its name must match ${BENCH_DATABASE_NAME} (e.g. iescp_bench)`,
    );
  }
  const admin = new URL(databaseUrl);
  admin.pathname = `/${env.BENCH_ADMIN_DATABASE || 'test'}`;
  if (BENCH_DATABASE_NAME.test(admin.pathname.slice(1)))
    throw new Error('BENCH_ADMIN_DATABASE must not be a bench database');

  const redisUrl = env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new Error('BENCH_REDIS_URL must be a redis:// URL');

  const campaigns = int(env, 'BENCH_CAMPAIGNS', 100_000, 1_000, 10_000_000);
  return {
    databaseUrl,
    adminUrl: admin.toString(),
    databaseName,
    redisUrl,
    campaigns,
    influencers: int(env, 'BENCH_INFLUENCERS', 20_000, 100, 5_000_000),
    sponsors: int(env, 'BENCH_SPONSORS', 200, 10, 100_000),
    duration: int(env, 'BENCH_DURATION', 10, 1, 300),
    warmup: int(env, 'BENCH_WARMUP', 2, 0, 60),
    connections: int(env, 'BENCH_CONNECTIONS', 20, 1, 1_000),
    poolSize: env.BENCH_POOL_SIZE ? int(env, 'BENCH_POOL_SIZE', 10, 1, 200) : undefined,
    regenerate: env.BENCH_REGENERATE === '1' || env.BENCH_REGENERATE === 'true',
  };
}

/** The URL without its password, for printing. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
