#!/usr/bin/env node
// Every package the lock file installs must run on the oldest Node.js we support (the root
// package.json's `engines.node`), so `npm install` on Node 20 prints no EBADENGINE warning and
// nothing fails at run time on a version a dependency never promised to support. When a new
// dependency needs a newer Node, this says which one, and the fix is an `overrides` entry in the
// root package.json (or raising `engines`, `.nvmrc` and the README together).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const lock = JSON.parse(readFileSync(`${root}/package-lock.json`, 'utf8'));
const oldest = semver.minVersion(manifest.engines.node);
const nvmrc = readFileSync(`${root}/.nvmrc`, 'utf8').trim();

const problems = [];
if (semver.major(oldest) !== Number(nvmrc)) {
  problems.push(`.nvmrc says Node ${nvmrc} but engines.node (${manifest.engines.node}) starts at ${oldest}`);
}
for (const [path, entry] of Object.entries(lock.packages)) {
  const wanted = entry.engines?.node;
  if (!path || !wanted || typeof wanted !== 'string') continue;
  if (!semver.satisfies(oldest, wanted, { includePrerelease: false })) {
    problems.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${wanted}`);
  }
}

if (problems.length > 0) {
  console.error(`check-engines: not installable on Node ${oldest} without warnings:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-engines: every locked package supports Node ${oldest}`);
