/**
 * What deploying and verifying need from the outside systems, in the domain's words. Adapters live in src/sources
 * (ssm/patch-runs.ts, github/pull-requests.ts, snyk/issue-states.ts); their failures surface as ExternalServiceError.
 */
import type { CheckResult, InstanceCompliance, InstanceRun } from '../../domain/run-records.js';
import type { Instant } from '../../domain/time.js';

/** An environment's SSM target, as the policy names it (`tag:Environment` = [production]). */
export interface SsmTarget {
  readonly key: string;
  readonly values: readonly string[];
}

/** A managed instance a run may target. */
export interface ManagedInstance {
  readonly instanceId: string;
  /** ComputerName, when SSM knows it. */
  readonly name: string | null;
  readonly platform: string | null;
}

export interface CommandRequest {
  readonly document: string;
  readonly operation: 'Install' | 'Scan';
  readonly rebootOption: string;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  /** At most 50. */
  readonly instanceIds: readonly string[];
  /** At most 100 characters; carries the run's id so the command can be found again after a crash. */
  readonly comment: string;
}

export interface SentCommand {
  readonly commandId: string;
  readonly comment: string;
}

/** A command as ListCommands reports it: how many of its targets are done (any end) and with an error. */
export interface CommandSummary extends SentCommand {
  readonly status: string;
  readonly targets: number;
  readonly completed: number;
  readonly errors: number;
}

/** One instance's invocation as SSM last reported it (the domain's InstanceRun); output and times only with details. */
export type InvocationReport = InstanceRun;

/** An instance's patch state (DescribeInstancePatchStates): the snapshot's facts before they are judged. */
export type PatchStateReport = Omit<InstanceCompliance, 'name' | 'stillOpen'> & { readonly operationStartTime: Instant };

export interface SsmRuns {
  /** The managed instances matching every target (AND), optionally only among `instanceIds` and `platforms`. */
  instances(targets: readonly SsmTarget[], only?: { readonly instanceIds?: readonly string[]; readonly platforms?: readonly string[] }): Promise<ManagedInstance[]>;
  send(request: CommandRequest): Promise<SentCommand>;
  /** Commands of `document` requested since `since` (ListCommands, all pages): one call follows every command of a run. */
  listCommands(document: string, since: Date): Promise<CommandSummary[]>;
  /** Every invocation of a command (ListCommandInvocations, all pages); `details` adds output and times. */
  invocations(commandId: string, details: boolean): Promise<InvocationReport[]>;
  patchStates(instanceIds: readonly string[]): Promise<PatchStateReport[]>;
  /** The patch ids still Missing or Failed on an instance; null when it is no longer managed. */
  openPatches(instanceId: string): Promise<string[] | null>;
  /** Requests made so far (for the benchmark's cost figures). */
  readonly requests: () => number;
}

export interface DependabotPull {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly url: string;
}

export interface PullState {
  readonly merged: boolean;
  readonly state: 'open' | 'closed';
  readonly headSha: string;
  readonly url: string;
  readonly mergeCommitSha: string | null;
  readonly mergedAt: Instant | null;
  readonly mergedBy: string | null;
}

/** GitHub's answer to a merge: merged, or refused with its status (405 not mergeable, 409 head moved, 422...). */
export type MergeOutcome =
  | { readonly merged: true; readonly sha: string }
  | { readonly merged: false; readonly status: number; readonly message: string };

export interface PullRequests {
  /** Open pull requests by dependabot[bot] in a repository (`owner/name`). */
  dependabotPulls(repository: string): Promise<DependabotPull[]>;
  pull(repository: string, number: number): Promise<PullState>;
  /** The head commit's check runs and legacy commit statuses, each as one CheckResult. */
  checks(repository: string, sha: string): Promise<CheckResult[]>;
  merge(repository: string, number: number, sha: string): Promise<MergeOutcome>;
}

/** A finding's state at its source, with when it reached it. */
export interface SourceState {
  readonly state: 'open' | 'fixed' | 'dismissed';
  readonly at: Instant | null;
}

export interface SourceStates {
  /** A Dependabot alert (`github:org/repo:alert:12`) or a Snyk issue (`snyk:<id>`); null when that source is off. */
  stateOf(findingId: string): Promise<SourceState | null>;
}

/** The outside systems a deployment may use; null where the settings are absent. */
export interface DeployConnectors {
  readonly ssm: SsmRuns | null;
  readonly github: PullRequests | null;
  readonly sources: SourceStates;
}
