/**
 * Writes the served OpenAPI document to a file (for the generated web client), using the same
 * buildApp the server runs, on a throw-away in-memory database.
 */
import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';

const out = process.argv[2] ?? 'openapi.json';
const config = loadConfig({}, { LOG_LEVEL: 'silent', WEB_DIST_DIR: '/nonexistent' });
const database = openDatabase({ dataDir: 'memory://' });
await database.migrate();
const app = await buildApp(config, { database, redis: null, logger: false });
await app.ready();
writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
process.stdout.write(`wrote ${out}\n`);
