/**
 * What a sync of a population must leave in the store, worked out from the population's raw records by the rules
 * of the design alone (not by the code under test): every repository, Snyk project and instance as an asset; every
 * alert, issue and missing or failed patch as a finding in its state; and the open findings grouped one
 * remediation per (target, remedy) — a package in a repository whichever source saw it, the missing patches of an
 * environment — with the highest severity and the SLA's due date from the earliest detection, pulled in by KEV.
 */
import type { Store } from '../../src/app/ports.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import { normaliseSeverity, type Severity } from '../../src/domain/severity.js';
import type { Population } from '../support/population/types.js';

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** Environments of the default policy: an instance tagged otherwise (or not at all) is unassigned. */
const ENVIRONMENTS = ['staging', 'production'];

export interface ExpectedGroup {
  readonly findings: string[];
  readonly severity: Severity;
  readonly dueAt: string;
  readonly kevDueAt: string | null;
}

export interface Expected {
  readonly assets: string[];
  /** Finding id -> state. */
  readonly findings: Map<string, 'open' | 'fixed' | 'dismissed'>;
  /** Sorted by their first finding id. */
  readonly groups: ExpectedGroup[];
}

interface OpenFinding {
  id: string;
  group: string;
  severity: Severity;
  detectedAt: string;
  cves: string[];
}

export function expectedOf(p: Population, only: readonly ('github' | 'snyk' | 'ssm')[] = ['github', 'snyk', 'ssm']): Expected {
  const kev = new Map(p.kev.entries.map((e) => [e.cveID, `${e.dueDate}T00:00:00.000Z`]));
  const assets: string[] = [];
  const findings = new Map<string, 'open' | 'fixed' | 'dismissed'>();
  const open: OpenFinding[] = [];
  const add = (id: string, state: 'open' | 'fixed' | 'dismissed', f: Omit<OpenFinding, 'id'>): void => {
    findings.set(id, state);
    if (state === 'open') open.push({ id, ...f });
  };
  if (only.includes('github')) {
    for (const r of p.github.repos) assets.push(`github:${r.fullName}`);
    for (const a of p.github.alerts) {
      const state = a.state === 'open' ? 'open' : a.state === 'fixed' ? 'fixed' : 'dismissed';
      const adv = a.advisory;
      add(`github:${a.repo.fullName}:alert:${a.number}`, state, { group: `repo:${a.repo.fullName}|${adv.ecosystem}:${adv.packageName}`, severity: adv.severity, detectedAt: a.createdAt, cves: adv.cveId ? [adv.cveId] : [] });
    }
  }
  if (only.includes('snyk')) {
    for (const pr of p.snyk.projects) assets.push(`snyk:project:${pr.id}`);
    for (const i of p.snyk.issues) {
      const state = i.status === 'resolved' ? 'fixed' : i.ignored ? 'dismissed' : 'open';
      const target = i.project.repo ? `repo:${i.project.repo.fullName}` : `snyk:project:${i.project.id}`;
      const adv = i.advisory;
      add(`snyk:${i.id}`, state, { group: `${target}|${adv.ecosystem}:${adv.packageName}`, severity: adv.severity, detectedAt: i.createdAt, cves: adv.cveId ? [adv.cveId] : [] });
    }
  }
  if (only.includes('ssm')) {
    for (const inst of p.ssm.instances) {
      assets.push(`ssm:${inst.instanceId}`);
      const tagged = inst.tags.Environment;
      const env = tagged && ENVIRONMENTS.includes(tagged) ? tagged : 'unassigned';
      for (const patch of inst.patches) {
        if (patch.state !== 'MISSING' && patch.state !== 'FAILED') continue;
        const d = patch.patch;
        add(`ssm:${inst.instanceId}:${d.kbId}`, 'open', { group: `env:${env}|os-patches|${inst.patchGroup}|${inst.baselineId}`, severity: normaliseSeverity(d.severity), detectedAt: new Date(inst.lastScanEndAt).toISOString(), cves: d.cveIds });
      }
    }
  }
  const byGroup = new Map<string, OpenFinding[]>();
  for (const f of open) byGroup.set(f.group, [...(byGroup.get(f.group) ?? []), f]);
  const groups = [...byGroup.values()].map((fs): ExpectedGroup => {
    const severity = fs.map((f) => f.severity).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const detected = fs.map((f) => f.detectedAt).sort()[0]!;
    const kevDueAt = fs.flatMap((f) => f.cves.map((c) => kev.get(c) ?? null)).filter((x): x is string => x !== null).sort()[0] ?? null;
    const sla = new Date(Date.parse(detected) + DEFAULT_SLA.days[severity] * 86_400_000).toISOString();
    return { findings: fs.map((f) => f.id).sort(), severity, kevDueAt, dueAt: kevDueAt !== null && kevDueAt < sla ? kevDueAt : sla };
  });
  return { assets: assets.sort(), findings, groups: groups.sort((a, b) => (a.findings[0]! < b.findings[0]! ? -1 : 1)) };
}

/** The same shapes, read from the store. */
export async function actualOf(store: Store): Promise<Expected> {
  const remediations = await store.remediations.list();
  return {
    assets: (await store.assets.list()).map((a) => a.id).sort(),
    findings: new Map((await store.findings.list()).map((f) => [f.id, f.state])),
    groups: remediations
      .map((r): ExpectedGroup => ({ findings: [...r.findingIds].sort(), severity: r.severity, dueAt: r.dueAt, kevDueAt: r.kevDueAt }))
      .sort((a, b) => (a.findings[0]! < b.findings[0]! ? -1 : 1)),
  };
}
