/**
 * Every role against every action, over HTTP on the whole bot, with who may do what written out here (not read
 * from the code under test): the policy as the README states it. For a step behind a modal, both doors are tried:
 * the button (refused: a sentence, no modal) and the submission itself, with a modal a lead opened (refused: the
 * remediation as it was). Allowed, the step is recorded with its event. Every refusal is audited as access.denied.
 * Separation of duties (who uploaded the passing evidence never approves it) and a dismissal at the source (only
 * a lead decides) are rows like any other. To add an action (Deploy now, the evidence export): one row below.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import type { RemediationState } from '../../src/domain/remediation-state.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { captureLogs } from '../support/log-capture.js';
import { aTest } from '../support/builders.js';
import type { InputValue } from '../support/slack/state-values.js';
import { auditActions, messageOf, postMessage, settled, toldTo, until } from '../integration/workflow-support.js';
import { patch } from '../support/patch-command.js';
import { faultTally } from './support/tally.js';

type Role = 'lead' | 'engineer' | 'approver' | 'manager' | 'auditor' | 'none';
const ROLES: readonly Role[] = ['lead', 'engineer', 'approver', 'manager', 'auditor', 'none'];
/** The person acting in each role (the lead who opens modals for others is PEOPLE.lead). */
const WHO: Record<Role, string> = { lead: PEOPLE.lead2.id, engineer: PEOPLE.engineer.id, approver: PEOPLE.approver.id, manager: PEOPLE.manager.id, auditor: PEOPLE.auditor.id, none: PEOPLE.stranger.id };

interface StepRow {
  readonly action: string;
  readonly allowed: readonly Role[];
  readonly seed: (h: Harness) => Partial<Remediation>;
  readonly button: string;
  readonly view: string;
  readonly inputs: (h: Harness, modal: { view: Record<string, unknown> }) => Record<string, InputValue>;
  /** The state it is in when the step was recorded. */
  readonly after: RemediationState;
  /** The step's audit action. */
  readonly event: string;
}

const review = (h: Harness): Partial<Remediation> => ({
  state: 'dismissal_review',
  upstreamDismissal: { at: h.now().toISOString(), stateBefore: 'new', decision: null, findings: [{ findingId: 'github:acme/api:alert:3', source: 'github', dismissedAt: h.now().toISOString(), by: 'octocat', reason: 'tolerable_risk', comment: null }] },
});
const firstSlot = (modal: { view: Record<string, unknown> }): string => {
  const block = (modal.view.blocks as { block_id: string; element?: { option_groups?: { options: { value: string }[] }[] } }[]).find((b) => b.block_id === 'window');
  return block!.element!.option_groups![0]!.options[0]!.value;
};
const risk = { justification: 'Vendor fix pending.', compensating_control: 'WAF rule.', expiry: '2026-11-20' };

