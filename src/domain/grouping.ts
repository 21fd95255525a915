/**
 * Which remediation a finding belongs to. One remediation per (target, remedy):
 * - a package upgrade in one repository (Dependabot and Snyk findings on the same repository and package meet here),
 * - one patch run on one environment's instances (every missing OS patch SSM reports there).
 * Findings of different sources for the same CVE on the same target also meet (see `sharesCve`).
 */
import type { Asset } from './asset.js';
import type { Finding } from './finding.js';
import type { Remedy, Remediation } from './remediation.js';
import { highestSeverity } from './severity.js';
import { dueDate, type SlaPolicy } from './sla.js';
import { instant, type Instant } from './time.js';

export interface Grouping {
  /** Stable identity of the work: `repo:acme/api|npm:lodash`, `env:production|os-patches`. */
  readonly group: string;
  /** What the findings are on: `repo:acme/api`, `env:production`, `snyk:<project id>`. */
  readonly target: string;
  readonly remedy: Remedy;
}

/**
 * The target a finding's asset stands for. A repository is one target whichever source sees it: a Snyk project
 * imported from a repository names it in `attributes.repository`.
 */
export function targetOf(asset: Asset): string {
  const repo = asset.attributes.repository;
  if (asset.kind === 'repository') return `repo:${asset.name}`;
  if (typeof repo === 'string' && repo !== '') return `repo:${repo}`;
  if (asset.kind === 'instance') return `env:${asset.environment ?? 'unassigned'}`;
  return asset.id;
}

export function groupOf(finding: Finding, asset: Asset): Grouping {
  const target = targetOf(asset);
  if (finding.source === 'ssm') {
    const environment = asset.environment ?? 'unassigned';
    return { group: `${target}|os-patches`, target, remedy: { kind: 'os_patches', environment, patchIds: [finding.package] } };
  }
  const ecosystem = finding.ecosystem?.toLowerCase() ?? null;
  return {
    group: `${target}|${ecosystem ?? 'any'}:${finding.package}`,
    target,
    remedy: { kind: 'package_upgrade', ecosystem, package: finding.package, fixedIn: finding.fixedIn },
  };
}

/** True when the two share a CVE: different sources' findings of one CVE on one target are one piece of work. */
export const sharesCve = (a: { readonly cves: readonly string[] }, b: { readonly cves: readonly string[] }): boolean =>
  a.cves.some((c) => b.cves.includes(c));

/** Compares dotted versions numerically where they are numbers (`4.17.9` < `4.17.21`), textually otherwise. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/i, '').split(/[.+-]/);
  const pb = b.replace(/^v/i, '').split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

/** The version that fixes every finding: the highest fixed-in version, or null when one has no fix yet. */
export function fixingVersion(findings: readonly Pick<Finding, 'fixedIn'>[]): string | null {
  let best: string | null = null;
  for (const f of findings) {
    if (f.fixedIn === null) return null;
    if (best === null || compareVersions(f.fixedIn, best) > 0) best = f.fixedIn;
  }
  return best;
}

const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)].sort();
const earliestOf = (xs: (Instant | null)[]): Instant | null => xs.filter((x): x is Instant => x !== null).sort()[0] ?? null;

export function titleOf(remedy: Remedy, target: string, assetCount: number): string {
  const where = target.replace(/^(repo|env):/, '');
  switch (remedy.kind) {
    case 'package_upgrade':
      return remedy.fixedIn ? `Upgrade ${remedy.package} to ${remedy.fixedIn} in ${where}` : `Fix ${remedy.package} in ${where} (no fixed version yet)`;
    case 'os_patches': {
      const n = remedy.patchIds.length;
      return `Install ${n} missing OS patch${n === 1 ? '' : 'es'} on ${remedy.environment} (${assetCount} instance${assetCount === 1 ? '' : 's'})`;
    }
    case 'manual':
      return remedy.description;
  }
}

