// Adds up the fault suite's tallies (one JSON file per case and store, written by test/faults/support/tally.ts)
// and prints the suite's last line. Exits non-zero when a fault was not survived, data was lost, or nothing ran.
//   node scripts/faults-summary.mjs <tally dir> <seed> [jest exit codes...]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, seed, ...codes] = process.argv.slice(2);
const tallies = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const sum = (k) => tallies.reduce((n, t) => n + t[k], 0);
const injected = sum('injected');
const survived = sum('survived');
const lost = sum('lost');
const logLines = sum('logLines');
const secretLines = sum('secretLines');
const failedRuns = codes.filter((c) => c !== '0').length;
const byStore = ['sqlite', 'mongo'].map((s) => [s, tallies.filter((t) => t.store === s).reduce((n, t) => n + t.injected, 0)]).filter(([, n]) => n > 0);
for (const t of tallies.filter((x) => x.survived < x.injected || x.lost > 0)) {
  console.log(`  ${t.case} (${t.store}): ${t.injected} injected, ${t.survived} survived, ${t.lost} lost`);
}
if (byStore.length > 0) console.log(`  by store: ${byStore.map(([s, n]) => `${s} ${n}`).join(', ')}; ${logLines} log lines (debug) checked, ${secretLines} showing a secret`);
// A jest run that failed may have failed after a case counted its faults survived: then say so on the line itself.
const survivedText = failedRuns > 0 ? `${survived} counted, but ${failedRuns} jest run(s) failed (above)` : String(survived);
console.log(`faults injected: ${injected}, survived: ${survivedText}, data lost: ${lost} (seed ${seed}: FAULTS_SEED=${seed} npm run test:faults replays it)`);
process.exitCode = injected === 0 || survived < injected || lost > 0 || secretLines > 0 || failedRuns > 0 ? 1 : 0;
