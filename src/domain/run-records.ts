/**
 * What automated runs leave behind, as the evidence an auditor asks for: an SSM Run Command per instance, a pull
 * request's checks and its merge, the patch compliance read after a deployment, a source's own word that a finding
 * is fixed. Plain records (instants as ISO strings), kept on the remediation (tests, deployments, verification).
 */
import type { Instant } from './time.js';

/** SSM's invocation statuses, with the two timeouts SSM tells apart in StatusDetails. */
export const INVOCATION_STATUSES = ['Pending', 'InProgress', 'Delayed', 'Success', 'Failed', 'TimedOut', 'Cancelled', 'Cancelling', 'DeliveryTimedOut', 'ExecutionTimedOut', 'Undeliverable', 'Terminated'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

/** One instance's part of a Run Command, as SSM last reported it. */
export interface InstanceRun {
  readonly instanceId: string;
  /** ComputerName or Name tag, when known. */
  readonly name: string | null;
  readonly status: InvocationStatus;
  readonly statusDetails: string;
  readonly responseCode: number | null;
  /** The plugin output as SSM returns it in ListCommandInvocations (its first 2,500 characters). */
  readonly output: string;
  readonly startedAt: Instant | null;
  readonly finishedAt: Instant | null;
}

/** An `AWS-RunPatchBaseline` (or the policy's document) run on a set of instances: staging test or production. */
export interface SsmRun {
  readonly kind: 'ssm_run';
  readonly operation: 'Install' | 'Scan';
  readonly environment: string;
  readonly document: string;
  readonly rebootOption: string;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  /** One command per 50 instances; the ids SSM gave them (empty until sent). */
  readonly commandIds: readonly string[];
  readonly instances: readonly InstanceRun[];
}

/** One check run (GitHub Actions and other apps) or legacy commit status of a pull request's head. */
export interface CheckResult {
  readonly name: string;
  /** `success`, `neutral`, `skipped`, `failure`, `cancelled`, `timed_out`, `action_required`, or null while running. */
  readonly conclusion: string | null;
  readonly status: string;
  readonly url: string | null;
  readonly completedAt: Instant | null;
}

/** A pull request's CI as recorded before a merge (or on demand): the automated test suite the policy asks for. */
export interface PullRequestChecks {
  readonly kind: 'ci_checks';
  readonly repository: string;
  readonly pullNumber: number;
  readonly url: string;
  readonly headSha: string;
  readonly checks: readonly CheckResult[];
}

/** The merged Dependabot pull request: exactly what an auditor samples. */
export interface PullRequestMerge {
  readonly kind: 'pr_merge';
  readonly repository: string;
  readonly pullNumber: number;
  readonly url: string;
  readonly headSha: string;
  readonly mergeCommitSha: string | null;
  readonly mergedAt: Instant | null;
  readonly mergedBy: string | null;
  readonly checks: readonly CheckResult[];
}

/** A change made outside patchwarden (a Snyk-only fix), marked deployed by a lead with a link to it. */
export interface ManualChange {
  readonly kind: 'manual';
  readonly changeUrl: string;
}

export type DeploymentRecord = SsmRun | PullRequestMerge | ManualChange;

/** A lead's retroactive approval of an emergency change. */
export interface EmergencyApproval {
  readonly by: string;
  readonly at: Instant;
  readonly note: string;
}

/**
 * A deployment a lead started outside the approved window ("Deploy now"): who, why and when, and the retroactive
 * approval another lead owes by `approvalDueAt` (the policy's `deploy.emergencyApprovalDays`), null until given.
 */
export interface EmergencyChange {
  readonly kind: 'emergency_change';
  readonly by: string;
  readonly reason: string;
  readonly at: Instant;
  readonly approvalDueAt: Instant;
  readonly approval: EmergencyApproval | null;
}

/** One instance's patch state read after a deployment (DescribeInstancePatchStates + DescribeInstancePatches). */
export interface InstanceCompliance {
  readonly instanceId: string;
  readonly name: string | null;
  readonly baselineId: string;
  readonly patchGroup: string | null;
  readonly installed: number;
  readonly missing: number;
  readonly failed: number;
  readonly operation: 'Scan' | 'Install';
  readonly operationEndTime: Instant;
  /** The remediation's patches still Missing or Failed on this instance (empty: clean). */
  readonly stillOpen: readonly string[];
}

/** The SSM Patch Compliance report of a remediation's targets, with its timestamp. */
export interface ComplianceSnapshot {
  readonly kind: 'ssm_compliance';
  readonly takenAt: Instant;
  readonly instances: readonly InstanceCompliance[];
}

/** A source's own word on each finding (Dependabot alert `fixed`, Snyk issue `resolved`), with when it said so. */
export interface SourceConfirmation {
  readonly kind: 'source_state';
  readonly takenAt: Instant;
  readonly findings: readonly { readonly findingId: string; readonly state: string; readonly at: Instant | null }[];
}

/** A lead's recorded check, for a remediation no source will close (advisories, pen-test findings). */
export interface ManualCheck {
  readonly kind: 'manual_check';
  readonly by: string;
  readonly what: string;
  readonly link: string | null;
}

export type VerificationEvidence = ComplianceSnapshot | SourceConfirmation | ManualCheck;
