import { type Remediation } from '../../../src/domain/remediation.js';
import { REMEDIATION_STATES, type RemediationState } from '../../../src/domain/remediation-state.js';
import { systemActor, type Actor } from '../../../src/domain/roles.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import {
  acceptRisk,
  approve,
  assess,
  closeUpstream,
  expireRiskAcceptance,
  recordCheck,
  recordTest,
  reject,
  reopen,
  schedule,
  startTesting,
  type TransitionContext,
} from '../../../src/domain/transitions.js';
import { finishDeployment, startDeployment, verify } from '../../../src/domain/deploy-transitions.js';
import { aRemediation, aTest, approver, engineer, lead, T0, withRoles } from '../../support/builders.js';
import { itRunsEach, type TransitionCase } from '../../support/transition-cases.js';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const SYSTEM = systemActor('test');
const ctx = (actor: Actor, now = NOW): TransitionContext => ({ actor, now, sla: DEFAULT_SLA });
const inState = (state: RemediationState, extra: Partial<Remediation> = {}): Remediation => aRemediation({ state, ...extra });

const slot = { windowId: 'prod-sat', windowName: 'Production, Saturday 22:00', startsAt: '2026-11-14T21:00:00.000Z', endsAt: '2026-11-15T01:00:00.000Z' };
const assessInput = { severity: 'critical' as const, knownExploit: true, epss: 0.42, businessImpact: 'high' as const, rationale: 'Internet-facing API', owner: 'U0OWNER2' };
const passInput = { id: 't1', environment: 'staging', result: 'pass' as const, notes: '', files: aTest().files };
const failInput = { id: 't2', environment: 'staging', result: 'fail' as const, notes: 'Login page 500s after upgrade', files: [] };
const decisionInput = { reason: 'Tested in staging', changeTicket: 'CHG-1' };
const riskInput = (days: number) => ({ justification: 'Vendor fix pending', compensatingControl: 'WAF rule 9001', expiresAt: new Date(NOW.getTime() + days * 86_400_000).toISOString() });
const manual = (state: RemediationState) => inState(state, { remedy: { kind: 'manual', description: 'Rotate the VPN certificates' }, findingIds: [] });
const checkInput = { what: 'openssl s_client shows the new certificate on both gateways', link: 'https://wiki.acme.example/CHG-9' };
const deploying = () => inState('deploying', { deployments: [{ id: 'd1', by: 'U0LEAD', startedAt: T0.toISOString(), status: 'running', finishedAt: null, reason: null, details: {} }] });

type Case = TransitionCase;

