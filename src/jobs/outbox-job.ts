/**
 * The outbox's catch-up (every minute): does the Slack effects still owed, those whose retry is due after a
 * Slack outage and those a crashed replica left. Steps, digests and reminders do their own effects at once; this
 * only picks up what they could not. Each subject is drained under its own lease, so the job's lease only keeps a
 * replica from starting a second catch-up while its first is still running.
 */
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';

export const OUTBOX_JOB = 'outbox';
export const OUTBOX_CRON = '* * * * *';

export function outboxJob(deps: Pick<JobDeps, 'outbox'>): JobDefinition {
  return {
    name: OUTBOX_JOB,
    cron: OUTBOX_CRON,
    ttlMs: 5 * 60_000,
    run: () => deps.outbox.drain(),
  };
}
