// `npm start`: rebuilds only what changed, then runs the server in this process — API, web app
// and jobs on one port. The working directory (npm runs root scripts from the root) is where
// `.env` and the default DATA_DIR (./data) are read.
import path from 'node:path';
import { ensureBuilt } from './ensure-built.mjs';

const root = ensureBuilt();
await import(path.join(root, 'apps/api/dist/main.js'));
