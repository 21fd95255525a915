/**
 * What deploying tells people as it goes, as values: the Slack side (src/slack/deploy) turns each into the Slack
 * effects it owes (the remediation's message updated, a line in its thread), recorded in the same write as the step
 * that causes it (src/app/outbox), then done. Each carries the remediation as stored after the step.
 */
import type { MaintenanceSlot, Remediation } from '../../domain/remediation.js';
import type { SsmRun } from '../../domain/run-records.js';
import type { AppError } from '../errors.js';
import type { EffectInput } from '../outbox/effects.js';

export type DeployEvent =
  /** A staging run's commands are about to go out (the blast radius is in `run`). */
  | { readonly kind: 'staging_started'; readonly r: Remediation; readonly by: string; readonly run: SsmRun }
  /** A staging run ended and is recorded as a test (or could not be: `recorded` false). */
  | { readonly kind: 'staging_finished'; readonly r: Remediation; readonly by: string; readonly run: SsmRun; readonly recorded: boolean }
  /** A deployment started: its record is written, nothing sent yet. */
  | { readonly kind: 'deploy_started'; readonly r: Remediation }
  /** Instances finished: the message's counts move. */
  | { readonly kind: 'progress'; readonly r: Remediation }
  /** A deployment ended: `deployed` or `failed` (the deployment's record says how). */
  | { readonly kind: 'deploy_finished'; readonly r: Remediation }
  /** Nothing went out and it stays as it was: checks not green, no pull request, a merge refused. */
  | { readonly kind: 'blocked'; readonly r: Remediation; readonly error: AppError }
  /** Its window ended unused: back to approved. */
  | { readonly kind: 'missed'; readonly r: Remediation; readonly slot: MaintenanceSlot }
  /** The patch state is not fresh on these instances: a Scan goes out before verifying. */
  | { readonly kind: 'scan_started'; readonly r: Remediation; readonly instances: number }
  /** The post-deployment check: verified, or back to failed with what is still open. */
  | { readonly kind: 'verified'; readonly r: Remediation };

export interface Announcer {
  /** The Slack effects an event owes: given to the write that causes it. */
  effects(event: DeployEvent): readonly EffectInput[];
  /** Does what the remediation's writes recorded, now (never throws: the outbox job retries what fails). */
  flush(id: string): Promise<void>;
}
