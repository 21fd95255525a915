/**
 * The daily job (policy.schedules.reminders, default 08:00): first lapse the risk acceptances that have expired
 * (each remediation reopens and its message says so), then send the reminders owed.
 */
import { createExpireRisk } from '../app/workflow/expire-risk.js';
import { riskExpiredNote } from '../slack/views/reminder.js';
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';

export const REMINDERS_LEASE_MS = 5 * 60_000;
export const REMINDERS_JOB = 'reminders';

export function remindersJob(deps: JobDeps): JobDefinition {
  const expire = createExpireRisk({ store: deps.store, applyStep: deps.applyStep, now: deps.now });
  const { publisher, messageContext, sendReminders, remindAdvisoryReviews } = deps.slack;
  return {
    name: REMINDERS_JOB,
    cron: deps.policy.schedules.reminders,
    ttlMs: REMINDERS_LEASE_MS,
    async run({ logger }) {
      const expired = await expire();
      for (const { after } of expired.reopened) await publisher.publish(after, riskExpiredNote(after, messageContext()));
      for (const f of expired.failed) logger.warn({ remediationId: f.id, code: f.error.code }, 'could not lapse an expired risk acceptance');
      const reminders = await sendReminders();
      const advisories = await remindAdvisoryReviews();
      logger.info({ reopened: expired.reopened.length, ...reminders, advisoriesNamed: advisories }, 'reminders run finished');
    },
  };
}