const cases: Case[] = [
  // assess
  { name: 'a lead assesses a new remediation', run: () => assess(inState('new'), assessInput, ctx(lead())), state: 'assessed', check: (r) => {
    expect(r.severity).toBe('critical');
    expect(r.owner).toBe('U0OWNER2');
    expect(r.dueAt).toBe('2026-11-08T09:00:00.000Z'); // detected T0 + 7 days for critical
    expect(r.assessment).toMatchObject({ by: 'U0LEAD', rationale: 'Internet-facing API', knownExploit: true, epss: 0.42, businessImpact: 'high', kevListed: false, dueAt: r.dueAt });
  } },
  { name: 'a lead re-assesses an assessed remediation', run: () => assess(inState('assessed'), { ...assessInput, severity: 'low' }, ctx(lead())), state: 'assessed', check: (r) => expect(r.dueAt).toBe('2027-04-30T09:00:00.000Z') },
  { name: 'a lead assesses a reopened remediation', run: () => assess(inState('reopened'), assessInput, ctx(lead())), state: 'assessed' },
  { name: 'assessment keeps the owner when none is given', run: () => assess(inState('new'), { ...assessInput, owner: null }, ctx(lead())), state: 'assessed', check: (r) => expect(r.owner).toBe('U0OWNER') },
  { name: 'a KEV-listed CVE is due by CISA’s date when earlier', run: () => assess(inState('new', { kevDueAt: '2026-11-03T00:00:00.000Z' }), { ...assessInput, severity: 'medium' }, ctx(lead())), state: 'assessed', check: (r) => {
    expect(r.dueAt).toBe('2026-11-03T00:00:00.000Z');
    expect(r.assessment?.kevListed).toBe(true);
  } },
  { name: 'an engineer may not assess', run: () => assess(inState('new'), assessInput, ctx(engineer())), error: { code: 'auth.forbidden', permission: 'assess', required: ['lead'] } },
  { name: 'a manager may not assess', run: () => assess(inState('new'), assessInput, ctx(withRoles('U0MGR', 'manager'))), error: { code: 'auth.forbidden' } },
  { name: 'assessment needs a rationale', run: () => assess(inState('new'), { ...assessInput, rationale: '   ' }, ctx(lead())), error: { code: 'input.required', field: 'rationale' } },
  { name: 'a rationale over 3000 characters is refused', run: () => assess(inState('new'), { ...assessInput, rationale: 'x'.repeat(3001) }, ctx(lead())), error: { code: 'input.too_long', field: 'rationale', max: 3000 } },
  { name: 'a tested remediation cannot be re-assessed', run: () => assess(inState('tested'), assessInput, ctx(lead())), error: { code: 'remediation.invalid_state', state: 'tested' } },

  // testing
  { name: 'an engineer starts testing', run: () => startTesting(inState('assessed'), { environment: 'staging' }, ctx(engineer())), state: 'testing' },
  { name: 'testing cannot start before assessment', run: () => startTesting(inState('new'), { environment: 'staging' }, ctx(engineer())), error: { code: 'remediation.invalid_state', state: 'new' } },
  { name: 'an engineer records a passing test', run: () => recordTest(inState('assessed'), passInput, ctx(engineer())), state: 'tested', check: (r) => {
    expect(r.tests).toHaveLength(1);
    expect(r.tests[0]).toMatchObject({ by: 'U0ENGINEER', result: 'pass', at: NOW.toISOString(), environment: 'staging' });
  } },
  { name: 'a failing test keeps it in testing with the notes', run: () => recordTest(inState('testing'), failInput, ctx(engineer())), state: 'testing', check: (r) => expect(r.tests[0]?.notes).toBe('Login page 500s after upgrade') },
  { name: 'a failing test after a pass moves it back to testing', run: () => recordTest(inState('tested', { tests: [aTest()] }), failInput, ctx(engineer())), state: 'testing', check: (r) => expect(r.tests).toHaveLength(2) },
  { name: 'a lead may record a test', run: () => recordTest(inState('assessed'), passInput, ctx(lead())), state: 'tested' },
  { name: 'a pass needs evidence', run: () => recordTest(inState('assessed'), { ...passInput, files: [] }, ctx(engineer())), error: { code: 'test.evidence_required' } },
  { name: 'a fail needs notes', run: () => recordTest(inState('testing'), { ...failInput, notes: '' }, ctx(engineer())), error: { code: 'input.required', field: 'notes' } },
  { name: 'a test needs an environment', run: () => recordTest(inState('testing'), { ...passInput, environment: '' }, ctx(engineer())), error: { code: 'input.required', field: 'environment' } },
  { name: 'an approver may not record tests', run: () => recordTest(inState('assessed'), passInput, ctx(approver())), error: { code: 'auth.forbidden', permission: 'test' } },
  { name: 'a new remediation cannot be tested', run: () => recordTest(inState('new'), passInput, ctx(engineer())), error: { code: 'remediation.invalid_state', state: 'new' } },

  // approval
  { name: 'a lead approves tested work', run: () => approve(inState('tested', { tests: [aTest()] }), decisionInput, ctx(lead())), state: 'approved', check: (r) => expect(r.decisions).toEqual([{ decision: 'approved', by: 'U0LEAD', at: NOW.toISOString(), reason: 'Tested in staging', changeTicket: 'CHG-1' }]) },
  { name: 'an approver approves', run: () => approve(inState('tested', { tests: [aTest()] }), decisionInput, ctx(approver())), state: 'approved' },
  { name: 'approval reason is optional', run: () => approve(inState('tested', { tests: [aTest()] }), { reason: '', changeTicket: null }, ctx(lead())), state: 'approved' },
  { name: 'an engineer may not approve', run: () => approve(inState('tested', { tests: [aTest()] }), decisionInput, ctx(engineer('U0OTHER'))), error: { code: 'auth.forbidden', permission: 'approve', required: ['lead', 'approver'] } },
  { name: 'the tester may not approve their own evidence', run: () => approve(inState('tested', { tests: [aTest({ by: 'U0LEAD' })] }), decisionInput, ctx(lead())), error: { code: 'approval.separation_of_duties' } },
  { name: 'a failed test by the approver does not block them', run: () => approve(inState('tested', { tests: [aTest({ by: 'U0LEAD', result: 'fail' }), aTest()] }), decisionInput, ctx(lead())), state: 'approved' },
  { name: 'untested work cannot be approved', run: () => approve(inState('testing'), decisionInput, ctx(lead())), error: { code: 'remediation.invalid_state', state: 'testing', allowed: ['tested'] } },
  { name: 'rejection sends it back to testing with the reason', run: () => reject(inState('tested', { tests: [aTest()] }), { reason: 'No rollback plan', changeTicket: null }, ctx(approver())), state: 'testing', check: (r) => expect(r.decisions[0]).toMatchObject({ decision: 'rejected', reason: 'No rollback plan' }) },
  { name: 'rejection needs a reason', run: () => reject(inState('tested'), { reason: ' ', changeTicket: null }, ctx(lead())), error: { code: 'input.required', field: 'reason' } },
  { name: 'an engineer may not reject', run: () => reject(inState('tested'), decisionInput, ctx(engineer())), error: { code: 'auth.forbidden' } },

  // scheduling
  { name: 'a lead schedules approved work into a window', run: () => schedule(inState('approved'), { slot }, ctx(lead())), state: 'scheduled', check: (r) => expect(r.schedule).toEqual({ ...slot, by: 'U0LEAD', at: NOW.toISOString() }) },
  { name: 'a lead reschedules', run: () => schedule(inState('scheduled'), { slot }, ctx(lead())), state: 'scheduled' },
  { name: 'a failed deployment can be rescheduled', run: () => schedule(inState('failed'), { slot }, ctx(lead())), state: 'scheduled' },
  { name: 'a window that has ended is refused', run: () => schedule(inState('approved'), { slot: { ...slot, endsAt: '2026-11-01T00:00:00.000Z' } }, ctx(lead())), error: { code: 'schedule.window_in_past' } },
  { name: 'an approver may not schedule', run: () => schedule(inState('approved'), { slot }, ctx(approver())), error: { code: 'auth.forbidden', permission: 'schedule' } },
  { name: 'unapproved work cannot be scheduled', run: () => schedule(inState('tested'), { slot }, ctx(lead())), error: { code: 'remediation.invalid_state' } },

  // deployment
  { name: 'the bot starts a scheduled deployment', run: () => startDeployment(inState('scheduled'), { deploymentId: 'd1', details: { ssmCommandId: 'c-1' } }, ctx(SYSTEM)), state: 'deploying', check: (r) => expect(r.deployments[0]).toMatchObject({ id: 'd1', by: 'system:test', status: 'running', details: { ssmCommandId: 'c-1' } }) },
  { name: 'a lead deploys approved work now', run: () => startDeployment(inState('approved'), { deploymentId: 'd1', details: {} }, ctx(lead())), state: 'deploying' },
  { name: 'a lead retries a failed deployment', run: () => startDeployment(inState('failed'), { deploymentId: 'd2', details: {} }, ctx(lead())), state: 'deploying' },
  { name: 'an engineer may not deploy', run: () => startDeployment(inState('scheduled'), { deploymentId: 'd1', details: {} }, ctx(engineer())), error: { code: 'auth.forbidden', permission: 'deploy' } },
  { name: 'tested but unapproved work cannot be deployed', run: () => startDeployment(inState('tested'), { deploymentId: 'd1', details: {} }, ctx(lead())), error: { code: 'remediation.invalid_state' } },
  { name: 'a successful deployment is deployed', run: () => finishDeployment(deploying(), { deploymentId: 'd1', succeeded: true, reason: null, details: { instances: 3 } }, ctx(SYSTEM)), state: 'deployed', check: (r) => expect(r.deployments[0]).toMatchObject({ status: 'succeeded', finishedAt: NOW.toISOString(), details: { instances: 3 } }) },
  { name: 'a failed deployment is failed with the reason', run: () => finishDeployment(deploying(), { deploymentId: 'd1', succeeded: false, reason: '2 of 3 instances failed', details: {} }, ctx(SYSTEM)), state: 'failed', check: (r) => expect(r.deployments[0]).toMatchObject({ status: 'failed', reason: '2 of 3 instances failed' }) },
  { name: 'an unknown deployment id is refused', run: () => finishDeployment(deploying(), { deploymentId: 'nope', succeeded: true, reason: null, details: {} }, ctx(SYSTEM)), error: { code: 'deployment.unknown', deploymentId: 'nope' } },
  { name: 'a person may not record a deployment outcome', run: () => finishDeployment(deploying(), { deploymentId: 'd1', succeeded: true, reason: null, details: {} }, ctx(lead())), error: { code: 'auth.forbidden', permission: 'record_outcome' } },
  { name: 'an outcome needs a running deployment', run: () => finishDeployment(inState('scheduled'), { deploymentId: 'd1', succeeded: true, reason: null, details: {} }, ctx(SYSTEM)), error: { code: 'remediation.invalid_state' } },

  // verification, upstream fixes, reopening
  { name: 'a clean scan verifies and closes', run: () => verify(inState('deployed'), { clean: true, details: { scan: 'ok' } }, ctx(SYSTEM)), state: 'verified', check: (r) => {
    expect(r.closedAt).toBe(NOW.toISOString());
    expect(r.resolution).toBe('deployed');
  } },
  { name: 'a check that still finds it sends it back to failed, never verified', run: () => verify(inState('deployed'), { clean: false, details: { stillOpen: ['KB1'] } }, ctx(SYSTEM)), state: 'failed', check: (r) => {
    expect(r.closedAt).toBeNull();
    expect(r.resolution).toBeNull();
    expect(r.verification).toEqual({ at: NOW.toISOString(), clean: false, details: { stillOpen: ['KB1'] } });
  } },
  { name: 'only deployed work is verified', run: () => verify(inState('scheduled'), { clean: true, details: {} }, ctx(SYSTEM)), error: { code: 'remediation.invalid_state' } },
  { name: 'a person may not verify', run: () => verify(inState('deployed'), { clean: true, details: {} }, ctx(lead())), error: { code: 'auth.forbidden' } },
  { name: 'a finding fixed upstream closes a new remediation', run: () => closeUpstream(inState('new'), { resolution: 'fixed_upstream', details: { alert: 'fixed' } }, ctx(SYSTEM)), state: 'verified', check: (r) => {
    expect(r.resolution).toBe('fixed_upstream');
    expect(r.verification).toEqual({ at: NOW.toISOString(), clean: true, details: { alert: 'fixed' } });
  } },
  { name: 'a finding fixed upstream closes a scheduled remediation', run: () => closeUpstream(inState('scheduled'), { resolution: 'fixed_upstream', details: {} }, ctx(SYSTEM)), state: 'verified' },
  { name: 'findings all dismissed at the source close it as dismissed upstream', run: () => closeUpstream(inState('assessed'), { resolution: 'dismissed_upstream', details: { reason: 'tolerable_risk' } }, ctx(SYSTEM)), state: 'verified', check: (r) => expect(r.resolution).toBe('dismissed_upstream') },
  { name: 'a running deployment is not interrupted by an upstream fix', run: () => closeUpstream(inState('deploying'), { resolution: 'fixed_upstream', details: {} }, ctx(SYSTEM)), error: { code: 'remediation.invalid_state', state: 'deploying' } },
  { name: 'a person may not close a remediation as fixed upstream', run: () => closeUpstream(inState('new'), { resolution: 'fixed_upstream', details: {} }, ctx(lead())), error: { code: 'auth.forbidden', permission: 'record_outcome' } },
  { name: 'a verified remediation reopens when its finding returns', run: () => reopen(inState('verified', { closedAt: NOW.toISOString(), resolution: 'deployed' }), { reason: 'alert reopened' }, ctx(SYSTEM)), state: 'reopened', check: (r) => {
    expect(r.closedAt).toBeNull();
    expect(r.resolution).toBeNull();
  } },
  { name: 'reopening needs a reason', run: () => reopen(inState('verified'), { reason: '' }, ctx(SYSTEM)), error: { code: 'input.required', field: 'reason' } },
  { name: 'an open remediation cannot be reopened', run: () => reopen(inState('testing'), { reason: 'x' }, ctx(SYSTEM)), error: { code: 'remediation.invalid_state' } },

  // a manual remediation verified by a lead's recorded check
  { name: 'a lead verifies an approved manual remediation by a recorded check', run: () => recordCheck(manual('approved'), checkInput, ctx(lead())), state: 'verified', check: (r) => {
    expect(r.verification).toEqual({
      at: NOW.toISOString(), clean: true,
      details: { check: checkInput.what, link: checkInput.link },
      evidence: { kind: 'manual_check', by: 'U0LEAD', what: checkInput.what, link: checkInput.link },
    });
    expect([r.closedAt, r.resolution]).toEqual([NOW.toISOString(), 'deployed']);
  } },
  { name: 'a recorded check verifies a scheduled, a failed or a deployed manual remediation too', run: () => recordCheck(manual('failed'), checkInput, ctx(lead())), state: 'verified' },
  { name: 'a recorded check without a link keeps none; what was checked is trimmed', run: () => recordCheck(manual('scheduled'), { what: '  uname -r on every host  ', link: '  ' }, ctx(lead())), state: 'verified', check: (r) => {
    expect(r.verification?.evidence).toEqual({ kind: 'manual_check', by: 'U0LEAD', what: 'uname -r on every host', link: null });
  } },
  { name: 'an engineer may not record a check', run: () => recordCheck(manual('approved'), checkInput, ctx(engineer())), error: { code: 'auth.forbidden', permission: 'record_check', required: ['lead'] } },
  { name: 'a check before approval is refused', run: () => recordCheck(manual('tested'), checkInput, ctx(lead())), error: { code: 'remediation.invalid_state', state: 'tested' } },
  { name: 'a check of a closed remediation is refused', run: () => recordCheck(manual('verified'), checkInput, ctx(lead())), error: { code: 'remediation.invalid_state', state: 'verified' } },
  { name: 'a scanner’s remediation is verified by its source, not by a check', run: () => recordCheck(inState('deployed'), checkInput, ctx(lead())), error: { code: 'verification.not_manual' } },
  { name: 'a check needs what was checked', run: () => recordCheck(manual('approved'), { what: '   ', link: null }, ctx(lead())), error: { code: 'input.required', field: 'what' } },
  { name: 'what was checked is at most 3,000 characters', run: () => recordCheck(manual('approved'), { what: 'x'.repeat(3001), link: null }, ctx(lead())), error: { code: 'input.too_long', field: 'what', max: 3000 } },
  { name: 'the link must be an http(s) link', run: () => recordCheck(manual('approved'), { ...checkInput, link: 'wiki page 9' }, ctx(lead())), error: { code: 'input.not_a_link', field: 'link' } },

  // risk acceptance
  { name: 'a lead accepts the risk until an expiry', run: () => acceptRisk(inState('assessed'), riskInput(30), ctx(lead())), state: 'risk_accepted', check: (r) => {
    expect(r.riskAcceptance).toMatchObject({ by: 'U0LEAD', justification: 'Vendor fix pending', compensatingControl: 'WAF rule 9001' });
    expect(r.resolution).toBe('risk_accepted');
    expect(r.closedAt).toBe(NOW.toISOString());
  } },
  { name: 'an expiry past the policy cap is refused', run: () => acceptRisk(inState('assessed'), riskInput(91), ctx(lead())), error: { code: 'risk.expiry_too_far', maxDays: 90 } },
  { name: 'an expiry in the past is refused', run: () => acceptRisk(inState('assessed'), riskInput(-1), ctx(lead())), error: { code: 'risk.expiry_in_past' } },
  { name: 'risk acceptance needs a justification', run: () => acceptRisk(inState('new'), { ...riskInput(10), justification: '' }, ctx(lead())), error: { code: 'input.required', field: 'justification' } },
  { name: 'risk acceptance needs a compensating control', run: () => acceptRisk(inState('new'), { ...riskInput(10), compensatingControl: '' }, ctx(lead())), error: { code: 'input.required', field: 'compensatingControl' } },
  { name: 'an engineer may not accept risk', run: () => acceptRisk(inState('new'), riskInput(10), ctx(engineer())), error: { code: 'auth.forbidden', permission: 'accept_risk' } },
  { name: 'a verified remediation cannot be risk-accepted', run: () => acceptRisk(inState('verified'), riskInput(10), ctx(lead())), error: { code: 'remediation.invalid_state' } },
  { name: 'an expired acceptance reopens', run: () => expireRiskAcceptance(inState('risk_accepted', { riskAcceptance: { by: 'U0LEAD', at: T0.toISOString(), justification: 'j', compensatingControl: 'c', expiresAt: '2026-11-09T00:00:00.000Z' } }), {}, ctx(SYSTEM)), state: 'reopened' },
  { name: 'an acceptance that has not expired stays', run: () => expireRiskAcceptance(inState('risk_accepted', { riskAcceptance: { by: 'U0LEAD', at: T0.toISOString(), justification: 'j', compensatingControl: 'c', expiresAt: '2026-12-01T00:00:00.000Z' } }), {}, ctx(SYSTEM)), error: { code: 'risk.not_expired' } },
];

describe('remediation transitions', () => {
  itRunsEach(cases, NOW);

  it('never mutates its input', () => {
    const r = Object.freeze(inState('tested', { tests: Object.freeze([aTest()]) as never }));
    const result = approve(r, decisionInput, ctx(lead()));
    expect(result.ok).toBe(true);
    expect(r.state).toBe('tested');
  });

  it('leaves the version to the store', () => {
    const r = inState('new', { version: 7 });
    const result = assess(r, assessInput, ctx(lead()));
    expect(result.ok && result.value.version).toBe(7);
  });

  // Every state is reachable from `new` and every state has a way on (or is closed and may reopen).
  it('every state is covered by a case', () => {
    const covered = new Set(cases.filter((c) => c.state).map((c) => c.state));
    covered.add('new');
    expect(REMEDIATION_STATES.filter((s) => !covered.has(s))).toEqual([]);
  });
});
