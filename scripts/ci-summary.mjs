// Sums every suite .ci/run ran into the one line CI reads: "N passed, N failed".
// Vitest writes JSON reports (VITEST_JSON_DIR); node:test's TAP/spec summary gives "pass N"/"fail N".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const [dir, stepsFailedArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;

function walk(p) {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) return readdirSync(p).forEach((f) => walk(path.join(p, f)));
  if (p.endsWith('.json')) {
    const report = JSON.parse(readFileSync(p, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    // A suite that failed to load has no tests; count it so it cannot pass silently.
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
    }
  } else if (p.endsWith('e2e.log')) {
    const text = readFileSync(p, 'utf8');
    const pass = /^[#ℹ]\s*pass (\d+)/m.exec(text);
    const fail = /^[#ℹ]\s*fail (\d+)/m.exec(text);
    // A test whose suite's `before` hook threw is reported cancelled, not failed: it did not pass.
    const cancelled = /^[#ℹ]\s*cancelled (\d+)/m.exec(text);
    passed += pass ? Number(pass[1]) : 0;
    failed += (fail ? Number(fail[1]) : pass ? 0 : 1) + (cancelled ? Number(cancelled[1]) : 0);
  }
}

walk(dir);
const stepsFailed = Number(stepsFailedArg ?? 0);
if (stepsFailed > 0) console.log(`ci: ${stepsFailed} step(s) failed (counted as failures)`);
console.log(`${passed} passed, ${failed + stepsFailed} failed`);
process.exit(failed + stepsFailed > 0 ? 1 : 0);
