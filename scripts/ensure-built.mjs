// Rebuilds only what changed since the last build (the install already built everything), so
// `npm start` and `npm run admin` always run the code in the working tree.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(p)
      .filter((f) => f !== 'node_modules')
      .map((f) => newest(path.join(p, f))),
  );
}

const parts = [
  { workspace: 'packages/shared', output: 'packages/shared/dist/index.js', inputs: ['packages/shared/src'] },
  {
    workspace: 'apps/web',
    output: 'apps/web/dist/index.html',
    inputs: [
      'apps/web/src',
      'apps/web/index.html',
      'apps/web/public',
      'packages/api-client/src',
      'packages/shared/src',
    ],
  },
  { workspace: 'apps/api', output: 'apps/api/dist/main.js', inputs: ['apps/api/src', 'packages/shared/src'] },
];

/** Builds the stale parts; returns the repository root. */
export function ensureBuilt() {
  for (const part of parts) {
    const built = existsSync(at(part.output)) ? statSync(at(part.output)).mtimeMs : 0;
    if (built === 0 || Math.max(...part.inputs.map((i) => newest(at(i)))) > built) {
      console.log(`building ${part.workspace} …`);
      execFileSync('npm', ['run', 'build', '--workspace', part.workspace], { cwd: root, stdio: 'inherit' });
    }
  }
  return root;
}
