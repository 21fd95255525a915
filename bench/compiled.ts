/**
 * The code as `npm start` and the installed CLI run it: compiled by `tsc -p tsconfig.build.json` from the current
 * source into .bench/dist (once per bench process), so a bench measures what users run: no TypeScript loader in the
 * bot, its SQLite writer thread or the sync (the loader alone costs the syncing process some 50 MB of RSS).
 * .bench/dist sits inside the repository, so its imports find node_modules as dist/ does. The process that measures
 * the sync is plain node too: bench/sync.ts bundled by esbuild into .bench/sync-measure.mjs (its packages left as
 * imports), so no loader thread counts in the syncing process's peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const OUT = join(REPO_ROOT, '.bench', 'dist');
const SYNC_BUNDLE = join(REPO_ROOT, '.bench', 'sync-measure.mjs');

/**
 * `path`, made by `make` once per bench run: the environment variable `key` names it once made, so the bench's child
 * processes (which inherit the environment) use the same build.
 */
function builtOnce(key: string, path: string, make: () => void): string {
  if (process.env[key] !== path) {
    make();
    process.env[key] = path;
  }
  return path;
}

const bin = (...parts: string[]): string => join(REPO_ROOT, 'node_modules', ...parts);

/** Builds .bench/dist from the current source (once per bench run) and returns its folder. */
export const compiled = (): string =>
  builtOnce('PATCHWARDEN_BENCH_BUILT', OUT, () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync(process.execPath, [bin('typescript', 'bin', 'tsc'), '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', OUT, '--sourceMap', 'false'], { stdio: 'inherit' });
  });

/** A compiled module of src/ (`app/sync/sync` for src/app/sync/sync.ts), imported. */
export async function compiledModule<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(compiled(), `${path}.js`)).href)) as T;
}

/** bench/sync.ts as one plain JavaScript file (built once per bench run), to run the sync's measurement without tsx. */
export const syncMeasureScript = (): string =>
  builtOnce('PATCHWARDEN_BENCH_BUNDLED', SYNC_BUNDLE, () =>
    execFileSync(bin('.bin', 'esbuild'), [join(REPO_ROOT, 'bench', 'sync.ts'), '--bundle', '--platform=node', '--format=esm', '--packages=external', '--target=node20', `--outfile=${SYNC_BUNDLE}`, '--log-level=warning'], { stdio: 'inherit' }),
  );
