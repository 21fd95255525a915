/**
 * The daily job (policy.schedules.reminders, default 08:00): first lapse the risk acceptances that have expired
 * (each remediation reopens, and its message and thread say so: recorded with the step), then send the reminders
 * owed. A run that lost its lease stops between remediations.
 */
import { createExpireRisk } from '../app/workflow/expire-risk.js';
import { remediationEffects } from '../slack/posting/publish-remediation.js';
import { riskExpiredNote } from '../slack/views/reminder.js';
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';

export const REMINDERS_LEASE_MS = 5 * 60_000;
export const REMINDERS_JOB = 'reminders';

export function remindersJob(deps: JobDeps): JobDefinition {
  const { messageContext, sendReminders, remindAdvisoryReviews } = deps.slack;
  const followUp = ({ after }: { after: Parameters<typeof riskExpiredNote>[0] }) => remediationEffects(after.id, riskExpiredNote(after, messageContext()));
  const expire = createExpireRisk({ store: deps.store, applyStep: deps.applyStep, now: deps.now, followUp });
  return {
    name: REMINDERS_JOB,
    cron: deps.policy.schedules.reminders,
    ttlMs: REMINDERS_LEASE_MS,
    async run({ lease, logger }) {
      const expired = await expire(lease.holds);
      await deps.outbox.drain(expired.reopened.map((r) => r.after.id));
      for (const f of expired.failed) logger.warn({ remediationId: f.id, code: f.error.code }, 'could not lapse an expired risk acceptance');
      const reminders = await sendReminders(lease.holds);
      const advisories = await remindAdvisoryReviews();
      logger.info({ reopened: expired.reopened.length, ...reminders, advisoriesNamed: advisories }, 'reminders run finished');
    },
  };
}
