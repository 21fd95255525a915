/**
 * How fast the monitor's sync is on loadScale(): 50,000 Dependabot alerts over 1,000 repositories, 25,000 Snyk issues
 * in 1,100 projects, 2,500 SSM instances x 15 missing patches (112,500 findings), KEV and EPSS. The fakes serve it
 * from a child process (their CPU is not the sync's, and the population's memory is not counted in the sync's peak
 * RSS); another child runs the real sync (createSources + createSync, compiled as `npm start` runs them) into the store given (a fresh SQLite file by
 * default, or a MongoDB database), which `npm run bench` then starts the bot on. It prints:
 *   first-sync wall time (goal < 60 s); requests made vs the minimum; wall time / the time a bare client takes to
 *   fetch the same pages (plain fetch, same order and concurrency, bodies read and JSON-parsed; goal < 1.5);
 *   peak RSS (goal < 500 MB); the unchanged re-sync time (goal: at least 10x faster than the first).
 * Run: npx tsx bench/sync.ts [--latency <ms>] [--quick]   (`npm run bench` runs every bench; --latency delays every
 * answer of the fakes, as a remote API's round trip would, to see how much of the sync's own work hides behind the
 * network; --quick syncs a tenth of the size)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SyncReport } from '../src/app/sync/report.js';
import { compiled, compiledModule, syncMeasureScript } from './compiled.js';
import { withCleanup } from './cleanup.js';
import { serveFakes, type FakeRequest, type FakesReady, type SourceKey } from './sync-fakes.js';

export const SYNC_GOALS = { firstSyncSeconds: 60, bareRatio: 1.5, peakRssMb: 500, resyncSpeedup: 10 } as const;

/** Where the sync writes: an SQLite file, or a MongoDB database (its name in the URI's path). */
export type StoreTarget = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'mongo'; readonly uri: string };

export interface SyncBenchOptions {
  /** Delay of every answer of the fakes, in ms. */
  readonly latencyMs?: number;
  /** loadScale(divide): 1 is the full size, 10 for --quick. */
  readonly divide?: number;
  /** Kept after the bench (the caller removes it); default a temporary SQLite file, removed. */
  readonly target?: StoreTarget;
  /** The measurement is stopped and the bench fails past this (default 15 minutes): it never hangs. */
  readonly timeoutMs?: number;
}

export interface SyncBench {
  readonly firstSeconds: number;
  readonly resyncSeconds: number;
  readonly bareSeconds: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  /** CPU seconds of this process during the first sync, and of the fakes' process (the machine may be shared). */
  readonly cpu: { readonly sync: number; readonly fakes: number; readonly bare: number };
  readonly requests: Record<SourceKey, { made: number; minimum: number; resync: number }>;
  readonly first: SyncReport;
  readonly resync: SyncReport;
}

const GITHUB_TOKEN = 'gh-bench-token-1a2b3c';
const SNYK_TOKEN = 'snyk-bench-token-4d5e6f';

/** Talks to the child that serves the fakes. */
export interface Served {
  readonly requests: Record<SourceKey, FakeRequest[]>;
  /** The fakes' process's CPU time so far. */
  readonly cpu: NodeJS.CpuUsage;
}

