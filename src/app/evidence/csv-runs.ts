/**
 * The two CSVs read from what automated runs left on the remediations (src/domain/run-records.ts):
 * `dependabot-merged-prs.csv`, each Dependabot pull request merged in the period, and `ssm-patch-compliance.csv`,
 * each instance of each SSM Patch Compliance report taken in the period.
 */
import type { Remediation } from '../../domain/remediation.js';
import type { PullRequestMerge } from '../../domain/run-records.js';
import type { CsvValue } from '../csv.js';
import type { Window } from './judgements.js';

export const MERGED_PRS_HEADER = ['repository', 'pr', 'url', 'merged_at', 'merged_by', 'alerts_fixed', 'remediation', 'merge_commit', 'checks'] as const;

export const SSM_COMPLIANCE_HEADER = [
  'instance', 'name', 'baseline', 'patch_group', 'installed', 'missing', 'failed', 'operation', 'operation_end_time', 'report_time', 'remediation', 'still_open',
] as const;

const inside = (at: string | null, w: Window): at is string => at !== null && at >= w.from && at < w.cutOff;

/** `github:acme/api:alert:12` -> 12. */
const alertNumber = (findingId: string): string | null => /^github:.+:alert:(\d+)$/.exec(findingId)?.[1] ?? null;

/** The Dependabot alerts it fixed: those the source confirmed fixed, else every alert of the remediation. */
function alertsFixed(r: Remediation): string {
  const confirmed = r.verification?.evidence?.kind === 'source_state' ? r.verification.evidence.findings.filter((f) => f.state === 'fixed').map((f) => f.findingId) : null;
  return (confirmed ?? r.findingIds).map(alertNumber).filter((n) => n !== null).map((n) => `#${n}`).join(' ');
}

const checksOf = (m: PullRequestMerge): string => m.checks.map((c) => `${c.name}: ${c.conclusion ?? c.status}`).join('; ');

export function mergedPrRows(r: Remediation, w: Window): CsvValue[][] {
  return r.deployments.flatMap((d) => {
    const m = d.record;
    if (m?.kind !== 'pr_merge' || !inside(m.mergedAt, w)) return [];
    return [[m.repository, m.pullNumber, m.url, m.mergedAt, m.mergedBy, alertsFixed(r), r.id, m.mergeCommitSha, checksOf(m)]];
  });
}

export function complianceRows(r: Remediation, w: Window): CsvValue[][] {
  const snapshot = r.verification?.evidence;
  if (snapshot?.kind !== 'ssm_compliance' || !inside(snapshot.takenAt, w)) return [];
  return snapshot.instances.map((i) => [
    i.instanceId, i.name, i.baselineId, i.patchGroup, i.installed, i.missing, i.failed, i.operation, i.operationEndTime, snapshot.takenAt, r.id, i.stillOpen.join(' '),
  ]);
}
