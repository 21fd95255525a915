/** GitHub's repositories and Dependabot alerts in the domain's words. */
import type { Asset } from '../../domain/asset.js';
import type { Finding, FindingState } from '../../domain/finding.js';
import { normaliseSeverity, severityFromCvss } from '../../domain/severity.js';
import type { Instant } from '../../domain/time.js';
import type { GhAlertJson, GhRepoJson } from './schemas.js';

export const repoAssetId = (fullName: string): string => `github:${fullName}`;
export const alertFindingId = (fullName: string, number: number): string => `github:${fullName}:alert:${number}`;

/**
 * A repository. GitHub does not say when Dependabot last analysed it: it keeps alerts current itself, so a
 * repository with alerts enabled counts as scanned when we read it, one with alerts disabled as never.
 */
export function repoAsset(repo: GhRepoJson, dependabotDisabled: boolean, now: Instant): Asset {
  return {
    id: repoAssetId(repo.full_name),
    kind: 'repository',
    name: repo.full_name,
    source: 'github',
    environment: null,
    owner: null,
    inScope: !repo.archived,
    lastSeenAt: now,
    lastScannedAt: dependabotDisabled ? null : now,
    attributes: { archived: repo.archived, defaultBranch: repo.default_branch, dependabotDisabled },
  };
}

const STATES: Record<GhAlertJson['state'], FindingState> = { open: 'open', fixed: 'fixed', dismissed: 'dismissed', auto_dismissed: 'dismissed' };

const KNOWN_SEVERITIES = new Set(['critical', 'high', 'medium', 'moderate', 'low']);
const unique = (xs: string[]): string[] => [...new Set(xs)];

export function alertFinding(a: GhAlertJson): Finding {
  const adv = a.security_advisory;
  const repo = a.repository.full_name;
  const cvss = adv.cvss?.score && adv.cvss.score > 0 ? adv.cvss.score : null;
  const state = STATES[a.state];
  const rawSeverity = [adv.severity, a.security_vulnerability.severity].find((x) => x !== undefined && KNOWN_SEVERITIES.has(x.toLowerCase()));
  return {
    id: alertFindingId(repo, a.number),
    source: 'github',
    assetId: repoAssetId(repo),
    title: adv.summary,
    package: a.dependency.package.name,
    ecosystem: a.dependency.package.ecosystem.toLowerCase(),
    fixedIn: a.security_vulnerability.first_patched_version?.identifier ?? null,
    // Dependabot names the vulnerable range, not the version installed.
    installedVersion: null,
    vulnerableRange: a.security_vulnerability.vulnerable_version_range ?? null,
    manifest: a.dependency.manifest_path ?? null,
    reference: `alert #${a.number}`,
    cves: unique([adv.cve_id, ...adv.identifiers.filter((i) => i.type === 'CVE').map((i) => i.value)].filter((c): c is string => Boolean(c)).map((c) => c.toUpperCase())),
    ghsas: unique([adv.ghsa_id, ...adv.identifiers.filter((i) => i.type === 'GHSA').map((i) => i.value)]),
    severity: rawSeverity ? normaliseSeverity(rawSeverity) : cvss !== null ? severityFromCvss(cvss) : 'low',
    cvss,
    epss: adv.epss?.percentage ?? null,
    kevDueAt: null,
    url: a.html_url,
    state,
    detectedAt: a.created_at,
    fixedAt: state === 'fixed' ? a.fixed_at ?? a.updated_at : null,
    dismissedAt: state === 'dismissed' ? a.dismissed_at ?? a.auto_dismissed_at ?? a.updated_at : null,
    remediationId: null,
  };
}
