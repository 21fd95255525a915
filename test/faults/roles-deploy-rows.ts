/**
 * The roles matrix's rows for deploying (steps 6 and 7), and the row shape they share with the rest of the matrix
 * (roles-matrix.faults.ts). Each is seeded in a state whose message offers its button, on what it deploys: OS patches
 * of the synced production environment (SSM), the synced Dependabot alert 1 of acme/api, or a finding only Snyk
 * reported. Who may do what is written out here, as the README states it, not read from the code under test.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import type { RemediationState } from '../../src/domain/remediation-state.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE, type Harness } from '../support/bot-harness.js';
import type { InputValue } from '../support/slack/state-values.js';
import { aDeployment, anEmergency } from '../support/run-record-builders.js';
import { ofAlert, osPatches } from '../integration/deploy-support.js';

export type Role = 'lead' | 'engineer' | 'approver' | 'manager' | 'auditor' | 'none';

export interface StepRow {
  readonly action: string;
  readonly allowed: readonly Role[];
  readonly seed: (h: Harness) => Partial<Remediation> | Promise<Partial<Remediation>>;
  readonly button: string;
  /** The modal the button opens; none: the button is the step (its only door). */
  readonly view?: string;
  readonly inputs: (h: Harness, modal: { view: Record<string, unknown> }) => Record<string, InputValue>;
  /** The state it is in when the step was recorded (or, for work the runner goes on with, any it may be in by then). */
  readonly after: RemediationState | readonly RemediationState[];
  /** The step's audit action. */
  readonly event: string;
  /** The lead who opens the modal a refused person submits (default PEOPLE.lead). */
  readonly opener?: string;
}

/** What a synced remediation deploys, for a fresh remediation of the same kind (its own id and key). */
const like = (r: Remediation): Partial<Remediation> => ({ remedy: r.remedy, assetIds: r.assetIds, findingIds: r.findingIds, title: r.title });
const approvedBy = (h: Harness): Partial<Remediation> => ({ decisions: [{ decision: 'approved', by: PEOPLE.approver.id, at: h.now().toISOString(), reason: 'Tested in staging.', changeTicket: 'CHG-7' }] });
const emergencyBy = (h: Harness, by: string, state: RemediationState): Partial<Remediation> => {
  const at = h.now().toISOString();
  return { state, deployments: [aDeployment({ by, startedAt: at, finishedAt: at, emergency: anEmergency({ by, at, approvalDueAt: '2026-11-05T09:00:00.000Z' }) })] };
};
const snykOnly = (h: Harness, state: RemediationState): Partial<Remediation> => ({ state, ...approvedBy(h), findingIds: ['snyk:acme/api:SNYK-JS-LODASH-1018905'], assetIds: ['snyk:acme/api'] });
/** One row per state the message offers the button in, named with it. */
const offeredIn = (states: readonly RemediationState[], row: (state: RemediationState) => StepRow): StepRow[] =>
  states.map((state) => ({ ...row(state), action: `${row(state).action} (${state})` }));
const EMERGENCY_OFFERED: readonly RemediationState[] = ['new', 'reopened', 'approved', 'scheduled', 'failed', 'deploying', 'deployed', 'verified', 'risk_accepted'];
const TESTABLE: readonly RemediationState[] = ['assessed', 'testing'];
const SHIPPABLE: readonly RemediationState[] = ['approved', 'scheduled', 'failed'];

export const DEPLOY_STEPS: StepRow[] = [
  ...offeredIn(TESTABLE, (state) => ({ action: 'run in staging', allowed: ['lead', 'engineer'], seed: async (h) => ({ ...like(await osPatches(h, 'production')), state }), button: ACTION.runStaging, view: VIEW.stagingRun, inputs: () => ({}), after: ['testing', 'tested'], event: 'remediation.staging_run_started' })),
  ...offeredIn([...TESTABLE, 'tested'], (state) => ({ action: 'record CI results', allowed: ['lead', 'engineer'], seed: async (h) => ({ ...like(await ofAlert(h, 'acme/api', 1)), state }), button: ACTION.recordChecks, inputs: () => ({}), after: 'tested', event: 'remediation.test_recorded' })),
  ...offeredIn(SHIPPABLE, (state) => ({ action: 'deploy now', allowed: ['lead'], seed: async (h) => ({ ...like(await osPatches(h, 'production')), state, ...approvedBy(h) }), button: ACTION.deployNow, view: VIEW.deployNow, inputs: () => ({ reason: 'Exploited in the wild; cannot wait for Sunday.' }), after: ['deploying', 'deployed', 'verified'], event: 'remediation.deployment_started' })),
  ...offeredIn(SHIPPABLE, (state) => ({ action: 'mark deployed', allowed: ['lead'], seed: (h) => snykOnly(h, state), button: ACTION.markDeployed, view: VIEW.markDeployed, inputs: () => ({ change_url: 'https://github.com/acme/api/pull/9', note: 'Upgraded by hand.' }), after: ['deployed', 'verified'], event: 'remediation.marked_deployed' })),
  // Made by PEOPLE.lead, so the modal a refused person submits is opened by the matrix's other lead.
  ...offeredIn(EMERGENCY_OFFERED, (state) => ({ action: 'approve an emergency change', allowed: ['lead'], seed: (h) => emergencyBy(h, PEOPLE.lead.id, state), button: ACTION.approveEmergency, view: VIEW.emergencyApproval, inputs: () => ({ note: 'Agreed: actively exploited.' }), after: state, event: 'remediation.emergency_approved', opener: PEOPLE.lead2.id })),
  // Like separation of duties: the lead who deployed it, as every role would.
  ...offeredIn(['deployed', 'verified'], (state) => ({ action: 'approve an emergency change you made', allowed: [], seed: (h) => emergencyBy(h, PEOPLE.lead2.id, state), button: ACTION.approveEmergency, view: VIEW.emergencyApproval, inputs: () => ({ note: 'Mine.' }), after: state, event: 'remediation.emergency_approved' })),
];
