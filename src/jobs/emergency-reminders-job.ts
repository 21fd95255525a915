/**
 * Emergency changes awaiting their retroactive approval, on the reminders' schedule (policy.schedules.reminders):
 * the other leads are reminded in the thread a day before the approval is due and once it is overdue.
 */
import type { JobDeps } from './job-deps.js';
import type { JobDefinition } from './scheduler.js';

export const EMERGENCY_REMINDERS_JOB = 'emergency-approvals';

export function emergencyRemindersJob(deps: Pick<JobDeps, 'policy' | 'slack'>): JobDefinition {
  return {
    name: EMERGENCY_REMINDERS_JOB,
    cron: deps.policy.schedules.reminders,
    ttlMs: 5 * 60_000,
    async run({ logger }) {
      const sent = await deps.slack.sendEmergencyReminders();
      if (sent > 0) logger.info({ sent }, 'emergency change approval reminders sent');
    },
  };
}
