import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, loadEnvFile, type Config } from './config.js';
import { loadDemoData, shouldLoadDemoData } from './db/seed/demo.js';
import { loadDemoDeals } from './db/seed/demo-deals.js';
import { loadDemoMessages } from './db/seed/demo-messages.js';
import { loadDemoReviews } from './db/seed/demo-reviews.js';
import { bootstrapAdmins } from './modules/accounts/admin-bootstrap.js';
import { connectServices, StartupError } from './startup.js';

/** Process entry: api | worker | all. Fails fast with one line; drains on SIGTERM. */
async function main() {
  // A .env file in the working directory is read the same way as the environment itself.
  loadEnvFile();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  let services;
  try {
    services = await connectServices(config);
  } catch (error) {
    if (error instanceof StartupError) fail(error.message);
    throw error;
  }

  const app = await buildApp(config, {
    ...services,
    // Background jobs run in `all` and `worker` processes; an `api` process only serves HTTP, but
    // keeps a queue without workers: its changes enqueue jobs (mail) in their own transactions.
    jobs: { enabled: true, workers: config.PROCESS_ROLE !== 'api' },
  });
  const { db } = services.database;
  if (await shouldLoadDemoData(db, config, services.database.kind)) {
    const logins = await loadDemoData(db);
    const deals = await loadDemoDeals(db, app.services.adRequests);
    const messages = await loadDemoMessages(db, app.events, app.services.conversations);
    const reviews = await loadDemoReviews(db, app.services.adRequests, app.services.reviews);
    app.log.info({ deals, messages, reviews }, 'loaded the demo data set');
    printLogins(logins);
  }
  await bootstrapAdmins(db, app.log, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });

  // app.close() drains HTTP (new requests 503, requests in progress finish, at most the grace
  // period: plugins/shutdown.ts), stops the job queue within the same period, then closes
  // Socket.IO, Redis and the database. The delay is only the last resort if that hangs.
  closeWithGrace({ delay: (config.SHUTDOWN_GRACE_SECONDS + 5) * 1000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  if (config.PROCESS_ROLE === 'worker') {
    await app.ready();
    app.log.info('worker started (no HTTP listener)');
    return;
  }
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await app.close();
    fail(`cannot listen on ${config.HOST}:${config.PORT}: ${(error as Error).message}`);
  }
}

function printLogins(logins: { role: string; email: string; password: string }[]) {
  const lines = logins.map((l) => `  ${l.role.padEnd(18)} ${l.email.padEnd(30)} ${l.password}`);
  process.stdout.write(`\nDemo logins:\n${lines.join('\n')}\n\n`);
}

function fail(message: string): never {
  process.stderr.write(`iescp: ${message}\n`);
  process.exit(1);
}

void main();
