import {
  approveEmergency, beginStagingRun, callOffDeployment, finishDeployment, markDeployed, missWindow, recordProgress, recordRunTest, startDeployment, unapprovedEmergency, verify,
} from '../../../src/domain/deploy-transitions.js';
import type { Deployment, Remediation } from '../../../src/domain/remediation.js';
import type { RemediationState } from '../../../src/domain/remediation-state.js';
import { systemActor, type Actor } from '../../../src/domain/roles.js';
import type { EmergencyApproval, SsmRun } from '../../../src/domain/run-records.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import type { TransitionContext } from '../../../src/domain/transitions.js';
import { aRemediation, engineer, lead, T0 } from '../../support/builders.js';
import { itRunsEach, type TransitionCase } from '../../support/transition-cases.js';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const SYSTEM = systemActor('deploy');
const ctx = (actor: Actor, now = NOW): TransitionContext => ({ actor, now, sla: DEFAULT_SLA });
const inState = (state: RemediationState, extra: Partial<Remediation> = {}): Remediation => aRemediation({ state, ...extra });

const run: SsmRun = {
  kind: 'ssm_run', operation: 'Install', environment: 'production', document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0', commandIds: [],
  instances: [{ instanceId: 'i-01', name: 'web-1', status: 'Pending', statusDetails: 'Pending', responseCode: null, output: '', startedAt: null, finishedAt: null }],
};
const running = (extra: Partial<Deployment> = {}): Deployment => ({ id: 'd1', by: 'U0LEAD', startedAt: T0.toISOString(), status: 'running', finishedAt: null, reason: null, details: { fromState: 'scheduled' }, record: run, ...extra });
const emergency = (by = 'U0LEAD', approval: EmergencyApproval | null = null): Deployment =>
  running({ status: 'succeeded', emergency: { kind: 'emergency_change', by, reason: 'exploited', at: T0.toISOString(), approvalDueAt: '2026-11-04T09:00:00.000Z', approval } });
const slot = { windowId: 'w', windowName: 'Sunday', startsAt: '2026-11-08T21:00:00.000Z', endsAt: '2026-11-09T01:00:00.000Z', by: 'U0LEAD', at: T0.toISOString() };

