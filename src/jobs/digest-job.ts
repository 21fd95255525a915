/**
 * The monthly digest (policy.schedules.digest, default 09:00 on the 1st): at most once per period. Under the job
 * lease only one replica runs it; the period's idempotency key (`digest:2026-11`), held while the digest is
 * recorded (src/app/reports/digest.ts), keeps a second replica, a late tick or a restart from posting the month
 * twice. Once recorded, its messages are the outbox's: a Slack error delays them, never loses the month.
 */
import { LeaseLost } from '../app/errors.js';
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';
import { SYSTEM_ID } from '../domain/roles.js';

/** Long enough for the summary and a few hundred new remediations' messages; renewed while it runs. */
export const DIGEST_LEASE_MS = 5 * 60_000;
export const DIGEST_JOB = 'digest';

export function digestJob(deps: Pick<JobDeps, 'policy' | 'slack'>): JobDefinition {
  return {
    name: DIGEST_JOB,
    cron: deps.policy.schedules.digest,
    ttlMs: DIGEST_LEASE_MS,
    async run({ lease, logger }) {
      if (!lease.holds()) throw new LeaseLost(DIGEST_JOB);
      const posted = await deps.slack.digest.post({ trigger: 'scheduled', by: SYSTEM_ID.digest, period: { holdMs: DIGEST_LEASE_MS }, holds: lease.holds });
      if (!posted) logger.info('this period’s digest was already posted; nothing to do');
    },
  };
}
