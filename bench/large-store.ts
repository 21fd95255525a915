/**
 * A large, realistic store for the benchmarks, built through the Store port (so what is measured is what the bot
 * reads): remediations spread over states, severities, owners and due dates, some closed over the past year, ten
 * findings each on a few thousand assets, a share of them with coverage gaps. Deterministic for a given size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../src/app/ports.js';
import type { Asset } from '../src/domain/asset.js';
import type { Finding } from '../src/domain/finding.js';
import { newRemediation } from '../src/domain/new-remediation.js';
import { type Remediation } from '../src/domain/remediation.js';
import { OPEN_STATES } from '../src/domain/remediation-state.js';
import type { Severity } from '../src/domain/severity.js';
import { DEFAULT_SLA } from '../src/domain/sla.js';
import { addDays, instant } from '../src/domain/time.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { createRng } from '../test/support/population/prng.js';

export const BENCH_NOW = new Date('2026-11-02T09:00:00.000Z');

export interface LargeStore {
  readonly store: Store;
  readonly remediations: number;
  readonly findings: number;
  readonly assets: number;
  readonly buildSeconds: number;
  dispose(): Promise<void>;
}

export async function buildLargeStore(size: { remediations: number; findingsPerRemediation: number; assets: number }): Promise<LargeStore> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'patchwarden-bench-store-'));
  const store = await openSqliteStore({ path: join(dir, 'bench.db') });
  const rnd = createRng(42).next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const day = (n: number): string => instant(addDays(BENCH_NOW, n));

  const assets: Asset[] = Array.from({ length: size.assets }, (_, i): Asset => {
    const ssm = i % 6 === 0;
    return {
      id: ssm ? `ssm:i-${i.toString(16).padStart(8, '0')}` : `github:acme/service-${i}`,
      kind: ssm ? 'instance' : 'repository',
      name: ssm ? `i-${i.toString(16).padStart(8, '0')}` : `acme/service-${i}`,
      source: ssm ? 'ssm' : 'github',
      environment: pick(['production', 'staging']),
      owner: i % 25 === 0 ? null : `U0OWNER${i % 40}`,
      inScope: i % 50 !== 0,
      lastSeenAt: day(-1),
      lastScannedAt: i % 30 === 0 ? day(-45) : day(-1),
      attributes: ssm ? { pingStatus: i % 60 === 0 ? 'ConnectionLost' : 'Online' } : { dependabotDisabled: i % 70 === 0 },
    };
  });
  await store.commit({ assets, events: [] });

  const severities: Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low'];
  let findings: Finding[] = [];
  let findingCount = 0;
  for (let i = 1; i <= size.remediations; i += 1) {
    const severity = pick(severities);
    const closed = rnd() < 0.4;
    const detected = closed ? -Math.floor(rnd() * 400) - 5 : -Math.floor(rnd() * 120);
    const asset = assets[i % assets.length]!;
    const id = `PW-${i}`;
    const findingIds = Array.from({ length: size.findingsPerRemediation }, (_, k) => `github:${asset.name}:alert:${i}-${k}`);
    const base = newRemediation(
      {
        id, key: `${asset.id}|npm:pkg-${i}`, title: `Upgrade pkg-${i} to 1.${i % 30}.0 in ${asset.name}`,
        remedy: { kind: 'package_upgrade', ecosystem: 'npm', package: `pkg-${i}`, fixedIn: `1.${i % 30}.0` },
        assetIds: [asset.id], findingIds, cves: [`CVE-2026-${10000 + i}`], severity, detectedAt: day(detected), kevDueAt: null,
        owner: rnd() < 0.1 ? null : `U0OWNER${Math.floor(rnd() * 40)}`,
      },
      DEFAULT_SLA,
      BENCH_NOW,
    );
    const closedAt = closed ? day(Math.min(-1, detected + Math.floor(rnd() * 60) + 1)) : null;
    const riskAccepted = closed && rnd() < 0.15;
    const r: Remediation = {
      ...base,
      createdAt: day(detected),
      state: closed ? (riskAccepted ? 'risk_accepted' : 'verified') : pick(OPEN_STATES),
      closedAt,
      resolution: closed ? (riskAccepted ? 'risk_accepted' : 'deployed') : null,
    };
    const created = await store.remediations.create(r, []);
    if (!created.ok) throw new Error(`bench store: ${created.error.code}`);
    findings.push(
      ...findingIds.map((fid): Finding => ({
        id: fid, source: 'github', assetId: asset.id, title: `Advisory for pkg-${i}`, package: `pkg-${i}`, ecosystem: 'npm', fixedIn: '1.0.0',
        cves: r.cves, ghsas: [], severity, cvss: 7.5, epss: 0.1, kevDueAt: null, url: null, state: closed ? 'fixed' : 'open',
        detectedAt: r.detectedAt, fixedAt: closed ? closedAt : null, dismissedAt: null, remediationId: id,
      })),
    );
    if (findings.length >= 10_000) {
      findingCount += findings.length;
      await store.commit({ findings, events: [] });
      findings = [];
    }
  }
  findingCount += findings.length;
  await store.commit({ findings, events: [] });
  return {
    store,
    remediations: size.remediations,
    findings: findingCount,
    assets: assets.length,
    buildSeconds: (performance.now() - started) / 1000,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