export function fakesProcess(latencyMs = 0, divide = 1): { ready: Promise<FakesReady>; requests(reset: boolean): Promise<Served>; stop(): void; child: ChildProcess } {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-fakes', String(latencyMs), '--divide', String(divide)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: ((m: unknown) => void) | null = null;
  const ready = new Promise<FakesReady>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fakes' process exited (${code})`)));
    child.on('message', (m: { type: string }) => {
      if (m.type === 'ready') resolve(m as FakesReady);
      else waiting?.(m);
    });
  });
  return {
    child,
    ready,
    requests: (reset) =>
      new Promise((resolve) => {
        waiting = (m) => resolve(m as Served);
        child.send({ type: 'requests', reset });
      }),
    stop: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

/** Fetches the recorded requests again with plain fetch: each source in order (SSM 8 at a time, as its adapter). */
async function bareClient(ready: FakesReady, requests: Record<SourceKey, FakeRequest[]>): Promise<number> {
  const auth: Record<SourceKey, string> = { github: `token ${GITHUB_TOKEN}`, snyk: `token ${SNYK_TOKEN}`, ssm: 'AWS4-HMAC-SHA256 Credential=test/20261101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0', kev: '', epss: '' };
  const one = async (source: SourceKey, r: FakeRequest): Promise<void> => {
    const url = `${ready.urls[source]}${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`;
    const headers: Record<string, string> = { accept: r.headers.accept ?? 'application/json', ...(auth[source] ? { authorization: auth[source] } : {}) };
    for (const h of ['x-amz-target', 'content-type', 'x-github-api-version']) if (r.headers[h]) headers[h] = r.headers[h];
    const res = await fetch(url, { method: r.method, headers, ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}) });
    const text = await res.text();
    if (text) JSON.parse(text);
  };
  const started = performance.now();
  await Promise.all(
    (Object.keys(requests) as SourceKey[]).map(async (source) => {
      const list = requests[source];
      const width = source === 'ssm' ? 8 : 1;
      let next = 0;
      await Promise.all(Array.from({ length: width }, async () => {
        while (next < list.length) await one(source, list[next++]!);
      }));
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * Runs the measurement in a process of its own, so that its peak RSS is the sync's alone (not what another bench
 * left in this one), and returns its figures.
 */
export async function main(log: (line: string) => void = console.log, options: SyncBenchOptions = {}): Promise<SyncBench> {
  if (!options.target) {
    // Alone (`npx tsx bench/sync.ts`): a temporary SQLite file of this process's, removed however the bench ends.
    return withCleanup(async (cleanup) => main(log, { ...options, target: { kind: 'sqlite', path: join(cleanup.dir('patchwarden-bench-sync'), 'bench.db') } }));
  }
  compiled(); // built here, so the measuring process (which inherits its environment) does not build it again
  // Plain node, as the bot and the CLI run: this file bundled (compiled.ts), without tsx's loader.
  const child = fork(syncMeasureScript(), ['--measure', JSON.stringify(options)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stop = (): void => void (child.exitCode === null && child.kill('SIGKILL'));
  process.once('exit', stop);
  return new Promise<SyncBench>((resolve, reject) => {
    let result: SyncBench | null = null;
    const limit = options.timeoutMs ?? 15 * 60_000;
    const timer = setTimeout(() => {
      reject(new Error(`the sync bench did not finish within ${Math.round(limit / 60_000)} min`));
      stop();
    }, limit);
    child.on('message', (m: { type: 'log'; line: string } | { type: 'result'; result: SyncBench }) => {
      if (m.type === 'log') log(m.line);
      else result = m.result;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.off('exit', stop);
      if (result) resolve(result);
      else reject(new Error(`the sync bench's process exited (${code}) without a result`));
    });
  });
}

/** The measurement itself: the fakes in a child process, the sync in this one. */
async function measure(log: (line: string) => void, { latencyMs = 0, divide = 1, target }: SyncBenchOptions & { target: StoreTarget }): Promise<SyncBench> {
  // This process stands in for the bot's or the CLI's: the same heap setting their entry points make.
  const { boundHeapGrowth } = await compiledModule<typeof import('../src/heap.js')>('heap');
  boundHeapGrowth();
  const fakes = fakesProcess(latencyMs, divide);
  const where = target;
  try {
    const ready = await fakes.ready;
    log(`population served by the fakes (child process${latencyMs > 0 ? `, ${latencyMs} ms per answer` : ''}): ${ready.summary}`);
    // The sync as `npm start` and the installed CLI run it: compiled (compiled.ts), its SQLite writer thread too.
    const { createSync } = await compiledModule<typeof import('../src/app/sync/sync.js')>('app/sync/sync');
    const { parseBaseConfig } = await compiledModule<typeof import('../src/config.js')>('config');
    const { createLogger } = await compiledModule<typeof import('../src/logger.js')>('logger');
    const { createSources } = await compiledModule<typeof import('../src/sources/create-sources.js')>('sources/create-sources');
    const { openStore } = await compiledModule<typeof import('../src/store/open-store.js')>('store/open-store');
    const parsed = parseBaseConfig(
      {
        GITHUB_TOKEN, GITHUB_ORG: ready.org, GITHUB_API_URL: ready.urls.github,
        SNYK_TOKEN, SNYK_ORG_ID: ready.orgId, SNYK_API_URL: ready.urls.snyk,
        AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ready.urls.ssm,
        KEV_URL: ready.kevUrl, EPSS_URL: ready.epssUrl,
      },
      () => null,
    );
    if (!parsed.ok) throw new Error(parsed.error.join('; '));
    const config = parsed.value;
    const store = await openStore({ mongodbUri: where.kind === 'mongo' ? where.uri : null, dbPath: where.kind === 'sqlite' ? where.path : '' });
    // BENCH_SYNC_LOG=warn (or any pino level): what the sync logs, to read a source's "internal error".
    const logger = createLogger(process.env.BENCH_SYNC_LOG ?? 'silent');
    const now = () => new Date();
    const sync = () => {
      const { sources, feeds } = createSources(config, { kv: store.kv, logger, now, clientOverrides: { awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } } });
      return createSync({ store, sources, feeds, sla: config.policy.sla, owners: config.policy.owners, now, logger });
    };
    try {
      const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;
      const before = await fakes.requests(true);
      let t = performance.now();
      let cpu = process.cpuUsage();
      const first = await sync()();
      const firstSeconds = (performance.now() - t) / 1000;
      const syncCpu = cpuSeconds(process.cpuUsage(cpu));
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      const served = await fakes.requests(true);
      if (first.status !== 'ok') throw new Error(`the first sync did not complete: ${JSON.stringify(first.sources.map((s) => [s.source, s.error]))}`);
      const [assets, findings] = [(await store.assets.list()).length, await store.findings.count()];
      if (assets !== ready.expected.assets || findings !== ready.expected.findings) throw new Error(`the first sync stored ${assets} assets and ${findings} findings, not ${ready.expected.assets} and ${ready.expected.findings}`);

      t = performance.now();
      const resync = await sync()();
      const resyncSeconds = (performance.now() - t) / 1000;
      const again = await fakes.requests(true);

      // The bare client last, on a warm fake, so that the ratio is not flattered by a cold one; with V8's own heap
      // growth (0: its default), so that it does not pay the sync's more frequent collections either.
      boundHeapGrowth(0);
      cpu = process.cpuUsage();
      const bareSeconds = await bareClient(ready, served.requests);
      const bareCpu = cpuSeconds(process.cpuUsage(cpu));
      await fakes.requests(true);
      const made = served.requests;
      const requests = Object.fromEntries(
        (Object.keys(made) as SourceKey[]).map((k) => [k, { made: made[k].length, minimum: ready.minimum[k], resync: again.requests[k].length }]),
      ) as SyncBench['requests'];
      const fakesCpu = cpuSeconds(served.cpu) - cpuSeconds(before.cpu);
      const result: SyncBench = { firstSeconds, resyncSeconds, bareSeconds, ratio: firstSeconds / bareSeconds, peakRssMb, cpu: { sync: syncCpu, fakes: fakesCpu, bare: bareCpu }, requests, first, resync };
      report(result, log);
      return result;
    } finally {
      await store.close();
    }
  } finally {
    fakes.stop();
  }
}

function report(r: SyncBench, log: (line: string) => void): void {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const c = r.first.sources.map((s) => `${s.source} ${n(s.counts.findingsSeen)} findings / ${n(s.counts.assetsSeen)} assets`).join(', ');
  log(`first sync: ${r.firstSeconds.toFixed(1)} s (goal < ${SYNC_GOALS.firstSyncSeconds} s: ${met(r.firstSeconds < SYNC_GOALS.firstSyncSeconds)}): ${c}; ${n(r.first.remediations.created)} remediations created, ${n(r.first.remediations.updated)} refreshed`);
  log(`  CPU: ${r.cpu.sync.toFixed(1)} s in the syncing process, ${r.cpu.fakes.toFixed(1)} s in the fakes' (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs)`);
  for (const [k, v] of Object.entries(r.requests)) log(`  requests ${k}: ${n(v.made)} made, minimum ${n(v.minimum)}; unchanged re-sync ${n(v.resync)}`);
  log(`bare client (plain fetch of the same ${n(Object.values(r.requests).reduce((s, v) => s + v.made, 0))} requests, bodies parsed): ${r.bareSeconds.toFixed(1)} s (${r.cpu.bare.toFixed(1)} s CPU); sync / bare = ${r.ratio.toFixed(2)} (goal < ${SYNC_GOALS.bareRatio}: ${met(r.ratio < SYNC_GOALS.bareRatio)})`);
  log(`peak RSS of the syncing process: ${n(r.peakRssMb)} MB (goal < ${SYNC_GOALS.peakRssMb} MB: ${met(r.peakRssMb < SYNC_GOALS.peakRssMb)})`);
  const speedup = r.firstSeconds / r.resyncSeconds;
  log(`unchanged re-sync: ${r.resyncSeconds.toFixed(2)} s = ${speedup.toFixed(0)}x faster (goal >= ${SYNC_GOALS.resyncSpeedup}x: ${met(speedup >= SYNC_GOALS.resyncSpeedup)}); wrote ${n(r.resync.sources.reduce((s, x) => s + x.counts.findingsNew + x.counts.findingsChanged + x.counts.assetsWritten, 0))} records`);
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  const arg = (flag: string): string | undefined => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
  const at = (flag: string): number => Number(arg(flag) ?? 0);
  if (process.argv.includes('--serve-fakes')) await serveFakes(at('--serve-fakes'), at('--divide') || 1);
  else if (process.argv.includes('--measure')) {
    const result = await measure((line) => void process.send?.({ type: 'log', line }), JSON.parse(arg('--measure') ?? '{}') as SyncBenchOptions & { target: StoreTarget });
    process.send?.({ type: 'result', result }, () => process.exit(0));
  } else await main(console.log, { latencyMs: at('--latency'), divide: process.argv.includes('--quick') ? 10 : 1 });
}
