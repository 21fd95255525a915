/**
 * The deploy sweep, every minute (windows start on the minute) and once at start: every remediation with deploy work
 * now is handed to the runner (src/jobs/deploy-runner.ts), which works on each under its own lease in the
 * background. A window that opened while the bot was down is deployed if it is still open, else marked missed; a
 * run or verification a killed process left half done is resumed from the store.
 */
import type { DeployRunner } from './deploy-runner.js';
import type { JobDefinition } from './scheduler.js';

export const DEPLOY_JOB = 'deploy';
export const DEPLOY_SWEEP_LEASE_MS = 60_000;

export function deployJob(runner: DeployRunner): JobDefinition {
  return {
    name: DEPLOY_JOB,
    cron: '* * * * *',
    ttlMs: DEPLOY_SWEEP_LEASE_MS,
    async run({ logger }) {
      const kicked = await runner.sweep();
      if (kicked > 0) logger.debug({ kicked }, 'deploy work handed to the runner');
    },
  };
}
