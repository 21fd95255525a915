/**
 * How long the `patchwarden` command takes to start, as an operator runs it: the compiled bin
 * (`node dist/cli/index.js`, built from the current source into .bench/dist: compiled.ts) as a whole process, for `--help`,
 * and for `audit verify` and `inventory` on an empty store (the commands an auditor runs). Each command loads only
 * what it needs (src/cli/commands.ts).
 * Goal: median wall time < 300 ms each. A bare `node -e 0` is timed alongside: on a shared machine the difference
 * is the steadier figure. Run: npx tsx bench/cli-startup.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { compiled } from './compiled.js';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';

export const CLI_GOAL_MS = 300;

export interface StartupTiming {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface CliStartupBench {
  readonly help: StartupTiming;
  readonly auditVerify: StartupTiming;
  readonly inventory: StartupTiming;
  readonly bareNode: StartupTiming;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function time(name: string, args: readonly string[], env: NodeJS.ProcessEnv, runs: number): StartupTiming {
  const walls: number[] = [];
  for (let i = 0; i <= runs; i += 1) {
    const started = performance.now();
    const res = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (res.status !== 0) throw new Error(`${name} exited ${res.status}: ${res.stderr}`);
    if (i > 0) walls.push(ms); // the first run warms the file cache
  }
  return { name, medianMs: median(walls), minMs: Math.min(...walls), maxMs: Math.max(...walls) };
}

export async function main(runs = 11, log: (line: string) => void = console.log): Promise<CliStartupBench> {
  const bin = join(compiled(), 'cli', 'index.js');
  const dir = mkdtempSync(join(tmpdir(), 'patchwarden-cli-bench-'));
  try {
    const db = join(dir, 'empty.db');
    await (await openSqliteStore({ path: db })).close();
    const env = { PATH: process.env.PATH, PATCHWARDEN_DB: db };
    const bench: CliStartupBench = {
      help: time('patchwarden --help', [bin, '--help'], env, runs),
      auditVerify: time('patchwarden audit verify (empty store)', [bin, 'audit', 'verify'], env, runs),
      inventory: time('patchwarden inventory (empty store)', [bin, 'inventory'], env, runs),
      bareNode: time('node -e 0', ['-e', '0'], env, runs),
    };
    for (const t of [bench.help, bench.auditVerify, bench.inventory, bench.bareNode]) {
      log(`${t.name}: median ${t.medianMs.toFixed(0)} ms (min ${t.minMs.toFixed(0)}, max ${t.maxMs.toFixed(0)}) over ${runs} runs`);
    }
    return bench;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  await main(process.argv[2] ? Number(process.argv[2]) : undefined);
}
