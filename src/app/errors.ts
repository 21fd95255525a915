import type { DomainError } from '../domain/errors.js';
import type { StoreConflict } from './ports.js';

/** Expected failures a use case can return: the domain's, the store's, and those of the outside world. */
export type AppError =
  | DomainError
  | StoreConflict
  | { readonly code: 'remediation.not_found'; readonly id: string }
  | { readonly code: 'interaction.duplicate' }
  | { readonly code: 'interaction.stale' }
  | { readonly code: 'schedule.window_unknown' }
  | { readonly code: 'schedule.no_windows' }
  | { readonly code: 'evidence.not_a_file'; readonly name: string; readonly contentType: string }
  | { readonly code: 'evidence.too_large'; readonly name: string; readonly size: number; readonly max: number }
  | { readonly code: 'evidence.type_not_allowed'; readonly name: string; readonly allowed: readonly string[] }
  | { readonly code: 'evidence.too_many'; readonly count: number; readonly max: number }
  | { readonly code: 'evidence.download_failed'; readonly name: string; readonly reason: string }
  | { readonly code: 'external.unavailable'; readonly service: string; readonly reason: string }
  | { readonly code: 'job.busy'; readonly job: string }
  | { readonly code: 'deploy.not_configured'; readonly service: 'AWS Systems Manager' | 'GitHub' | 'Snyk' }
  | { readonly code: 'deploy.not_applicable'; readonly action: string; readonly why: string }
  | { readonly code: 'deploy.no_targets'; readonly environment: string; readonly why: 'no_ssm_targets' | 'resource_groups' | 'none_matched' | 'no_environment' }
  | { readonly code: 'deploy.run_in_progress' }
  | { readonly code: 'deploy.no_pull_request'; readonly repository: string; readonly package: string; readonly version: string | null }
  | { readonly code: 'deploy.checks_not_green'; readonly repository: string; readonly pullNumber: number; readonly failing: readonly string[]; readonly pending: readonly string[] }
  | { readonly code: 'deploy.merge_refused'; readonly repository: string; readonly pullNumber: number; readonly status: number; readonly message: string }
  | { readonly code: 'advisory.not_found'; readonly id: string }
  | { readonly code: 'advisory.already_reviewed'; readonly by: string; readonly decision: string; readonly remediationId: string | null }
  | { readonly code: 'pack.period_invalid'; readonly text: string; readonly reason: string }
  | { readonly code: 'pack.busy' };

export type AppErrorCode = AppError['code'];

/**
 * The job lease a run was working under ran out and may be someone else's now: the run stops where it is (what it
 * recorded stays; the next run finishes the rest) rather than work beside another replica.
 */
export class LeaseLost extends Error {
  constructor(readonly job: string) {
    super(`the ${job} run lost its job lease; it stopped, and the next run picks up where it left off`);
    this.name = 'LeaseLost';
  }
}

/** A failure of an outside system (GitHub, Snyk, SSM, Slack files), raised inside its adapter only. */
export class ExternalServiceError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly status: number | null = null,
    readonly retryable = false,
  ) {
    super(`${service}: ${message}`);
    this.name = 'ExternalServiceError';
  }
}
