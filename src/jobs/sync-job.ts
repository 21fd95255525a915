/**
 * The scheduled sync (policy.schedules.sync, default every 6 hours). Under the `sync` job lease, which the CLI's
 * `patchwarden sync` and `/patch sync` take too: with several replicas, or a person asking at the same moment,
 * exactly one sync runs; the others are told `job.busy` (or, for a tick, skip).
 */
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';
import { SYSTEM_ID } from '../domain/roles.js';

export const SYNC_JOB = 'sync';
/** A benchmark-size first sync takes under a minute; the lease is renewed every third of this while it runs. */
export const SYNC_LEASE_MS = 10 * 60_000;

export function syncJob(deps: Pick<JobDeps, 'sync' | 'policy' | 'outbox'>): JobDefinition {
  return {
    name: SYNC_JOB,
    cron: deps.policy.schedules.sync,
    ttlMs: SYNC_LEASE_MS,
    async run({ lease, logger }) {
      const report = await deps.sync({ requestedBy: SYSTEM_ID.sync, holds: lease.holds });
      // What the sync recorded as owed: the messages of remediations it changed, of new advisories awaiting review.
      await deps.outbox.drain();
      const failed = report.sources.filter((s) => s.status === 'failed').map((s) => ({ source: s.source, error: s.error }));
      if (failed.length > 0) logger.warn({ failed, run: report.id }, 'scheduled sync: some sources failed; the others synced');
    },
  };
}
