/**
 * Single requests, measured in-process on large stores (what one person waits for when nobody else is asking; the
 * load bench, bench/load.ts, measures many at once against the running bot):
 *   (b) `/patch status` over 10,000 remediations and 100,000 findings in SQLite: the report and its message, computed
 *       afresh each time (as after every change of the store). Goal < 100 ms.
 *   (c) digest construction (selection, summary, pages, CSV) for 5,000 remediations.
 * Run: npx tsx bench/slack.ts [status|digest]...   (both by default; `npm run bench` runs every bench)
 */
import { realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createDigestContent } from '../src/app/reports/digest.js';
import { createInventoryReport } from '../src/app/reports/inventory-report.js';
import { createStatusReport } from '../src/app/reports/status-report.js';
import { DEFAULT_SLA } from '../src/domain/sla.js';
import { policySchema } from '../src/policy.js';
import { remediationsCsv } from '../src/slack/posting/csv.js';
import { digestPages, digestSummary } from '../src/slack/views/digest.js';
import { statusMessage } from '../src/slack/views/status.js';
import { DEFAULT_POLICY } from '../test/support/bot-harness.js';
import { BENCH_NOW, buildLargeStore } from './large-store.js';

export const GOALS = { statusMs: 100 } as const;

export interface Timing {
  readonly name: string;
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface SlackBench {
  readonly status?: Timing & { readonly cpuMsPerRun: number; readonly remediations: number; readonly findings: number; readonly buildSeconds: number };
  readonly digest?: Timing & { readonly cpuMsPerRun: number; readonly remediations: number; readonly csvBytes: number; readonly pages: number };
}

/** Nearest-rank percentile. */
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

export function timing(name: string, samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, samples: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

/** This process's CPU time in ms: on a shared machine, steadier than the wall clock. */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** (b) The status report and its message, over a store of 10,000 remediations and 100,000 findings. */
export async function statusOverLargeStore(log: (line: string) => void, runs = 30): Promise<NonNullable<SlackBench['status']>> {
  const large = await buildLargeStore({ remediations: 10_000, findingsPerRemediation: 10, assets: 3_000 });
  try {
    const policy = policySchema.parse({ timezone: 'Europe/Berlin', maintenanceWindows: DEFAULT_POLICY.maintenanceWindows });
    const now = () => BENCH_NOW;
    const report = createStatusReport({
      store: large.store,
      inventory: createInventoryReport({ store: large.store, staleScanDays: policy.inventory.staleScanDays, now }),
      windows: policy.maintenanceWindows,
      timeZone: policy.timezone,
      now,
    });
    const ctx = { now: BENCH_NOW, timeZone: policy.timezone, sla: DEFAULT_SLA };
    const samples: number[] = [];
    let last = '';
    let cpu = 0;
    for (let i = 0; i <= runs; i += 1) {
      const c = cpuNow();
      const [ms, message] = await timed(async () => statusMessage(await report(), ctx));
      if (i > 0) {
        samples.push(ms);
        cpu += cpuNow() - c;
      }
      last = message.text;
    }
    const t = { ...timing('/patch status (report + message)', samples), cpuMsPerRun: cpu / runs, remediations: large.remediations, findings: large.findings, buildSeconds: large.buildSeconds };
    log(`status over ${large.remediations.toLocaleString('en-US')} remediations / ${large.findings.toLocaleString('en-US')} findings / ${large.assets.toLocaleString('en-US')} assets: p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, ${t.cpuMsPerRun.toFixed(1)} ms CPU per run, over ${t.samples} runs (store built in ${t.buildSeconds.toFixed(1)} s) — "${last}"`);
    return t;
  } finally {
    await large.dispose();
  }
}

/** (c) Building a digest for 5,000 remediations: selection from the store, summary, thread pages, CSV. */
export async function digestConstruction(log: (line: string) => void, runs = 10): Promise<NonNullable<SlackBench['digest']>> {
  const large = await buildLargeStore({ remediations: 5_000, findingsPerRemediation: 10, assets: 1_500 });
  try {
    const now = () => BENCH_NOW;
    const timeZone = 'Europe/Berlin';
    const select = createDigestContent({ store: large.store, inventory: createInventoryReport({ store: large.store, staleScanDays: 30, now }), timeZone, now });
    const ctx = { now: BENCH_NOW, timeZone, sla: DEFAULT_SLA };
    const samples: number[] = [];
    let shape = { rows: 0, csvBytes: 0, pages: 0 };
    let cpu = 0;
    for (let i = 0; i <= runs; i += 1) {
      const c = cpuNow();
      const [ms, built] = await timed(async () => {
        const content = await select();
        const summary = digestSummary(content, ctx);
        const pages = summary.cut ? digestPages(content, ctx) : [];
        const csv = remediationsCsv(content.all, new Set(content.fresh.map((r) => r.id)), DEFAULT_SLA, BENCH_NOW);
        return { rows: content.all.length, csvBytes: Buffer.byteLength(csv), pages: pages.length };
      });
      if (i > 0) {
        samples.push(ms);
        cpu += cpuNow() - c;
      }
      shape = built;
    }
    const t = { ...timing('digest construction', samples), cpuMsPerRun: cpu / runs, remediations: shape.rows, csvBytes: shape.csvBytes, pages: shape.pages };
    log(`digest for ${large.remediations.toLocaleString('en-US')} remediations (${shape.rows.toLocaleString('en-US')} rows: open + new): p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, ${t.cpuMsPerRun.toFixed(1)} ms CPU per run, over ${t.samples} runs; ${shape.pages} thread pages, CSV ${(shape.csvBytes / 1024).toFixed(0)} KiB`);
    return t;
  } finally {
    await large.dispose();
  }
}

export async function main(parts: readonly string[] = ['status', 'digest'], log: (line: string) => void = console.log): Promise<SlackBench> {
  return {
    ...(parts.includes('status') ? { status: await statusOverLargeStore(log) } : {}),
    ...(parts.includes('digest') ? { digest: await digestConstruction(log) } : {}),
  };
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  await main(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
