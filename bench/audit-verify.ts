/**
 * How fast `patchwarden audit verify` checks a large audit log: builds 200,000 events in a temp SQLite store through
 * the port (in large batches), then times verifyChain over store.audit.stream(). Goal: > 100,000 events/s.
 * Run: npx tsx bench/audit-verify.ts [events]
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { verifyChain, type AuditEventInput } from '../src/app/audit.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';

const BATCH = 10_000;
export const GOAL_EVENTS_PER_SECOND = 100_000;

const input = (i: number): AuditEventInput => ({
  at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  actor: i % 7 === 0 ? 'system:sync' : `U0${(i % 50).toString().padStart(6, '0')}`,
  action: (['remediation.assessed', 'evidence.uploaded', 'remediation.approved', 'sync.completed'] as const)[i % 4]!,
  subject: `PW-${(i % 5000) + 1}`,
  data: { severity: 'high', dueAt: '2026-12-01T00:00:00.000Z', rationale: 'internet-facing service, exploit published', files: [{ sha256: 'ab'.repeat(32), size: 1024 + i }] },
});

export interface AuditVerifyBench {
  readonly events: number;
  readonly buildSeconds: number;
  readonly verifySeconds: number;
  /** CPU time of the verify alone: on a busy machine it is the steadier figure (verify runs on one thread). */
  readonly verifyCpuSeconds: number;
  readonly eventsPerSecond: number;
}

export async function main(events = 200_000, log: (line: string) => void = console.log): Promise<AuditVerifyBench> {
  const dir = mkdtempSync(join(tmpdir(), 'patchwarden-bench-'));
  const store = await openSqliteStore({ path: join(dir, 'bench.db') });
  try {
    const built = performance.now();
    for (let i = 0; i < events; i += BATCH) {
      await store.audit.append(Array.from({ length: Math.min(BATCH, events - i) }, (_, j) => input(i + j)));
    }
    const buildSeconds = (performance.now() - built) / 1000;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const verdict = await verifyChain(store.audit.stream());
    const verifySeconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const verifyCpuSeconds = (user + system) / 1e6;
    if (!verdict.ok || verdict.count !== events) throw new Error(`the benchmark's own log failed to verify: ${JSON.stringify(verdict)}`);
    const eventsPerSecond = Math.round(events / verifySeconds);
    const fmt = (n: number): string => n.toLocaleString('en-US');
    log(
      `audit verify: ${fmt(events)} events in ${verifySeconds.toFixed(2)} s = ${fmt(eventsPerSecond)} events/s ` +
        `(goal > ${fmt(GOAL_EVENTS_PER_SECOND)}/s: ${eventsPerSecond > GOAL_EVENTS_PER_SECOND ? 'met' : 'MISSED'}); ` +
        `${fmt(Math.round(events / verifyCpuSeconds))} events per CPU second; log built in ${buildSeconds.toFixed(2)} s`,
    );
    return { events, buildSeconds, verifySeconds, verifyCpuSeconds, eventsPerSecond };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  await main(process.argv[2] ? Number(process.argv[2]) : undefined);
}