/** What a remediation derives from its open findings: remedy, title, assets, CVEs, severity, KEV date. */
export interface FindingsSummary {
  readonly remedy: Remedy;
  readonly title: string;
  readonly assetIds: readonly string[];
  readonly findingIds: readonly string[];
  readonly cves: readonly string[];
  readonly sourceSeverity: Remediation['sourceSeverity'];
  readonly kevDueAt: Instant | null;
  readonly detectedAt: Instant;
}

/** Summarises a group's findings (all of them, open or not: the remediation keeps its history). */
export function summarise(grouping: Grouping, findings: readonly Finding[]): FindingsSummary {
  if (findings.length === 0) throw new Error(`summarise: no findings for ${grouping.group}`);
  const open = findings.filter((f) => f.state === 'open');
  const live = open.length > 0 ? open : findings;
  const remedy: Remedy =
    grouping.remedy.kind === 'os_patches'
      ? { ...grouping.remedy, patchIds: unique(live.map((f) => f.package)) }
      : grouping.remedy.kind === 'package_upgrade'
        ? { ...grouping.remedy, fixedIn: fixingVersion(live) }
        : grouping.remedy;
  const assetIds = unique(findings.map((f) => f.assetId));
  return {
    remedy,
    title: titleOf(remedy, grouping.target, unique(live.map((f) => f.assetId)).length),
    assetIds,
    findingIds: unique(findings.map((f) => f.id)),
    cves: unique(findings.flatMap((f) => f.cves)),
    sourceSeverity: highestSeverity(live.map((f) => f.severity)),
    kevDueAt: earliestOf(live.map((f) => f.kevDueAt)),
    detectedAt: earliestOf(findings.map((f) => f.detectedAt)) ?? findings[0]!.detectedAt,
  };
}

/**
 * Folds a fresh summary into a remediation. Severity follows the findings until a lead assesses it; the due date
 * follows severity and KEV (a newly KEV-listed CVE pulls it in), from when the SLA clock started.
 */
export function absorb(r: Remediation, s: FindingsSummary, sla: SlaPolicy, now: Date): Remediation {
  const severity = r.assessment ? r.assessment.severity : s.sourceSeverity;
  const slaStartAt = r.reopenCount > 0 ? r.slaStartAt : s.detectedAt < r.slaStartAt ? s.detectedAt : r.slaStartAt;
  return {
    ...r,
    title: s.title,
    remedy: s.remedy,
    assetIds: s.assetIds,
    findingIds: s.findingIds,
    cves: s.cves,
    sourceSeverity: s.sourceSeverity,
    severity,
    kevDueAt: s.kevDueAt,
    detectedAt: s.detectedAt < r.detectedAt ? s.detectedAt : r.detectedAt,
    slaStartAt,
    dueAt: dueDate(sla, severity, new Date(slaStartAt), s.kevDueAt),
    updatedAt: instant(now),
  };
}

/** The fields `absorb` may change, to tell whether anything did (a re-sync of the same data changes nothing). */
export function sameSummary(r: Remediation, next: Remediation): boolean {
  const pick = (x: Remediation) => [x.title, x.remedy, x.assetIds, x.findingIds, x.cves, x.sourceSeverity, x.severity, x.kevDueAt, x.detectedAt, x.slaStartAt, x.dueAt];
  return JSON.stringify(pick(r)) === JSON.stringify(pick(next));
}

/** A remediation's key without its generation suffix (`group#2` -> `group`). */
const baseKey = (key: string): string => key.replace(/#\d+$/, '');

/** The grouping a remediation is summarised by: that of its findings in the group its key names, else the first. */
export function groupingFor(r: Pick<Remediation, 'key'>, findings: readonly { finding: Finding; asset: Asset }[]): Grouping | null {
  const groups = findings.map(({ finding, asset }) => groupOf(finding, asset));
  return groups.find((g) => g.group === baseKey(r.key)) ?? groups[0] ?? null;
}

/** An asset no store holds (a source that reported a finding before its asset): grouped by its id alone. */
export const unknownAsset = (id: string): Asset => ({ id, kind: 'other', name: id, source: 'manual', environment: null, owner: null, inScope: true, lastSeenAt: null, lastScannedAt: null, attributes: {} });