const STEPS: StepRow[] = [
  { action: 'assess', allowed: ['lead'], seed: () => ({ state: 'new' }), button: ACTION.assess, view: VIEW.assess, inputs: () => ({ severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' }), after: 'assessed', event: 'remediation.assessed' },
  { action: 'record a test', allowed: ['lead', 'engineer'], seed: () => ({ state: 'assessed' }), button: ACTION.uploadEvidence, view: VIEW.testEvidence, inputs: () => ({ environment: 'staging', result: 'fail', notes: 'Login page 500s.' }), after: 'testing', event: 'remediation.test_recorded' },
  { action: 'approve', allowed: ['lead', 'approver'], seed: () => ({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer2.id })] }), button: ACTION.approve, view: VIEW.approval, inputs: () => ({ decision: 'approve', reason: 'Convincing.' }), after: 'approved', event: 'remediation.approved' },
  { action: 'reject at approval', allowed: ['lead', 'approver'], seed: () => ({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer2.id })] }), button: ACTION.approve, view: VIEW.approval, inputs: () => ({ decision: 'reject', reason: 'No screenshot.' }), after: 'testing', event: 'remediation.rejected' },
  // Separation of duties: the lead who uploaded the passing evidence, as every role would.
  { action: 'approve what you tested yourself', allowed: [], seed: () => ({ state: 'tested', tests: [aTest({ by: PEOPLE.lead2.id }), aTest({ by: PEOPLE.engineer.id }), aTest({ by: PEOPLE.approver.id })] }), button: ACTION.approve, view: VIEW.approval, inputs: () => ({ decision: 'approve', reason: 'Mine.' }), after: 'approved', event: 'remediation.approved' },
  { action: 'schedule', allowed: ['lead'], seed: () => ({ state: 'approved' }), button: ACTION.approve, view: VIEW.approval, inputs: (_h, m) => ({ window: firstSlot(m) }), after: 'scheduled', event: 'remediation.scheduled' },
  { action: 'accept the risk', allowed: ['lead'], seed: () => ({ state: 'new' }), button: ACTION.acceptRisk, view: VIEW.riskAcceptance, inputs: () => risk, after: 'risk_accepted', event: 'remediation.risk_accepted' },
  { action: 'confirm a dismissal at the source', allowed: ['lead'], seed: review, button: ACTION.confirmDismissal, view: VIEW.confirmDismissal, inputs: () => risk, after: 'risk_accepted', event: 'remediation.dismissal_confirmed' },
  { action: 'reject a dismissal at the source', allowed: ['lead'], seed: review, button: ACTION.rejectDismissal, view: VIEW.rejectDismissal, inputs: () => ({ reason: 'Still exposed.' }), after: 'new', event: 'remediation.dismissal_rejected' },
  { action: 'record the check of a manual remediation', allowed: ['lead'], seed: () => ({ state: 'approved', remedy: { kind: 'manual', description: 'Rotate the certificates' } }), button: ACTION.recordCheck, view: VIEW.recordCheck, inputs: () => ({ what: 'Checked the certificate dates.' }), after: 'verified', event: 'remediation.verified' },
];

interface CommandRow {
  readonly command: string;
  readonly allowed: readonly Role[];
  /** How an allowed run shows (the first answer at the response_url, or the modal it opens). */
  readonly answered: (h: Harness, user: string, responses: { text?: string; response_type?: string }[]) => boolean;
}

const COMMANDS: CommandRow[] = [
  { command: 'status', allowed: ['lead', 'engineer', 'approver', 'manager', 'auditor'], answered: (_h, _u, r) => r[0]?.response_type === 'ephemeral' },
  { command: 'status public', allowed: ['lead', 'manager'], answered: (_h, _u, r) => r[0]?.response_type === 'in_channel' },
  { command: 'list', allowed: ['lead', 'engineer', 'approver', 'manager', 'auditor'], answered: (_h, _u, r) => r.length > 0 },
  { command: 'inventory', allowed: ['lead', 'engineer', 'approver', 'manager', 'auditor'], answered: (_h, _u, r) => r.length > 0 },
  { command: 'sync', allowed: ['lead'], answered: (_h, _u, r) => (r[0]?.text ?? '').startsWith('Sync started') },
  { command: 'digest', allowed: ['lead'], answered: (_h, _u, r) => (r[0]?.text ?? '').startsWith('Posting the digest') },
  { command: 'new', allowed: ['lead'], answered: (h, u) => h.fake.views({ user: u, callbackId: VIEW.newRemediation }).length > 0 },
];

