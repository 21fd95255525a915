/** Object mothers for what automated runs leave on a remediation (src/domain/run-records.ts), with overrides. */
import type { Deployment } from '../../src/domain/remediation.js';
import type { ComplianceSnapshot, EmergencyChange, InstanceCompliance, InstanceRun, PullRequestChecks, PullRequestMerge, SourceConfirmation, SsmRun } from '../../src/domain/run-records.js';
import { T0 } from './builders.js';

const at = T0.toISOString();
let deployments = 0;

export function aPullRequestMerge(overrides: Partial<PullRequestMerge> = {}): PullRequestMerge {
  return {
    kind: 'pr_merge',
    repository: 'acme/api',
    pullNumber: 412,
    url: 'https://github.com/acme/api/pull/412',
    headSha: 'a1'.repeat(20),
    mergeCommitSha: 'b2'.repeat(20),
    mergedAt: at,
    mergedBy: 'dependabot-merger',
    checks: [{ name: 'ci / test', conclusion: 'success', status: 'completed', url: 'https://github.com/acme/api/actions/runs/1', completedAt: at }],
    ...overrides,
  };
}

export function aPullRequestChecks(overrides: Partial<PullRequestChecks> = {}): PullRequestChecks {
  return { kind: 'ci_checks', repository: 'acme/api', pullNumber: 412, url: 'https://github.com/acme/api/pull/412', headSha: 'a1'.repeat(20), checks: aPullRequestMerge().checks, ...overrides };
}

export function anInstanceRun(overrides: Partial<InstanceRun> = {}): InstanceRun {
  return { instanceId: 'i-0abc000000000001', name: 'web-1', status: 'Success', statusDetails: 'Success', responseCode: 0, output: 'Installed 3 patches', startedAt: at, finishedAt: at, ...overrides };
}

export function anSsmRun(overrides: Partial<SsmRun> = {}): SsmRun {
  return {
    kind: 'ssm_run', operation: 'Install', environment: 'production', document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded',
    maxConcurrency: '10%', maxErrors: '0', commandIds: ['0b1c2d3e-0000-4000-8000-000000000001'], instances: [anInstanceRun()], ...overrides,
  };
}

export function anInstanceCompliance(overrides: Partial<InstanceCompliance> = {}): InstanceCompliance {
  return { instanceId: 'i-0abc000000000001', name: 'web-1', baselineId: 'pb-0123456789abcdef0', patchGroup: 'web', installed: 412, missing: 0, failed: 0, operation: 'Install', operationEndTime: at, stillOpen: [], ...overrides };
}

export function aComplianceSnapshot(overrides: Partial<ComplianceSnapshot> = {}): ComplianceSnapshot {
  return { kind: 'ssm_compliance', takenAt: at, instances: [anInstanceCompliance()], ...overrides };
}

export function aSourceConfirmation(overrides: Partial<SourceConfirmation> = {}): SourceConfirmation {
  return { kind: 'source_state', takenAt: at, findings: [{ findingId: 'github:acme/api:alert:12', state: 'fixed', at }], ...overrides };
}

export function anEmergency(overrides: Partial<EmergencyChange> = {}): EmergencyChange {
  return { kind: 'emergency_change', by: 'U0LEAD', reason: 'Exploited in the wild; cannot wait for the window', at, approvalDueAt: at, approval: null, ...overrides };
}

export function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return { id: `dep-${(deployments += 1)}`, by: 'U0LEAD', startedAt: at, status: 'succeeded', finishedAt: at, reason: null, details: {}, record: aPullRequestMerge(), ...overrides };
}
