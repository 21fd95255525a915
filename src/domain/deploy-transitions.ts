/**
 * Steps 6 and 7 as pure transitions: a deployment starts (the record, with its id, before anything is sent), its
 * run is recorded as it goes, it ends deployed or failed (or is called off before anything changed), a window can
 * pass unused, a lead can mark an outside change deployed, another lead approves an emergency change afterwards, and
 * the post-deployment check verifies (or sends it back to failed with what is still open).
 */
import { err, ok } from './result.js';
import { actorId } from './roles.js';
import type { Deployment, Remediation, TestRecord } from './remediation.js';
import { OPEN_STATES, REMEDIATION_STATES, SCHEDULABLE_STATES, TESTABLE_STATES, type RemediationState } from './remediation-state.js';
import type { DeploymentRecord, EmergencyChange, SsmRun, PullRequestChecks, VerificationEvidence } from './run-records.js';
import { addDays, instant } from './time.js';
import { first, guard, isHttpLink, text, touch, type Transition } from './transitions.js';

export interface StartDeploymentInput {
  readonly deploymentId: string;
  readonly details: Record<string, unknown>;
  /** What will be run, as far as it is known before it is sent (an SSM run without command ids, the pull request). */
  readonly record?: DeploymentRecord;
  /** Deploy now: an emergency change, with its reason and the days another lead has to approve it. */
  readonly emergency?: { readonly reason: string; readonly approvalDays: number };
  /** Test runs recorded in the same write (the pull request's checks, read right before the merge). */
  readonly tests?: readonly TestRecord[];
}

export const startDeployment: Transition<StartDeploymentInput> = (r, input, ctx) => {
  const refused = first(guard(r, 'deploy', SCHEDULABLE_STATES, 'deploy', ctx.actor), input.emergency ? text('reason', input.emergency.reason) : null);
  if (refused) return err(refused);
  const at = instant(ctx.now);
  const by = actorId(ctx.actor);
  const emergency: EmergencyChange | undefined = input.emergency && {
    kind: 'emergency_change',
    by,
    reason: input.emergency.reason.trim(),
    at,
    approvalDueAt: instant(addDays(ctx.now, input.emergency.approvalDays)),
    approval: null,
  };
  const deployment: Deployment = {
    id: input.deploymentId,
    by,
    startedAt: at,
    status: 'running',
    finishedAt: null,
    reason: emergency?.reason ?? null,
    details: { fromState: r.state, ...input.details },
    ...(input.record ? { record: input.record } : {}),
    ...(emergency ? { emergency } : {}),
  };
  return ok(touch(r, ctx, { state: 'deploying', deployments: [...r.deployments, deployment], tests: [...r.tests, ...(input.tests ?? [])] }));
};

/** Replaces one deployment (by id) through `change`, or refuses an id patchwarden did not start. */
function withDeployment(r: Remediation, id: string, change: (d: Deployment) => Deployment) {
  if (!r.deployments.some((d) => d.id === id)) return err({ code: 'deployment.unknown' as const, deploymentId: id });
  return ok(r.deployments.map((d) => (d.id === id ? change(d) : d)));
}

export interface ProgressInput {
  readonly deploymentId: string;
  readonly record?: DeploymentRecord;
  readonly details?: Record<string, unknown>;
}

