// `npm run admin -- --email … --password …`: the operator CLI, run exactly like `npm start`
// (same working directory, so the same .env and ./data), on the freshly built code.
import path from 'node:path';
import { ensureBuilt } from './ensure-built.mjs';

const root = ensureBuilt();
await import(path.join(root, 'apps/api/dist/cli.js'));