const cases: TransitionCase[] = [
  { name: 'a deployment starts with its record and where it came from', run: () => startDeployment(inState('scheduled'), { deploymentId: 'd1', details: {}, record: run }, ctx(SYSTEM)), state: 'deploying', check: (r) => {
    expect(r.deployments[0]).toMatchObject({ id: 'd1', by: 'system:deploy', status: 'running', details: { fromState: 'scheduled' }, record: run });
    expect(r.deployments[0]!.emergency).toBeUndefined();
  } },
  { name: 'Deploy now is an emergency change, due for approval in the policy’s days', run: () => startDeployment(inState('approved'), { deploymentId: 'd1', details: {}, emergency: { reason: ' exploited in the wild ', approvalDays: 3 } }, ctx(lead())), state: 'deploying', check: (r) => {
    expect(r.deployments[0]!.emergency).toEqual({ kind: 'emergency_change', by: 'U0LEAD', reason: 'exploited in the wild', at: NOW.toISOString(), approvalDueAt: '2026-11-13T12:00:00.000Z', approval: null });
    expect(r.deployments[0]!.reason).toBe('exploited in the wild');
  } },
  { name: 'an emergency change needs a reason', run: () => startDeployment(inState('approved'), { deploymentId: 'd1', details: {}, emergency: { reason: ' ', approvalDays: 3 } }, ctx(lead())), error: { code: 'input.required', field: 'reason' } },
  { name: 'an engineer may not deploy now', run: () => startDeployment(inState('approved'), { deploymentId: 'd1', details: {}, emergency: { reason: 'x', approvalDays: 3 } }, ctx(engineer())), error: { code: 'auth.forbidden', permission: 'deploy', required: ['lead'] } },
  { name: 'the checks read before a merge are recorded with the start', run: () => startDeployment(inState('scheduled'), { deploymentId: 'd1', details: {}, tests: [{ id: 'ci-1', by: 'system:deploy', at: NOW.toISOString(), environment: 'ci', result: 'pass', notes: '', files: [] }] }, ctx(SYSTEM)), state: 'deploying', check: (r) => expect(r.tests.map((t) => t.id)).toEqual(['ci-1']) },
  { name: 'progress replaces the record and keeps the state', run: () => recordProgress(inState('deploying', { deployments: [running()] }), { deploymentId: 'd1', record: { ...run, commandIds: ['c-1'] } }, ctx(SYSTEM)), state: 'deploying', check: (r) => expect((r.deployments[0]!.record as SsmRun).commandIds).toEqual(['c-1']) },
  { name: 'a verification scan is kept in the deployment’s details', run: () => recordProgress(inState('deployed', { deployments: [running({ status: 'succeeded' })] }), { deploymentId: 'd1', details: { scan: run } }, ctx(SYSTEM)), state: 'deployed', check: (r) => expect(r.deployments[0]!.details).toEqual({ fromState: 'scheduled', scan: run }) },
  { name: 'progress of an unknown deployment is refused', run: () => recordProgress(inState('deploying', { deployments: [running()] }), { deploymentId: 'd9' }, ctx(SYSTEM)), error: { code: 'deployment.unknown', deploymentId: 'd9' } },
  { name: 'a person may not record progress', run: () => recordProgress(inState('deploying', { deployments: [running()] }), { deploymentId: 'd1' }, ctx(lead())), error: { code: 'auth.forbidden' } },
  { name: 'finishing keeps the final record', run: () => finishDeployment(inState('deploying', { deployments: [running()] }), { deploymentId: 'd1', succeeded: true, reason: null, details: {}, record: { ...run, commandIds: ['c-1'] } }, ctx(SYSTEM)), state: 'deployed', check: (r) => expect((r.deployments[0]!.record as SsmRun).commandIds).toEqual(['c-1']) },
  { name: 'a call-off goes back to where it came from, the attempt failed', run: () => callOffDeployment(inState('deploying', { deployments: [running()] }), { deploymentId: 'd1', reason: 'GitHub refused the merge', details: { status: 409 } }, ctx(SYSTEM)), state: 'scheduled', check: (r) => expect(r.deployments[0]).toMatchObject({ status: 'failed', reason: 'GitHub refused the merge', details: { calledOff: true, status: 409 } }) },
  { name: 'a call-off of a Deploy now goes back to approved', run: () => callOffDeployment(inState('deploying', { deployments: [running({ details: { fromState: 'approved' } })] }), { deploymentId: 'd1', reason: 'r', details: {} }, ctx(SYSTEM)), state: 'approved' },
  { name: 'a window that ended is missed: back to approved, unscheduled', run: () => missWindow(inState('scheduled', { schedule: { ...slot, startsAt: '2026-11-09T21:00:00.000Z', endsAt: '2026-11-10T01:00:00.000Z' } }), {}, ctx(SYSTEM)), state: 'approved', check: (r) => expect(r.schedule).toBeNull() },
  { name: 'an open window is not missed', run: () => missWindow(inState('scheduled', { schedule: { ...slot, startsAt: '2026-11-10T11:00:00.000Z', endsAt: '2026-11-10T15:00:00.000Z' } }), {}, ctx(SYSTEM)), error: { code: 'schedule.window_open' } },
  { name: 'a lead marks an outside change deployed with its link', run: () => markDeployed(inState('approved'), { deploymentId: 'd1', changeUrl: ' https://github.com/acme/api/pull/7 ', note: '' }, ctx(lead())), state: 'deployed', check: (r) => expect(r.deployments[0]).toMatchObject({ status: 'succeeded', finishedAt: NOW.toISOString(), record: { kind: 'manual', changeUrl: 'https://github.com/acme/api/pull/7' } }) },
  { name: 'marking deployed needs a link', run: () => markDeployed(inState('approved'), { deploymentId: 'd1', changeUrl: 'see the wiki', note: '' }, ctx(lead())), error: { code: 'input.not_a_link', field: 'change link' } },
  { name: 'marking deployed needs the link given', run: () => markDeployed(inState('approved'), { deploymentId: 'd1', changeUrl: '', note: '' }, ctx(lead())), error: { code: 'input.required', field: 'change link' } },
  { name: 'another lead approves an emergency change afterwards', run: () => approveEmergency(inState('verified', { deployments: [emergency()] }), { deploymentId: 'd1', note: ' ok ' }, ctx(lead('U0LEAD2'))), state: 'verified', check: (r) => {
    expect(r.deployments[0]!.emergency!.approval).toEqual({ by: 'U0LEAD2', at: NOW.toISOString(), note: 'ok' });
    expect(unapprovedEmergency(r)).toBeNull();
  } },
  { name: 'the lead who made it may not approve it', run: () => approveEmergency(inState('deployed', { deployments: [emergency()] }), { deploymentId: 'd1', note: '' }, ctx(lead())), error: { code: 'emergency.self_approval' } },
  { name: 'it is approved once', run: () => approveEmergency(inState('deployed', { deployments: [emergency('U0LEAD', { by: 'U0LEAD2', at: T0.toISOString(), note: '' })] }), { deploymentId: 'd1', note: '' }, ctx(lead('U0LEAD3'))), error: { code: 'emergency.already_approved', by: 'U0LEAD2' } },
  { name: 'an engineer may not approve an emergency change', run: () => approveEmergency(inState('deployed', { deployments: [emergency()] }), { deploymentId: 'd1', note: '' }, ctx(engineer())), error: { code: 'auth.forbidden', permission: 'approve_emergency' } },
  { name: 'only emergency changes are approved so', run: () => approveEmergency(inState('deployed', { deployments: [running({ status: 'succeeded' })] }), { deploymentId: 'd1', note: '' }, ctx(lead('U0LEAD2'))), error: { code: 'deployment.unknown' } },
  { name: 'a staging run starts from assessed into testing', run: () => beginStagingRun(inState('assessed'), { runId: 's1', environment: 'staging' }, ctx(engineer())), state: 'testing' },
  { name: 'a staging run needs an assessed or testing remediation', run: () => beginStagingRun(inState('approved'), { runId: 's1', environment: 'staging' }, ctx(engineer())), error: { code: 'remediation.invalid_state', allowed: ['assessed', 'testing'] } },
  { name: 'a run recorded as a test needs no file: pass moves to tested', run: () => recordRunTest(inState('testing'), { id: 's1', by: 'U0ENG', environment: 'staging', result: 'pass', notes: 'all good', run }, ctx(SYSTEM)), state: 'tested', check: (r) => expect(r.tests[0]).toMatchObject({ id: 's1', by: 'U0ENG', files: [], run }) },
  { name: 'a failing run keeps it in testing', run: () => recordRunTest(inState('testing'), { id: 's1', by: 'U0ENG', environment: 'staging', result: 'fail', notes: '1 failed', run }, ctx(SYSTEM)), state: 'testing' },
  { name: 'a run that ends after the remediation moved on is still kept, the state unchanged', run: () => recordRunTest(inState('approved'), { id: 's1', by: 'U0ENG', environment: 'staging', result: 'pass', notes: '', run }, ctx(SYSTEM)), state: 'approved', check: (r) => expect(r.tests).toHaveLength(1) },
  { name: 'a person records a run only in a testable state', run: () => recordRunTest(inState('approved'), { id: 's1', by: 'U0ENG', environment: 'ci', result: 'pass', notes: '', run }, ctx(engineer('U0ENG'))), error: { code: 'remediation.invalid_state' } },
  { name: 'a manager may not record a run', run: () => recordRunTest(inState('testing'), { id: 's1', by: 'U0MGR', environment: 'ci', result: 'pass', notes: '', run }, ctx({ kind: 'user', userId: 'U0MGR', roles: ['manager'] })), error: { code: 'auth.forbidden', permission: 'test' } },
  { name: 'verification keeps its evidence', run: () => verify(inState('deployed'), { clean: true, details: {}, evidence: { kind: 'source_state', takenAt: NOW.toISOString(), findings: [] } }, ctx(SYSTEM)), state: 'verified', check: (r) => expect(r.verification?.evidence).toEqual({ kind: 'source_state', takenAt: NOW.toISOString(), findings: [] }) },
];

describe('deployment transitions', () => {
  itRunsEach(cases, NOW);
});
