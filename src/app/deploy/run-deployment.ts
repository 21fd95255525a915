/**
 * A running deployment, carried to its end from its record (by the runner, under the remediation's lease; after a
 * restart the same way). OS patches: the Install commands sent once (each command id written right after it is
 * known, with its `ssm.command_sent` event), followed until every instance finished: all succeeded is `deployed`,
 * any other end is `failed` with each instance's status and output. Dependabot: the pull request merged with its head
 * sha; a 405 for a pull request that is in fact merged (ours, before a crash) is success; any other refusal calls
 * the deployment off (nothing changed) and the remediation goes back to where it was.
 */
import type { Deployment, Remediation } from '../../domain/remediation.js';
import { callOffDeployment, finishDeployment, recordProgress, type OutcomeInput, type ProgressInput } from '../../domain/deploy-transitions.js';
import { SYSTEM } from '../../domain/roles.js';
import type { PullRequestMerge, SsmRun } from '../../domain/run-records.js';
import { runCounts, runPassed } from '../../domain/ssm-run.js';
import { ExternalServiceError, type AppError } from '../errors.js';
import type { Step } from '../workflow/apply-step.js';
import type { DeployDeps, Pace } from './deploy-deps.js';
import type { PullState } from './deploy-ports.js';
import { commandSentEvent, runSummary } from './run-notes.js';
import { createSayStep } from './say-step.js';
import { sendOnce, trackRun, type SentBatch } from './ssm-commands.js';

type Progress = ProgressInput & { readonly sent?: SentBatch; readonly purpose?: 'production' | 'scan' };

/** A run's progress: no step of its own, but each command sent is recorded in the same write. */
export const PROGRESS: Step<Progress> = {
  transition: recordProgress,
  // Not a step: no event of its own (`events`), only the command it records (`alsoRecords`).
  action: 'ssm.command_sent',
  events: () => [],
  alsoRecords: (input, { before }, at) => {
    const run = input.purpose === 'scan' ? (input.details?.scan as SsmRun | undefined) : input.record?.kind === 'ssm_run' ? input.record : undefined;
    return input.sent && run ? [commandSentEvent(before.id, input.purpose === 'scan' ? `${input.deploymentId}-scan` : input.deploymentId, input.purpose ?? 'production', run, input.sent, at)] : [];
  },
};

const outcomeData = (input: OutcomeInput) => ({ deploymentId: input.deploymentId, reason: input.reason, ...input.details, record: input.record ?? null });
const DEPLOYED: Step<OutcomeInput> = { transition: finishDeployment, action: 'remediation.deployed', data: outcomeData };
const FAILED: Step<OutcomeInput> = { transition: finishDeployment, action: 'remediation.deployment_failed', data: outcomeData };
const CALL_OFF: Step<{ deploymentId: string; reason: string; details: Record<string, unknown> }> = { transition: callOffDeployment, action: 'remediation.deployment_called_off' };

export const runningDeployment = (r: Remediation): Deployment | null => r.deployments.findLast((d) => d.status === 'running') ?? null;

export function createRunDeployment(deps: DeployDeps) {
  const { connectors, timing } = deps;
  const say = createSayStep(deps);

  async function finish(r: Remediation, d: Deployment, input: Omit<OutcomeInput, 'deploymentId'>): Promise<void> {
    const done = await say(r.id, input.succeeded ? DEPLOYED : FAILED, { ...input, deploymentId: d.id }, SYSTEM.deploy, (after) => ({ kind: 'deploy_finished', r: after }));
    if (!done.ok) throw new Error(`could not record the end of deployment ${d.id} of ${r.id}: ${done.error.code}`);
  }

  async function ssmRun(r: Remediation, d: Deployment, planned: SsmRun, pace: Pace): Promise<void> {
    const ssm = connectors.ssm;
    if (!ssm) return finish(r, d, { succeeded: false, reason: 'AWS Systems Manager is no longer configured', details: {} });
    let shown = runCounts(planned).done;
    const save = async (run: SsmRun, sent?: SentBatch) => {
      // The message shows the count: updated when it moves (or a command went out), not for every status change.
      const moved = runCounts(run).done !== shown || sent !== undefined;
      const saved = await say(r.id, PROGRESS, { deploymentId: d.id, record: run, ...(sent ? { sent } : {}) }, SYSTEM.deploy, moved ? (after) => ({ kind: 'progress', r: after }) : undefined);
      if (!saved.ok) throw new Error(`could not record the progress of deployment ${d.id} of ${r.id}: ${saved.error.code}`);
      shown = runCounts(run).done;
    };
    let run: SsmRun;
    try {
      run = await sendOnce(ssm, planned, d.id, new Date(d.startedAt), save, pace);
    } catch (e) {
      if (!(e instanceof ExternalServiceError) || e.retryable) throw e;
      return finish(r, d, { succeeded: false, reason: `SSM refused the command: ${e.message}`, details: {}, record: planned });
    }
    const tracked = await trackRun(ssm, run, new Date(d.startedAt), pace, timing, save);
    if (!tracked.finished) return;
    const passed = runPassed(tracked.run);
    return finish(r, d, { succeeded: passed, reason: passed ? null : runSummary(tracked.run), details: { ...runCounts(tracked.run) }, record: tracked.run });
  }

  async function merge(r: Remediation, d: Deployment, rec: PullRequestMerge): Promise<void> {
    const github = connectors.github;
    if (!github) return finish(r, d, { succeeded: false, reason: 'GitHub is no longer configured', details: {} });
    const merged = (s: PullState) => finish(r, d, { succeeded: true, reason: null, details: {}, record: { ...rec, mergeCommitSha: s.mergeCommitSha, mergedAt: s.mergedAt, mergedBy: s.mergedBy } });
    const before = await github.pull(rec.repository, rec.pullNumber);
    if (before.merged) return merged(before);
    const outcome = await github.merge(rec.repository, rec.pullNumber, rec.headSha);
    const after = await github.pull(rec.repository, rec.pullNumber);
    // A 405 for a pull request that is merged: our own merge, whose answer was lost.
    if (outcome.merged || after.merged) return merged(after);
    const error: AppError = { code: 'deploy.merge_refused', repository: rec.repository, pullNumber: rec.pullNumber, status: outcome.status, message: outcome.message };
    const off = await say(r.id, CALL_OFF, { deploymentId: d.id, reason: `GitHub refused the merge (${outcome.status}: ${outcome.message})`, details: { status: outcome.status, headSha: after.headSha } }, SYSTEM.deploy, (x) => ({ kind: 'blocked', r: x, error }));
    if (!off.ok) throw new Error(`could not call off deployment ${d.id} of ${r.id}: ${off.error.code}`);
  }

  /** Carries the remediation's running deployment as far as it can go now. */
  return async (r: Remediation, pace: Pace): Promise<void> => {
    const d = runningDeployment(r);
    if (!d) return;
    if (d.record?.kind === 'ssm_run') return ssmRun(r, d, d.record, pace);
    if (d.record?.kind === 'pr_merge') return merge(r, d, d.record);
    return finish(r, d, { succeeded: false, reason: 'this deployment has no record of what to run', details: {} });
  };
}
