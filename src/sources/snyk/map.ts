/** Snyk projects and issues in the domain's words. */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { normaliseSeverity } from '../../domain/severity.js';
import type { Instant } from '../../domain/time.js';
import type { SnykIssueJson, SnykProjectJson } from './schemas.js';

export const projectAssetId = (projectId: string): string => `snyk:project:${projectId}`;

/** Origins that import from a source repository (Snyk names such projects `org/repo:path` or `org/repo(branch):path`). */
const SCM_ORIGINS = new Set([
  'github', 'github-enterprise', 'github-cloud-app', 'github-server-app', 'gitlab', 'bitbucket-cloud', 'bitbucket-cloud-app',
  'bitbucket-server', 'bitbucket-connect-app', 'azure-repos',
]);

/** Snyk project types onto the ecosystems Dependabot names, so both sources' findings of a package meet. */
const ECOSYSTEMS: Record<string, string> = {
  npm: 'npm', yarn: 'npm', 'yarn-workspace': 'npm', pnpm: 'npm', pip: 'pip', poetry: 'pip', pipenv: 'pip', setuptools: 'pip',
  maven: 'maven', gradle: 'maven', sbt: 'maven', gomodules: 'go', golangdep: 'go', govendor: 'go', rubygems: 'rubygems',
  nuget: 'nuget', paket: 'nuget', composer: 'composer', cargo: 'rust', hex: 'erlang', pub: 'pub', swift: 'swift', cocoapods: 'cocoapods',
};

export const ecosystemOf = (projectType: string): string => ECOSYSTEMS[projectType] ?? projectType;

/** `acme/api` from `acme/api:package.json` or `acme/api(main):package.json`, for a project imported from an SCM. */
export function repositoryOf(p: SnykProjectJson): string | null {
  if (!SCM_ORIGINS.has(p.attributes.origin)) return null;
  const repo = p.attributes.name.split(':')[0]?.replace(/\([^)]*\)$/, '').trim() ?? '';
  return /^[^/\s]+(\/[^/\s]+)+$/.test(repo) ? repo : null;
}

export function projectAsset(p: SnykProjectJson, now: Instant): Asset {
  const lastTestedAt = p.meta?.latest_issue_counts?.updated_at ?? null;
  const repository = repositoryOf(p);
  const status = p.attributes.status ?? null;
  return {
    id: projectAssetId(p.id),
    kind: 'application',
    name: p.attributes.name,
    source: 'snyk',
    environment: null,
    owner: null,
    inScope: status !== 'inactive',
    lastSeenAt: now,
    lastScannedAt: lastTestedAt,
    attributes: {
      type: p.attributes.type,
      targetFile: p.attributes.target_file ?? null,
      origin: p.attributes.origin,
      status,
      lastTestedAt,
      ...(repository ? { repository } : {}),
    },
  };
}

/** The version in an upgrade remedy such as `lodash@4.17.21` or `@babel/core@7.24.0`. */
export function upgradeVersion(upgrade: string | null | undefined): string | null {
  if (!upgrade) return null;
  const at = upgrade.lastIndexOf('@');
  return at > 0 && at < upgrade.length - 1 ? upgrade.slice(at + 1) : null;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** What an issue's finding takes from its project: the package manager and the file Snyk tests. */
export interface ProjectFacts {
  readonly type: string | null;
  readonly targetFile: string | null;
}

/** The finding, or null when the issue names no package (not a dependency vulnerability). */
export function issueFinding(i: SnykIssueJson, project: ProjectFacts): Finding | null {
  const projectType = project.type;
  const a = i.attributes;
  const coordinates = a.coordinates ?? [];
  const dependency = coordinates.flatMap((c) => c.representations ?? []).find((r) => r.dependency)?.dependency;
  if (!dependency) return null;
  const upgrade = coordinates.flatMap((c) => c.remedies ?? []).map((r) => upgradeVersion(r.details?.upgrade_package)).find((v) => v !== null) ?? null;
  const problems = a.problems ?? [];
  const cves = unique(problems.filter((p) => p.source?.toUpperCase() === 'NVD' || /^CVE-/i.test(p.id)).map((p) => p.id.toUpperCase()).filter((id) => /^CVE-\d{4}-\d+$/.test(id)));
  const ghsas = unique(problems.filter((p) => /^GHSA-/i.test(p.id)).map((p) => p.id));
  const severities = a.severities ?? [];
  const scored = severities.find((s) => s.type === 'primary' && typeof s.score === 'number') ?? severities.find((s) => typeof s.score === 'number');
  const state = a.status === 'resolved' ? 'fixed' : a.ignored ? 'dismissed' : 'open';
  const url = problems.find((p) => p.source?.toUpperCase() === 'SNYK' && p.url)?.url ?? problems.find((p) => p.url)?.url ?? null;
  return {
    id: `snyk:${i.id}`,
    source: 'snyk',
    assetId: projectAssetId(i.relationships.scan_item.data.id),
    title: a.title,
    package: dependency.package_name,
    ecosystem: projectType ? ecosystemOf(projectType) : null,
    fixedIn: upgrade,
    installedVersion: dependency.package_version ?? null,
    vulnerableRange: null,
    manifest: project.targetFile,
    reference: a.key ?? null,
    cves,
    ghsas,
    severity: normaliseSeverity(a.effective_severity_level),
    cvss: scored?.score ?? null,
    epss: null,
    kevDueAt: null,
    url,
    state,
    detectedAt: a.created_at,
    fixedAt: state === 'fixed' ? a.resolution?.resolved_at ?? a.updated_at : null,
    dismissedAt: state === 'dismissed' ? a.updated_at : null,
    remediationId: null,
  };
}
