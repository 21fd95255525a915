/**
 * Which remediation a finding belongs to. One remediation per (target, remedy):
 * - a package upgrade in one repository (Dependabot and Snyk findings on the same repository and package meet here),
 * - one patch run on one environment's instances that share a patch group and baseline (as SSM deploys them: a
 *   baseline is one operating system's, so Windows and Linux fleets are assessed, owned and scheduled apart).
 * Findings of different sources for the same CVE on the same target also meet (see `sharesCve`).
 */
import type { Asset } from './asset.js';
import type { Finding } from './finding.js';
import type { Remedy, Remediation } from './remediation.js';
import { highestSeverity } from './severity.js';
import { dueDate, type SlaPolicy } from './sla.js';
import { instant, type Instant } from './time.js';

export interface Grouping {
  /** Stable identity of the work: `repo:acme/api|npm:lodash`, `env:production|os-patches|production|pb-0abc`. */
  readonly group: string;
  /** What the findings are on: `repo:acme/api`, `env:production`, `snyk:<project id>`. */
  readonly target: string;
  /** The target as people name it: `acme/api`, `production`, `acme/legacy-0007` (a Snyk project's name). */
  readonly label: string;
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

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The target's human name (see `Grouping.label`). */
export function labelOf(asset: Asset): string {
  const target = targetOf(asset);
  return target.startsWith('repo:') || target.startsWith('env:') ? target.slice(target.indexOf(':') + 1) : asset.name;
}

export function groupOf(finding: Finding, asset: Asset): Grouping {
  const target = targetOf(asset);
  const label = labelOf(asset);
  if (finding.source === 'ssm') {
    const environment = asset.environment ?? 'unassigned';
    const patchGroup = text(asset.attributes.patchGroup);
    const baselineId = text(asset.attributes.baselineId);
    const platform = text(asset.attributes.platform);
    return {
      group: `${target}|os-patches|${patchGroup ?? '-'}|${baselineId ?? platform ?? '-'}`,
      target,
      label,
      remedy: { kind: 'os_patches', environment, patchIds: [finding.package], patchGroup, baselineId, platform },
    };
  }
  const ecosystem = finding.ecosystem?.toLowerCase() ?? null;
  return {
    group: `${target}|${ecosystem ?? 'any'}:${finding.package}`,
    target,
    label,
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

type FixFacts = Pick<Finding, 'fixedIn'> & Partial<Pick<Finding, 'cves' | 'ghsas'>>;

/** A finding's vulnerability ids: its CVEs, else its GHSAs. */
const idsOf = (f: FixFacts): readonly string[] => (f.cves && f.cves.length > 0 ? f.cves : (f.ghsas ?? []));

/**
 * The fix a finding has, by its own source or, per CVE, by any source: a Snyk issue without an upgrade is fixed by the
 * version Dependabot names for the same CVE. The highest such version, or null when one of its CVEs has no known fix.
 */
export function knownFix(f: FixFacts, all: readonly FixFacts[]): string | null {
  if (f.fixedIn !== null) return f.fixedIn;
  const ids = idsOf(f);
  if (ids.length === 0) return null;
  let best: string | null = null;
  for (const id of ids) {
    const fixes = all.filter((o) => o.fixedIn !== null && idsOf(o).includes(id)).map((o) => o.fixedIn!);
    if (fixes.length === 0) return null;
    for (const v of fixes) if (best === null || compareVersions(v, best) > 0) best = v;
  }
  return best;
}

/**
 * The version that fixes every finding: the highest fixed-in version any source knows, or null only when some CVE
 * (or a finding without any) has no known fix at all.
 */
export function fixingVersion(findings: readonly FixFacts[]): string | null {
  let best: string | null = null;
  for (const f of findings) {
    const fix = knownFix(f, findings);
    if (fix === null) return null;
    if (best === null || compareVersions(fix, best) > 0) best = fix;
  }
  return best;
}

const ARCH = /\.(x86_64|aarch64|noarch|i686|i386|amd64|arm64|armv7hl|ppc64le|s390x)(:|$)/;

/** How people name a patch: `KB5034129`, or the package of a Linux patch id (`glibc.x86_64:0:2.34-1.amzn2023` -> `glibc`). */
export function patchName(patchId: string): string {
  const arch = ARCH.exec(patchId);
  if (arch) return patchId.slice(0, arch.index);
  const colon = patchId.indexOf(':');
  return colon > 0 ? patchId.slice(0, colon) : patchId;
}

/** `Amazon Linux`, `Windows Server 2022`: the platform the instances share, shortened; else their type; else null. */
export function platformLabel(assets: readonly Pick<Asset, 'attributes'>[]): string | null {
  const names = new Set(assets.map((a) => text(a.attributes.platformName)));
  const only = names.size === 1 ? [...names][0] : null;
  if (only) return only.replace(/^Microsoft /, '').replace(/ (Datacenter|Standard)( Edition)?$/, '');
  const types = new Set(assets.map((a) => text(a.attributes.platform)));
  return types.size === 1 ? ([...types][0] ?? null) : null;
}

const NAMES_IN_TITLE = 3;

/** `glibc, openssl, curl and 4 more`. */
export function patchNames(patchIds: readonly string[]): string {
  const names = [...new Set(patchIds.map(patchName))].sort();
  const shown = names.slice(0, NAMES_IN_TITLE).join(', ');
  return names.length > NAMES_IN_TITLE ? `${shown} and ${names.length - NAMES_IN_TITLE} more` : shown;
}

const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)].sort();
const earliestOf = (xs: (Instant | null)[]): Instant | null => xs.filter((x): x is Instant => x !== null).sort()[0] ?? null;

/** The title names what matters: the package and version, or the patches, the environment and the platform. */
export function titleOf(remedy: Remedy, where: string, assetCount: number): string {
  switch (remedy.kind) {
    case 'package_upgrade':
      return remedy.fixedIn ? `Upgrade ${remedy.package} to ${remedy.fixedIn} in ${where}` : `Fix ${remedy.package} in ${where} (no fixed version yet)`;
    case 'os_patches': {
      const on = [remedy.environment, remedy.platform].filter(Boolean).join(' ');
      return `Install ${patchNames(remedy.patchIds)} on ${on} (${assetCount} instance${assetCount === 1 ? '' : 's'})`;
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

/**
 * Summarises a group's findings (all of them, open or not: the remediation keeps its history). `assets` (by id) name
 * the platform of a patch run; without them its title says only the environment.
 */
export function summarise(grouping: Grouping, findings: readonly Finding[], assets: ReadonlyMap<string, Asset> = new Map()): FindingsSummary {
  if (findings.length === 0) throw new Error(`summarise: no findings for ${grouping.group}`);
  const open = findings.filter((f) => f.state === 'open');
  const live = open.length > 0 ? open : findings;
  const liveAssets = unique(live.map((f) => f.assetId));
  const remedy: Remedy =
    grouping.remedy.kind === 'os_patches'
      ? {
          ...grouping.remedy,
          patchIds: unique(live.map((f) => f.package)),
          platform: platformLabel(liveAssets.map((id) => assets.get(id)).filter((a): a is Asset => a !== undefined)) ?? grouping.remedy.platform ?? null,
        }
      : grouping.remedy.kind === 'package_upgrade'
        ? { ...grouping.remedy, fixedIn: fixingVersion(live) }
        : grouping.remedy;
  const assetIds = unique(findings.map((f) => f.assetId));
  return {
    remedy,
    title: titleOf(remedy, grouping.label, liveAssets.length),
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
export const baseKey = (key: string): string => key.replace(/#\d+$/, '');

/** The grouping a remediation is summarised by: that of its findings in the group its key names, else the first. */
export function groupingFor(r: Pick<Remediation, 'key'>, findings: readonly { finding: Finding; asset: Asset }[]): Grouping | null {
  const groups = findings.map(({ finding, asset }) => groupOf(finding, asset));
  return groups.find((g) => g.group === baseKey(r.key)) ?? groups[0] ?? null;
}

/** An asset no store holds (a source that reported a finding before its asset): grouped by its id alone. */
export const unknownAsset = (id: string): Asset => ({ id, kind: 'other', name: id, source: 'manual', environment: null, owner: null, inScope: true, lastSeenAt: null, lastScannedAt: null, attributes: {} });
