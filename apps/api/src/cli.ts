import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadEnvFile } from './config.js';
import { passwordProblem } from './lib/passwords.js';
import { upsertAdmin } from './modules/accounts/admin-bootstrap.js';
import { connectServices, StartupError } from './startup.js';

const USAGE = `usage: npm run admin -- --email EMAIL --password PASSWORD

Creates the admin EMAIL, or resets its password and reactivates it. Run it from the folder
you run \`npm start\` from: it reads the same .env and environment (DATA_DIR, DATABASE_URL).
With the embedded database (no DATABASE_URL), stop the server first: one process at a time.`;

/** Operator commands that must work without the HTTP API (e.g. a lost admin password). */
async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.email || !values.password) throw new ConfigError(USAGE);
  // The sign-up rule (blank, length, own email, common passwords), so an admin is no easier to guess.
  const problem = passwordProblem(values.password, { email: values.email });
  if (problem) throw new ConfigError(`refused password: ${problem}`);
  // Exactly as `npm start` resolves it: this working directory's .env, then the environment.
  loadEnvFile();
  const config = loadConfig();
  const { database, redis } = await connectServices(config);
  try {
    const result = await upsertAdmin(database.db, values.email, values.password);
    process.stdout.write(`${result.created ? 'created' : 'reset the password of'} admin ${result.email}\n`);
  } finally {
    redis?.disconnect();
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StartupError;
  process.stderr.write(`iescp: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
