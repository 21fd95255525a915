/** Every cron job, in one place (like src/slack/register.ts for listeners). Add a job with one line. */
import { deployJob } from './deploy-job.js';
import { digestJob } from './digest-job.js';
import { emergencyRemindersJob } from './emergency-reminders-job.js';
import type { JobDeps } from './job-deps.js';
import { outboxJob } from './outbox-job.js';
import { remindersJob } from './reminders-job.js';
import type { Scheduler } from './scheduler.js';
import { syncJob } from './sync-job.js';

export function registerJobs(scheduler: Scheduler, deps: JobDeps): void {
  scheduler.add(digestJob(deps));
  scheduler.add(remindersJob(deps));
  scheduler.add(syncJob(deps));
  scheduler.add(deployJob(deps.deployRunner));
  scheduler.add(emergencyRemindersJob(deps));
  scheduler.add(outboxJob(deps));
}