/** The bot records how a run is going (command ids once sent, each instance's status; the verification scan). */
export const recordProgress: Transition<ProgressInput> = (r, input, ctx) => {
  const refused = guard(r, 'record the progress of', ['deploying', 'deployed'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const deployments = withDeployment(r, input.deploymentId, (d) => ({ ...d, ...(input.record ? { record: input.record } : {}), details: { ...d.details, ...input.details } }));
  return deployments.ok ? ok(touch(r, ctx, { deployments: deployments.value })) : deployments;
};

export interface OutcomeInput {
  readonly deploymentId: string;
  readonly succeeded: boolean;
  readonly reason: string | null;
  readonly details: Record<string, unknown>;
  readonly record?: DeploymentRecord;
}

/** The bot records how a deployment ended: `deployed` or `failed`. */
export const finishDeployment: Transition<OutcomeInput> = (r, input, ctx) => {
  const refused = guard(r, input.succeeded ? 'complete the deployment' : 'fail the deployment', ['deploying'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const deployments = withDeployment(r, input.deploymentId, (d) => ({
    ...d,
    status: input.succeeded ? 'succeeded' : 'failed',
    finishedAt: instant(ctx.now),
    reason: input.reason ?? d.reason,
    details: { ...d.details, ...input.details },
    ...(input.record ? { record: input.record } : {}),
  }));
  return deployments.ok ? ok(touch(r, ctx, { state: input.succeeded ? 'deployed' : 'failed', deployments: deployments.value })) : deployments;
};

/** Nothing went out (the merge was refused, its checks turned red): the remediation goes back to where it was. */
export const callOffDeployment: Transition<{ readonly deploymentId: string; readonly reason: string; readonly details: Record<string, unknown> }> = (r, input, ctx) => {
  const refused = guard(r, 'call off the deployment', ['deploying'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const d = r.deployments.find((x) => x.id === input.deploymentId);
  const from = d?.details.fromState as RemediationState | undefined;
  const back: RemediationState = from && SCHEDULABLE_STATES.includes(from) ? from : 'approved';
  const deployments = withDeployment(r, input.deploymentId, (x) => ({ ...x, status: 'failed', finishedAt: instant(ctx.now), reason: input.reason, details: { ...x.details, ...input.details, calledOff: true } }));
  return deployments.ok ? ok(touch(r, ctx, { state: back, deployments: deployments.value })) : deployments;
};

/** Its window ended before anything went out: back to approved, to be scheduled again. */
export const missWindow: Transition<Record<string, never>> = (r, _input, ctx) => {
  const refused = guard(r, 'mark the window missed for', ['scheduled'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  if (r.schedule && r.schedule.endsAt > instant(ctx.now)) return err({ code: 'schedule.window_open', endsAt: r.schedule.endsAt });
  return ok(touch(r, ctx, { state: 'approved', schedule: null }));
};

/** A change made outside patchwarden (a Snyk-only fix), with a link to it: deployed, to be verified by its source. */
export const markDeployed: Transition<{ readonly deploymentId: string; readonly changeUrl: string; readonly note: string }> = (r, input, ctx) => {
  const url = input.changeUrl.trim();
  const refused = first(
    guard(r, 'mark deployed', SCHEDULABLE_STATES, 'deploy', ctx.actor),
    text('change link', url),
    url !== '' && !isHttpLink(url) ? { code: 'input.not_a_link', field: 'change link' } : null,
    text('note', input.note, false),
  );
  if (refused) return err(refused);
  const at = instant(ctx.now);
  const deployment: Deployment = {
    id: input.deploymentId,
    by: actorId(ctx.actor),
    startedAt: at,
    status: 'succeeded',
    finishedAt: at,
    reason: input.note.trim() || null,
    details: { fromState: r.state },
    record: { kind: 'manual', changeUrl: url },
  };
  return ok(touch(r, ctx, { state: 'deployed', deployments: [...r.deployments, deployment] }));
};

/** Another lead approves an emergency change after the fact (never the lead who made it). */
export const approveEmergency: Transition<{ readonly deploymentId: string; readonly note: string }> = (r, input, ctx) => {
  const refused = first(guard(r, 'approve the emergency change of', REMEDIATION_STATES, 'approve_emergency', ctx.actor), text('note', input.note, false));
  if (refused) return err(refused);
  const d = r.deployments.find((x) => x.id === input.deploymentId);
  if (!d?.emergency) return err({ code: 'deployment.unknown', deploymentId: input.deploymentId });
  if (d.emergency.approval) return err({ code: 'emergency.already_approved', by: d.emergency.approval.by });
  const by = actorId(ctx.actor);
  if (by === d.emergency.by) return err({ code: 'emergency.self_approval' });
  const approval = { by, at: instant(ctx.now), note: input.note.trim() };
  const deployments = r.deployments.map((x) => (x.id === d.id && x.emergency ? { ...x, emergency: { ...x.emergency, approval } } : x));
  return ok(touch(r, ctx, { deployments }));
};

/** The oldest emergency change of a remediation still waiting for its approval. */
export const unapprovedEmergency = (r: Pick<Remediation, 'deployments'>): Deployment | null =>
  r.deployments.find((d) => d.emergency && d.emergency.approval === null) ?? null;

export interface RunTestInput {
  readonly id: string;
  /** Who ran it (the engineer who pressed Run in staging, the lead who asked for the CI results). */
  readonly by: string;
  readonly environment: string;
  readonly result: 'pass' | 'fail';
  readonly notes: string;
  readonly run: SsmRun | PullRequestChecks;
}

/**
 * A run the bot made, recorded as a test: its record is the evidence, so no file is needed. A person records one in
 * a testable state; the bot records the end of a run it tracked for them even if the remediation moved on meanwhile
 * (the evidence is kept; only a testable state moves to tested or testing).
 */
export const recordRunTest: Transition<RunTestInput> = (r, input, ctx) => {
  const byPerson = ctx.actor.kind === 'user';
  const refused = first(
    guard(r, 'record a test', byPerson ? TESTABLE_STATES : OPEN_STATES, byPerson ? 'test' : 'record_outcome', ctx.actor),
    text('notes', input.notes, false),
  );
  if (refused) return err(refused);
  const test: TestRecord = { id: input.id, by: input.by, at: instant(ctx.now), environment: input.environment, result: input.result, notes: input.notes.trim(), files: [], run: input.run };
  const state = TESTABLE_STATES.includes(r.state) ? (input.result === 'pass' ? 'tested' : 'testing') : r.state;
  return ok(touch(r, ctx, { state, tests: [...r.tests, test] }));
};

/** An engineer starts a staging run: the remediation is in testing while it runs. */
export const beginStagingRun: Transition<{ readonly runId: string; readonly environment: string }> = (r, input, ctx) => {
  const refused = guard(r, 'start a staging run for', ['assessed', 'testing'], 'test', ctx.actor);
  return refused ? err(refused) : ok(touch(r, ctx, { state: 'testing' }));
};

export interface VerifyInput {
  readonly clean: boolean;
  readonly details: Record<string, unknown>;
  readonly evidence?: VerificationEvidence;
}

/** The post-deployment check: clean closes the remediation; anything still open sends it back to failed. */
export const verify: Transition<VerifyInput> = (r, input, ctx) => {
  const refused = guard(r, 'verify', ['deployed'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const verification = { at: instant(ctx.now), clean: input.clean, details: input.details, ...(input.evidence ? { evidence: input.evidence } : {}) };
  if (!input.clean) return ok(touch(r, ctx, { state: 'failed', verification }));
  return ok(touch(r, ctx, { state: 'verified', verification, closedAt: instant(ctx.now), resolution: 'deployed' }));
};
