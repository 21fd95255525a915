/**
 * The evidence pack of a year (bench/evidence-store.ts: 10,000 remediations, 200,000 audit events, 2,000 evidence
 * files), built by a process of its own so its peak RSS is the pack's: goal under 30 s and under 500 MB. With the
 * system's Chromium when there is one (report.pdf included; Chromium's own memory is its processes', not counted).
 * The store is built once into .bench/ and reused (`--fresh` rebuilds it).
 * Run: npx tsx bench/evidence-pack.ts [--fresh]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEvidencePack, type PackPhase } from '../src/app/evidence/build-pack.js';
import { parsePeriod } from '../src/app/evidence/period.js';
import { printerFor } from '../src/browser/printer-for.js';
import { parseBaseConfig } from '../src/config.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { buildEvidenceYear, SIZE, YEAR } from './evidence-store.js';

export const EVIDENCE_GOALS = { seconds: 30, peakRssMb: 500 } as const;
// The suffix changes when a store built earlier no longer opens as it is (v2: the history became migration 6).
const STORE_DIR = join(process.cwd(), '.bench', 'evidence-year-v2');
const NOW = new Date('2027-01-10T08:00:00.000Z');

export interface EvidencePackBench {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** CPU time of Chromium's processes while they ran (sampled every 250 ms from /proc: a floor, not exact). */
  readonly chromiumCpuSeconds: number;
  readonly peakRssMb: number;
  readonly packMb: number;
  readonly pdf: boolean;
  readonly remediations: number;
  readonly auditEvents: number;
  readonly evidenceFiles: number;
  /** Seconds spent in each phase, wall and this process's CPU. */
  readonly phases: Readonly<Partial<Record<PackPhase, { readonly wall: number; readonly cpu: number }>>>;
}

/** In the child: builds the pack and prints its figures as one JSON line. */
async function child(dbPath: string, out: string): Promise<void> {
  // On a copy: the pack records its export in the audit log, and the next run should find the store as built.
  const copy = join(dirname(out), 'run.db');
  copyFileSync(dbPath, copy);
  const store = await openSqliteStore({ path: copy, evidenceDir: join(dirname(dbPath), 'evidence') });
  const config = parseBaseConfig({ CHROMIUM_PATH: process.env['CHROMIUM_PATH'] }, () => null);
  const chromium = config.ok ? config.value.chromiumPath : null;
  const period = parsePeriod({ from: YEAR.from, to: YEAR.to }, 'UTC', NOW);
  if (!period.ok) throw new Error(period.error.reason);
  const pack = createEvidencePack({ store, policy: { timezone: 'UTC', inventory: { staleScanDays: 30 }, advisories: { reviewWithinDays: 7 } }, sources: { github: true, snyk: true, ssm: true }, printer: printerFor(chromium), toolVersion: 'bench', now: () => NOW });
  const phases: Partial<Record<PackPhase, { wall: number; cpu: number }>> = {};
  let phase: PackPhase | null = null;
  let since = performance.now();
  let cpuSince = process.cpuUsage();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const children = sampleChildren();
  const result = await pack({
    period: period.value, out, by: 'system:bench',
    onProgress: (p) => {
      if (p.phase === phase) return;
      const t = performance.now();
      const c = process.cpuUsage(cpuSince);
      if (phase) phases[phase] = { wall: (t - since) / 1000, cpu: (c.user + c.system) / 1e6 };
      phase = p.phase;
      since = t;
      cpuSince = process.cpuUsage();
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  await store.close();
  rmSync(copy, { force: true });
  const m = result.manifest;
  const figures: EvidencePackBench = {
    seconds, cpuSeconds: (user + system) / 1e6, chromiumCpuSeconds: children.stop(), peakRssMb: process.resourceUsage().maxRSS / 1024, packMb: result.size / 1_048_576,
    pdf: m.files.some((f) => f.path === 'report.pdf'), remediations: m.counts.remediations, auditEvents: m.counts.auditEvents, evidenceFiles: m.counts.evidenceFiles, phases,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** CPU seconds used so far by each live descendant of this process (Chromium's processes), from /proc (Linux). */
function descendantsCpu(): Map<number, number> {
  const procs = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 }); // utime, stime in USER_HZ
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Map<number, number>([[process.pid, 0]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (mine.has(pid) || !mine.has(p.ppid)) continue;
      mine.set(pid, p.cpu);
      grew = true;
    }
  }
  mine.delete(process.pid);
  return mine;
}

/** Samples the descendants every 250 ms (they come and go): each one's last reading, summed. A floor, not exact. */
function sampleChildren(): { stop(): number } {
  const last = new Map<number, number>();
  const sample = (): void => {
    if (process.platform !== 'linux') return;
    for (const [pid, cpu] of descendantsCpu()) last.set(pid, cpu);
  };
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return [...last.values()].reduce((a, b) => a + b, 0);
    },
  };
}

export async function main(log: (line: string) => void = console.log, fresh = false): Promise<EvidencePackBench> {
  const dbPath = join(STORE_DIR, 'patchwarden.db');
  if (fresh || !existsSync(join(STORE_DIR, 'complete'))) {
    rmSync(STORE_DIR, { recursive: true, force: true });
    mkdirSync(STORE_DIR, { recursive: true });
    const started = performance.now();
    const store = await openSqliteStore({ path: dbPath });
    await buildEvidenceYear(store, (l) => log(`  ${l}`));
    await store.close();
    writeFileSync(join(STORE_DIR, 'complete'), `${SIZE.remediations}\n`);
    log(`  (store built in ${((performance.now() - started) / 1000).toFixed(0)} s, kept in ${STORE_DIR})`);
  }
  const out = join(STORE_DIR, 'pack.zip');
  const line = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dbPath, out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const b = JSON.parse(line.trim().split('\n').at(-1)!) as EvidencePackBench;
  rmSync(out, { force: true });
  const fmt = (n: number): string => n.toLocaleString('en-US');
  log(
    `evidence pack of a year: ${fmt(b.remediations)} remediations, ${fmt(b.auditEvents)} audit events in the period, ${fmt(b.evidenceFiles)} evidence files` +
      `${b.pdf ? ', report.pdf' : ' (no Chromium: no PDF)'}: ${b.seconds.toFixed(1)} s (CPU ${b.cpuSeconds.toFixed(1)} s here + ${b.chromiumCpuSeconds.toFixed(1)} s in Chromium), peak RSS ${b.peakRssMb.toFixed(0)} MB, zip ${b.packMb.toFixed(0)} MB` +
      ` (goals < ${EVIDENCE_GOALS.seconds} s, < ${EVIDENCE_GOALS.peakRssMb} MB); phases (wall / CPU here) ${Object.entries(b.phases).map(([k, v]) => `${k} ${v.wall.toFixed(1)} / ${v.cpu.toFixed(1)} s`).join(', ')}`,
  );
  return b;
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
  else await main(console.log, process.argv.includes('--fresh'));
}
