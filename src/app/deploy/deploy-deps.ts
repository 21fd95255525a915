/** What the deploy use cases are built from, and how patiently they wait. */
import type { Logger } from '../../logger.js';
import type { Policy } from '../../policy.js';
import type { Store } from '../ports.js';
import type { ApplyStep } from '../workflow/apply-step.js';
import type { Authorize } from '../workflow/authorize.js';
import type { Announcer } from './deploy-events.js';
import type { DeployConnectors } from './deploy-ports.js';

export interface DeployTiming {
  /** First wait between checks of a running command; it grows by half each time up to `pollMaxMs`. */
  readonly pollFirstMs: number;
  readonly pollMaxMs: number;
  /** Waits between reads of a source's verdict (alert fixed, issue resolved), growing to `verifyMaxMs`, for `verifyForMs`. */
  readonly verifyFirstMs: number;
  readonly verifyMaxMs: number;
  readonly verifyForMs: number;
  /** How often a scheduled merge whose checks are not green yet is looked at again while its window is open. */
  readonly blockedRetryMs: number;
}

const MINUTE = 60_000;

/** From the policy's `deploy.pollSeconds`: a run is checked often at first, then every 2 minutes at most. */
export const timingFor = (deploy: Pick<Policy['deploy'], 'pollSeconds'>): DeployTiming => ({
  pollFirstMs: deploy.pollSeconds * 1000,
  pollMaxMs: Math.max(deploy.pollSeconds * 1000, 2 * MINUTE),
  verifyFirstMs: MINUTE,
  verifyMaxMs: 60 * MINUTE,
  verifyForMs: 24 * 60 * MINUTE,
  blockedRetryMs: 5 * MINUTE,
});

/** How a long piece of work waits: a sleep the runner cuts short when it stops, and whether to stop now. */
export interface Pace {
  sleep(ms: number): Promise<void>;
  /** True once the work must stop (the bot is stopping, or another replica took the lease). */
  stopped(): boolean;
}

export interface DeployDeps {
  readonly store: Store;
  readonly policy: Pick<Policy, 'environments' | 'deploy' | 'sla'>;
  readonly connectors: DeployConnectors;
  readonly applyStep: ApplyStep;
  readonly authorize: Authorize;
  /** How each step's news reaches Slack (effects in the step's write, then done). */
  readonly announcer: Announcer;
  readonly now: () => Date;
  readonly timing: DeployTiming;
  readonly logger: Logger;
  readonly newId?: () => string;
}
