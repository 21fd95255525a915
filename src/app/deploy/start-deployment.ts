/**
 * A deployment starts: at its window's start (the bot) or by a lead's Deploy now (an emergency change another lead
 * must approve within `deploy.emergencyApprovalDays`). Everything is checked first (who, which state, the targets
 * SSM manages now, or the pull request and its green checks); then the deployment is written, with its id and what
 * will be run, BEFORE anything is sent: the runner sends and follows it from that record, after a restart too.
 * A pull request that is not ready blocks the start: nothing is recorded but the `remediation.deployment_blocked`
 * event, and the remediation stays as it was.
 */
import { randomUUID } from 'node:crypto';
import { deployPath, type DeployPath } from '../../domain/deploy-path.js';
import { startDeployment, type StartDeploymentInput } from '../../domain/deploy-transitions.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, SYSTEM, type Actor } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { AppError } from '../errors.js';
import type { Applied, FollowUp, Step } from '../workflow/apply-step.js';
import type { Policy } from '../../policy.js';
import type { Store } from '../ports.js';
import type { DeployDeps } from './deploy-deps.js';
import { EMERGENCIES, type EmergencyEntry } from './emergencies.js';
import { checksTest, pullWithChecks, requireGreen } from './pull-checks.js';
import { plannedRun, plannedTargets, resolveTargets, type Targets } from './targets.js';

/** What Deploy now would do, for the modal: the blast radius (from the store) or the pull request's repository. */
export type DeployPlan =
  | { readonly kind: 'ssm'; readonly targets: Targets }
  | { readonly kind: 'dependabot'; readonly repository: string; readonly package: string; readonly version: string | null };

const NOT_HERE = (path: Extract<DeployPath, { kind: 'manual' | 'none' }>): AppError => ({
  code: 'deploy.not_applicable',
  action: 'deploy it from patchwarden',
  why: path.kind === 'manual' ? 'only Snyk reported it; mark the change deployed with a link to it instead' : path.why,
});

/** What a deployment would do, as the store sees it now (the approval and Deploy now modals show it). */
export async function deployPlan(deps: { store: Pick<Store, 'assets'>; environments: Policy['environments'] }, r: Remediation): Promise<Result<DeployPlan, AppError>> {
  const path = deployPath(r);
  if (path.kind === 'dependabot') return ok({ kind: 'dependabot', repository: path.repository, package: path.package, version: path.version });
  if (path.kind !== 'ssm') return err(NOT_HERE(path));
  const targets = await plannedTargets(deps, r, 'production');
  return targets.ok ? ok({ kind: 'ssm', targets: targets.value }) : targets;
}