describe('roles × actions', () => {
  const tally = faultTally('roles x actions');
  let h: Harness;
  const logs = captureLogs();
  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-11-02T09:00:00.000Z'), logLevel: 'debug', logs: logs.stream });
  });
  afterAll(() => h.close());

  const denials = async (subject: string, user: string) => (await h.store.audit.bySubject(subject)).filter((e) => e.action === 'access.denied' && e.actor === user);
  const open = async (user: string, r: Remediation, row: StepRow) => {
    const before = h.fake.views({ user, callbackId: row.view }).length;
    await h.driver.blockAction({ user, message: messageOf(h, r), action_id: row.button });
    return { before, user };
  };

  const cells = STEPS.flatMap((row) => ROLES.map((role) => [row.action, role, row.allowed.includes(role) ? 'allowed' : 'refused', row] as const));
  it.each(cells)('%s by %s: %s', async (_a, role, verdict, row) => {
    const user = WHO[role];
    const r = await postMessage(h, await h.seed(row.seed(h)));
    const told = toldTo(h, user).length;
    tally.injected();
    // The button.
    const { before } = await open(user, r, row);
    let modal;
    if (verdict === 'allowed') {
      modal = await until(() => h.fake.views({ user, callbackId: row.view })[before], `${row.view} for ${role}`);
    } else {
      await until(() => toldTo(h, user).length > told, `the refusal of the button for ${role}`);
      expect(h.fake.views({ user, callbackId: row.view })).toHaveLength(before);
      // The submission, with a modal a lead opened: refused again, nothing recorded.
      const leads = await open(PEOPLE.lead.id, r, row);
      modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: row.view })[leads.before], `a lead's ${row.view}`);
    }
    const res = await h.driver.viewSubmission({ user, view: modal, inputs: row.inputs(h, modal) as never });
    expect(res.status).toBe(200);
    if (verdict === 'allowed') {
      await until(async () => (await h.store.remediations.get(r.id))!.state === row.after, `${row.action} recorded`);
      expect((await auditActions(h, r.id)).filter((a) => a === row.event)).toHaveLength(1);
    } else {
      await until(() => toldTo(h, user).length > told + 1, `the refusal of the submission for ${role}`);
      await settled(h);
      const after = (await h.store.remediations.get(r.id))!;
      expect({ ...after, message: null }).toEqual({ ...r, message: null });
      expect(await auditActions(h, r.id)).toEqual(['remediation.created', 'access.denied']);
      expect(await denials(r.id, user)).toHaveLength(1);
    }
    tally.survived();
  });

  const commandCells = COMMANDS.flatMap((row) => ROLES.map((role) => [row.command, role, row.allowed.includes(role) ? 'allowed' : 'refused', row] as const));
  it.each(commandCells)('/patch %s by %s: %s', async (_c, role, verdict, row) => {
    const user = WHO[role];
    tally.injected();
    if (verdict === 'allowed') {
      const answer = await patch(h, user, row.command, { responses: row.command === 'new' ? 0 : 1 });
      if (row.command === 'new') await until(() => row.answered(h, user, []), `the new remediation modal for ${role}`);
      else expect(row.answered(h, user, answer.responses)).toBe(true);
      await settled(h);
    } else {
      const answer = await patch(h, user, row.command, { responses: 0, ephemerals: 1 });
      expect(h.fake.ephemerals({ user }).at(-1)?.text).toMatch(/^Only .+ can do that\. Roles are set in the patchwarden policy file; ask your engineering lead\.$/);
      expect(h.fake.responses(answer.responseUrl)).toEqual([]);
      // Someone with no role is refused at the command itself (`read`), before `public` is looked at.
      const subject = row.command === 'status public' && role !== 'none' ? '/patch status public' : `/patch ${row.command.split(' ')[0]}`;
      expect((await denials(subject, user)).length).toBeGreaterThanOrEqual(1);
    }
    tally.survived();
  });

  it('nothing a refused person did reached the channel', () => {
    const refusedPeople = new Set(ROLES.filter((r) => r !== 'lead').map((r) => WHO[r]));
    const posted = h.fake.messages(CHANNEL).filter((m) => (m.text ?? '').includes('Sync') || (m.text ?? '').startsWith('Patch digest'));
    expect(posted.every((m) => !refusedPeople.has(String(m.user)))).toBe(true);
  });

  it('no secret in any debug log line', () => {
    tally.logsChecked(logs.lines(), [h.fake.botToken, ...h.fake.responses().map((r) => r.url)]);
  });
});
