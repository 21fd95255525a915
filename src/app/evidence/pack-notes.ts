/**
 * What the pack says beside its answers: the problems a reader must see first, the sources with their sync runs,
 * and retroactive approvals of the period's emergency changes that came after its end.
 */
import type { ChainVerdict } from '../audit.js';
import type { RemediationRepo } from '../ports.js';
import type { Analysis } from './analysis.js';
import type { EvidenceCheck } from './evidence-files.js';
import type { SourceRuns } from './population.js';

/** Which vulnerability sources are configured. */
export type PackSources = Readonly<Record<'github' | 'snyk' | 'ssm', boolean>>;

const SOURCE_NAMES: Record<keyof PackSources, string> = { github: 'GitHub Dependabot', snyk: 'Snyk', ssm: 'AWS Systems Manager' };

export function sourcesOf(sources: PackSources, syncs: ReadonlyMap<string, SourceRuns>) {
  return (Object.keys(SOURCE_NAMES) as (keyof PackSources)[]).map((s) => ({ name: SOURCE_NAMES[s], configured: sources[s], runs: syncs.get(s) ?? null }));
}

export function packProblems(verification: ChainVerdict, checks: ReadonlyMap<string, EvidenceCheck>, analysis: Analysis, missing: readonly string[]): string[] {
  const out: string[] = [];
  if (!verification.ok) out.push(`The audit log in the store is broken at seq ${verification.badSeq}: ${verification.reason}.`);
  const bad = [...checks].filter(([, c]) => c.status !== 'ok');
  if (bad.length > 0) out.push(`${bad.length} evidence file(s) no longer match what was recorded: ${bad.slice(0, 10).map(([path, c]) => `${path} (${c.status})`).join(', ')}${bad.length > 10 ? ', …' : ''}.`);
  if (missing.length > 0) out.push(`The audit trail names ${missing.length} remediation(s) the store no longer has: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}.`);
  if (analysis.disagreements.length > 0) {
    out.push(`${analysis.disagreements.length} remediation(s) whose record and audit trail disagree on the state at the period end: ${analysis.disagreements.slice(0, 10).map((d) => `${d.id} (record ${d.record}, trail ${d.trail})`).join(', ')}.`);
  }
  return out;
}

/** For emergency changes still unapproved at the cut-off: the approval their current record shows, if any. */
export async function laterApprovals(repo: Pick<RemediationRepo, 'get'>, analysis: Analysis): Promise<Map<string, { by: string; at: string }>> {
  const out = new Map<string, { by: string; at: string }>();
  for (const e of analysis.emergencies) {
    if (e.approval) continue;
    const now = await repo.get(e.ref.id);
    const approval = now?.deployments.find((d) => d.id === e.deployment.id)?.emergency?.approval;
    if (approval) out.set(e.deployment.id, { by: approval.by, at: approval.at });
  }
  return out;
}