export interface DeploymentStarts {
  /** A lead's emergency change, with the Slack effects `followUp` gives; a pull request not ready is said in the thread. */
  deployNow(id: string, reason: string, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
  /** At the window's start, by the bot; a pull request not ready is said in the thread when `sayBlocked` says so. */
  startScheduled(r: Remediation, sayBlocked: (error: AppError) => boolean): Promise<Result<Applied, AppError>>;
}

/** The failures that leave the remediation as it was and are said in its thread (the pull request is not ready). */
export const BLOCKING: ReadonlySet<AppError['code']> = new Set(['deploy.checks_not_green', 'deploy.no_pull_request', 'deploy.merge_refused']);

const START: Step<StartDeploymentInput> = {
  transition: startDeployment,
  action: 'remediation.deployment_started',
  data: (input) => ({
    deploymentId: input.deploymentId,
    kind: input.record?.kind ?? null,
    ...(input.record?.kind === 'ssm_run' ? { environment: input.record.environment, document: input.record.document, instanceIds: input.record.instances.map((i) => i.instanceId) } : {}),
    ...(input.record?.kind === 'pr_merge' ? { repository: input.record.repository, pullNumber: input.record.pullNumber, headSha: input.record.headSha } : {}),
    emergency: input.emergency ? { reason: input.emergency.reason, approvalDays: input.emergency.approvalDays } : null,
  }),
};

export function createDeploymentStarts(deps: DeployDeps): DeploymentStarts {
  const { store, policy, connectors, applyStep, announcer, now } = deps;
  const newId = deps.newId ?? randomUUID;

  /** What would be run, as far as it is known before sending; or why it cannot start. */
  async function prepare(r: Remediation, path: DeployPath, actor: Actor): Promise<Result<Omit<StartDeploymentInput, 'emergency'>, AppError>> {
    const deploymentId = `d-${newId()}`;
    if (path.kind === 'ssm') {
      const targets = await resolveTargets({ store, connectors, environments: policy.environments }, r, 'production');
      return targets.ok ? ok({ deploymentId, details: {}, record: plannedRun(policy.deploy, 'Install', targets.value) }) : targets;
    }
    if (path.kind !== 'dependabot') return err(NOT_HERE(path));
    const found = await pullWithChecks(connectors.github, path);
    if (!found.ok) return found;
    const red = requireGreen(found.value);
    if (red) return err(red);
    const { pull, checks } = found.value;
    const record = { kind: 'pr_merge' as const, repository: pull.repository, pullNumber: pull.number, url: pull.url, headSha: pull.headSha, mergeCommitSha: null, mergedAt: null, mergedBy: null, checks };
    return ok({ deploymentId, details: {}, record, tests: [checksTest(`ci-${newId()}`, actorId(actor), instant(now()), found.value)] });
  }

  interface Saying {
    readonly followUp?: FollowUp;
    readonly sayBlocked: (error: AppError) => boolean;
  }

  async function start(r: Remediation, actor: Actor, emergency: StartDeploymentInput['emergency'], saying: Saying): Promise<Result<Applied, AppError>> {
    // Wrong state or role: refused before anything outside is asked.
    const dry = startDeployment(r, { deploymentId: 'check', details: {}, ...(emergency ? { emergency } : {}) }, { actor, now: now(), sla: policy.sla });
    if (!dry.ok) return dry.error.code === 'auth.forbidden' ? ((await deps.authorize(actor, 'deploy', r.id)) as Result<never, AppError>) : dry;
    const input = await prepare(r, deployPath(r), actor);
    if (!input.ok) {
      if (BLOCKING.has(input.error.code) && saying.sayBlocked(input.error)) {
        const blocked = { at: instant(now()), actor: actorId(actor), action: 'remediation.deployment_blocked' as const, subject: r.id, data: { state: r.state, ...input.error } };
        await store.commit({ events: [blocked], effects: announcer.effects({ kind: 'blocked', r, error: input.error }) });
        await announcer.flush(r.id);
      }
      return input;
    }
    // An emergency change is indexed first, so its approval can never be forgotten (a stale entry is dropped on read).
    if (emergency) await store.kv.put(EMERGENCIES, input.value.deploymentId, { remediationId: r.id, at: instant(now()) } satisfies EmergencyEntry);
    const started = await applyStep(r.id, START, { ...input.value, ...(emergency ? { emergency } : {}) }, actor, saying.followUp);
    if (!started.ok && emergency) await store.kv.delete(EMERGENCIES, input.value.deploymentId);
    return started;
  }

  return {

    async deployNow(id, reason, actor, followUp) {
      const r = await store.remediations.get(id);
      if (!r) return err({ code: 'remediation.not_found', id });
      return start(r, actor, { reason, approvalDays: policy.deploy.emergencyApprovalDays }, { ...(followUp ? { followUp } : {}), sayBlocked: () => true });
    },

    async startScheduled(r, sayBlocked) {
      const started = await start(r, SYSTEM.deploy, undefined, { followUp: ({ after }) => announcer.effects({ kind: 'deploy_started', r: after }), sayBlocked });
      if (started.ok) await announcer.flush(r.id);
      return started;
    },
  };
}
