import type { Severity } from './severity.js';
import type { Instant } from './time.js';
import type { RemediationState } from './remediation-state.js';
import type { DeploymentRecord, EmergencyChange, PullRequestChecks, SsmRun, VerificationEvidence } from './run-records.js';

/** What one action fixes: one package upgrade in one repository, or one set of OS patches on one environment. */
export type Remedy =
  | { readonly kind: 'package_upgrade'; readonly ecosystem: string | null; readonly package: string; readonly fixedIn: string | null }
  | {
      readonly kind: 'os_patches';
      readonly environment: string;
      readonly patchIds: readonly string[];
      /** The SSM patch group its instances are in, when set (absent on records from before grouping by baseline). */
      readonly patchGroup?: string | null;
      /** The patch baseline its instances use (one per operating system), when SSM reported it. */
      readonly baselineId?: string | null;
      /** `Amazon Linux`, `Windows`: what its instances run, as people say it. */
      readonly platform?: string | null;
    }
  | { readonly kind: 'manual'; readonly description: string };

export const BUSINESS_IMPACTS = ['high', 'medium', 'low'] as const;
export type BusinessImpact = (typeof BUSINESS_IMPACTS)[number];

export interface Assessment {
  readonly by: string;
  readonly at: Instant;
  readonly severity: Severity;
  readonly kevListed: boolean;
  readonly epss: number | null;
  readonly knownExploit: boolean;
  readonly businessImpact: BusinessImpact;
  readonly rationale: string;
  readonly owner: string | null;
  readonly dueAt: Instant;
}

/** A file kept as evidence: the bytes live in the evidence store under their SHA-256. */
export interface EvidenceFile {
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
  readonly mimeType: string;
  readonly slackFileId: string | null;
}

export interface TestRecord {
  readonly id: string;
  readonly by: string;
  readonly at: Instant;
  readonly environment: string;
  readonly result: 'pass' | 'fail';
  readonly notes: string;
  readonly files: readonly EvidenceFile[];
  /** A run the bot made and recorded as the test (Run in staging, a pull request's checks); absent for uploads. */
  readonly run?: SsmRun | PullRequestChecks;
}

export interface Decision {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly at: Instant;
  readonly reason: string;
  readonly changeTicket: string | null;
}

export interface MaintenanceSlot {
  readonly windowId: string;
  readonly windowName: string;
  readonly startsAt: Instant;
  readonly endsAt: Instant;
}

export interface Schedule extends MaintenanceSlot {
  readonly by: string;
  readonly at: Instant;
}

export interface Deployment {
  readonly id: string;
  readonly by: string;
  readonly startedAt: Instant;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly finishedAt: Instant | null;
  readonly reason: string | null;
  /** SSM command id, per-instance status, merged PR numbers...: what the deployment left behind. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The run itself, typed (src/domain/run-records.ts): set by the deployment use cases. */
  readonly record?: DeploymentRecord;
  /** Set when a lead deployed outside the approved window (Deploy now): the emergency change and its approval. */
  readonly emergency?: EmergencyChange;
}

export interface Verification {
  readonly at: Instant;
  readonly clean: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  /** What proved it (or did not): the compliance snapshot, the source's word, a lead's check. */
  readonly evidence?: VerificationEvidence;
}

export interface RiskAcceptance {
  readonly by: string;
  readonly at: Instant;
  readonly justification: string;
  readonly compensatingControl: string;
  readonly expiresAt: Instant;
}

export type Resolution = 'deployed' | 'fixed_upstream' | 'dismissed_upstream' | 'risk_accepted';

/** Where the remediation's one Slack message lives (its thread holds the history). */
export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

/** "A patch": the unit of work that moves through the policy's steps. */
export interface Remediation {
  /** Short human id, `PW-42`. */
  readonly id: string;
  /** Grouping key: one remediation per (asset, remedy), e.g. `github:acme/api|npm:lodash`. */
  readonly key: string;
  readonly title: string;
  readonly remedy: Remedy;
  readonly assetIds: readonly string[];
  readonly findingIds: readonly string[];
  readonly cves: readonly string[];
  /** Highest severity among the findings. */
  readonly sourceSeverity: Severity;
  /** Effective severity: the assessment's when assessed, else the source's. */
  readonly severity: Severity;
  readonly state: RemediationState;
  readonly owner: string | null;
  /** Which `owners:` rule gave the owner at creation (an assessment's owner replaces it), or null. */
  readonly ownerRule?: string | null;
  readonly detectedAt: Instant;
  /** When the SLA clock started: detection, or the last reopening. */
  readonly slaStartAt: Instant;
  readonly kevDueAt: Instant | null;
  readonly dueAt: Instant;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  readonly closedAt: Instant | null;
  readonly resolution: Resolution | null;
  /** Optimistic-concurrency version, incremented by the store on every write. */
  readonly version: number;
  readonly assessment: Assessment | null;
  readonly tests: readonly TestRecord[];
  readonly decisions: readonly Decision[];
  readonly schedule: Schedule | null;
  readonly deployments: readonly Deployment[];
  readonly verification: Verification | null;
  readonly riskAcceptance: RiskAcceptance | null;
  readonly reopenCount: number;
  readonly message: MessageRef | null;
  /** Keys of reminders already sent, so none goes out twice. */
  readonly remindersSent: readonly string[];
}

/** Everyone who uploaded passing test evidence: they may not approve it. */
export const passingTesters = (r: Pick<Remediation, 'tests'>): string[] =>
  [...new Set(r.tests.filter((t) => t.result === 'pass').map((t) => t.by))];
