/**
 * Snyk REST (JSON:API) shapes for projects and issues. Issue fields follow a captured real response
 * (elastic/integrations packages/snyk docs: problems with SNYK and NVD sources, coordinates with
 * representations, risk, relationships with related links) and the issues OpenAPI (api-evangelist/snyk).
 */
import type { Severity, SnykIssue, SnykProject } from '../population/types.js';

export const JSONAPI = { version: '1.0' } as const;
export const MEDIA_TYPE = 'application/vnd.api+json';

export interface ErrorSource { parameter?: string; pointer?: string }

export function errorBody(id: string, status: number, title: string, detail: string, source?: ErrorSource): Record<string, unknown> {
  return { jsonapi: JSONAPI, errors: [{ id, status: String(status), title, detail, ...(source ? { source } : {}) }] };
}

const ms = (iso: string): string => new Date(iso).toISOString();
const SCORE: Record<Severity, number> = { critical: 9.8, high: 7.5, medium: 5.3, low: 3.1 };

export type IssueCounts = Record<Severity, number>;

export function projectJson(p: SnykProject, orgId: string, prefix: string, counts: IssueCounts | null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'project',
    id: p.id,
    attributes: {
      name: p.name, type: p.type, target_file: p.targetFile, target_reference: p.targetReference, origin: p.origin, created: ms(p.created),
      status: p.status, business_criticality: [], environment: [], lifecycle: [], tags: [], read_only: false,
      settings: { recurring_tests: { frequency: 'daily' }, pull_requests: { fail_only_for_issues_with_fix: false } },
    },
    relationships: {
      organization: { data: { type: 'org', id: orgId }, links: { related: `${prefix}/orgs/${orgId}` } },
      target: { data: { type: 'target', id: p.targetId }, links: { related: `${prefix}/orgs/${orgId}/targets/${p.targetId}` } },
    },
  };
  // The last test time: Snyk reports when the latest issue counts were computed, i.e. the last test.
  if (counts) out.meta = { latest_issue_counts: { ...counts, updated_at: ms(p.lastTestedAt) } };
  return out;
}

export function issueJson(i: SnykIssue, orgId: string, prefix: string): Record<string, unknown> {
  const a = i.advisory;
  const upgrade = a.firstPatched ? `${a.packageName}@${a.firstPatched}` : null;
  const problems: Record<string, unknown>[] = [{ id: a.snykId, source: 'SNYK', type: 'vulnerability', url: `https://security.snyk.io/vuln/${a.snykId}`, disclosed_at: ms(a.publishedAt), discovered_at: ms(a.publishedAt), updated_at: ms(a.updatedAt) }];
  if (a.cveId) problems.push({ id: a.cveId, source: 'NVD', type: 'vulnerability', url: `https://nvd.nist.gov/vuln/detail/${a.cveId}`, updated_at: ms(a.updatedAt) });
  const attributes: Record<string, unknown> = {
    key: a.snykId,
    title: a.summary.replace(/ in [^ ]+$/, ''),
    type: 'package_vulnerability',
    status: i.status,
    effective_severity_level: a.severity,
    ignored: i.ignored,
    created_at: ms(i.createdAt),
    updated_at: ms(i.updatedAt),
    problems,
    coordinates: [{
      is_fixable_manually: false, is_fixable_snyk: upgrade !== null, is_fixable_upstream: false, is_patchable: false, is_pinnable: false, is_upgradeable: upgrade !== null,
      reachability: 'no-info',
      remedies: upgrade ? [{ type: 'indeterminate', description: `Upgrade ${a.packageName} to ${a.firstPatched ?? ''} or higher`, details: { upgrade_package: upgrade } }] : [],
      representations: [{ dependency: { package_name: a.packageName, package_version: a.installedVersion } }],
    }],
    severities: [
      { source: 'Snyk', level: a.severity, score: a.cvssScore, vector: a.cvssVector, version: '3.1', type: 'primary' },
      ...(a.cveId ? [{ source: 'NVD', level: a.severity, score: SCORE[a.severity], vector: a.cvssVector, version: '3.1', type: 'secondary' }] : []),
    ],
    risk: { factors: [], score: { model: 'v1', value: Math.round(a.cvssScore * 80) } },
    classes: a.cwes.map((c) => ({ id: c.cweId, source: 'CWE', type: 'weakness' })),
  };
  if (i.status === 'resolved' && i.resolvedAt) attributes.resolution = { type: 'fixed', resolved_at: ms(i.resolvedAt), details: 'The vulnerable version is no longer found in the project.' };
  return {
    id: i.id,
    type: 'issue',
    attributes,
    relationships: {
      organization: { data: { id: orgId, type: 'organization' }, links: { related: `${prefix}/orgs/${orgId}` } },
      scan_item: { data: { id: i.project.id, type: 'project' }, links: { related: `${prefix}/orgs/${orgId}/projects/${i.project.id}` } },
    },
  };
}
