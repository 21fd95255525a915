/**
 * Every role against every action, over HTTP on the whole bot, with who may do what written out here (not read
 * from the code under test): the policy as the README states it. For a step behind a modal, both doors are tried:
 * the button (refused: a sentence, no modal) and the submission itself, with a modal a lead opened (refused: the
 * remediation as it was). Allowed, the step is recorded with its event. Every refusal is audited as access.denied.
 * Separation of duties (who uploaded the passing evidence never approves it) and a dismissal at the source (only
 * a lead decides) are rows like any other; so are deploying's (roles-deploy-rows.ts: the bot runs with the SSM and
 * GitHub fakes of test/integration/deploy-support.ts, synced before the cells), where a button that is the step
 * itself (Record CI results) has that one door. Every cell first checks its state's message offers the button.
 * To add an action (the evidence export): one row.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import { DENIAL_TALLIES, type DenialTally } from '../../src/app/workflow/record-denial.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, type Harness } from '../support/bot-harness.js';
import { captureLogs } from '../support/log-capture.js';
import { aTest } from '../support/builders.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { small } from '../support/population/presets.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { auditActions, messageOf, postMessage, settled, toldTo, until } from '../integration/workflow-support.js';
import { DEPLOY_GITHUB_TOKEN, deployHarness, syncNow } from '../integration/deploy-support.js';
import { patch } from '../support/patch-command.js';
import { faultTally } from './support/tally.js';
import { DEPLOY_STEPS, type Role, type StepRow } from './roles-deploy-rows.js';

const ROLES: readonly Role[] = ['lead', 'engineer', 'approver', 'manager', 'auditor', 'none'];
/** The person acting in each role (the lead who opens modals for others is PEOPLE.lead). */
const WHO: Record<Role, string> = { lead: PEOPLE.lead2.id, engineer: PEOPLE.engineer.id, approver: PEOPLE.approver.id, manager: PEOPLE.manager.id, auditor: PEOPLE.auditor.id, none: PEOPLE.stranger.id };

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
  ...DEPLOY_STEPS,
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
  let ssm: FakeSsm;
  let github: FakeGithub;
  const logs = captureLogs();
  beforeAll(async () => {
    ssm = await startFakeSsm(small());
    // The staging instance answers, so a staging run goes through.
    ssm.setPingStatus('i-060bfca79c67fc413', 'Online');
    github = await startFakeGithub(small(), { token: DEPLOY_GITHUB_TOKEN });
    h = await deployHarness({ ssm, github }, { now: new Date('2026-11-02T09:00:00.000Z'), logLevel: 'debug', logs: logs.stream });
    await syncNow(h);
  });
  afterAll(async () => {
    await h.close();
    await ssm.close();
    await github.close();
  });

  const denials = async (subject: string, user: string) => (await h.store.audit.bySubject(subject)).filter((e) => e.action === 'access.denied' && e.actor === user);
  const offered = (r: Remediation, button: string) => JSON.stringify(messageOf(h, r).blocks).includes(`"action_id":"${button}"`);
  const open = async (user: string, r: Remediation, row: StepRow) => {
    const before = h.fake.views({ user, callbackId: row.view }).length;
    await h.driver.blockAction({ user, message: messageOf(h, r), action_id: row.button });
    return { before, user };
  };

  const cells = STEPS.flatMap((row) => ROLES.map((role) => [row.action, role, row.allowed.includes(role) ? 'allowed' : 'refused', row] as const));
  it.each(cells)('%s by %s: %s', async (_a, role, verdict, row) => {
    const user = WHO[role];
    const r = await postMessage(h, await h.seed(await row.seed(h)));
    expect(offered(r, row.button)).toBe(true);
    const told = toldTo(h, user).length;
    tally.injected();
    // The button (for a step with no modal, its only door).
    const { before } = await open(user, r, row);
    const view = row.view;
    let doors = 1;
    if (view) {
      let modal;
      if (verdict === 'allowed') {
        modal = await until(() => h.fake.views({ user, callbackId: view })[before], `${view} for ${role}`);
      } else {
        await until(() => toldTo(h, user).length > told, `the refusal of the button for ${role}`);
        expect(h.fake.views({ user, callbackId: view })).toHaveLength(before);
        // The submission, with a modal a lead opened: refused again, nothing recorded.
        const opener = row.opener ?? PEOPLE.lead.id;
        const leads = await open(opener, r, row);
        modal = await until(() => h.fake.views({ user: opener, callbackId: view })[leads.before], `a lead's ${view}`);
      }
      const res = await h.driver.viewSubmission({ user, view: modal, inputs: row.inputs(h, modal) as never });
      expect(res.status).toBe(200);
      doors = 2;
    }
    if (verdict === 'allowed') {
      await until(async () => (await auditActions(h, r.id)).includes(row.event), `${row.action} recorded`);
      expect((await auditActions(h, r.id)).filter((a) => a === row.event)).toHaveLength(1);
      expect(([] as string[]).concat(row.after)).toContain((await h.store.remediations.get(r.id))!.state);
    } else {
      await until(() => toldTo(h, user).length >= told + doors, `the refusal of the submission for ${role}`);
      await settled(h);
      const after = (await h.store.remediations.get(r.id))!;
      expect({ ...after, message: null }).toEqual({ ...r, message: null });
      expect(await auditActions(h, r.id)).toEqual(['remediation.created', 'access.denied']);
      expect(await denials(r.id, user)).toHaveLength(1);
      // Each door's refusal counted in the hour's tally the one event stands for.
      expect((await h.store.kv.get<DenialTally>(DENIAL_TALLIES, `${user}|${r.id}`))?.count).toBe(doors);
    }
    tally.survived();
  });

  it('deploy now without a reason, by a lead: asked for it in the modal, nothing recorded or sent', async () => {
    const row = DEPLOY_STEPS.find((s) => s.button === ACTION.deployNow)!;
    const r = await postMessage(h, await h.seed(await row.seed(h)));
    tally.injected();
    const { before } = await open(WHO.lead, r, row);
    const modal = await until(() => h.fake.views({ user: WHO.lead, callbackId: VIEW.deployNow })[before], 'the Deploy now modal');
    const res = await h.driver.viewSubmission({ user: WHO.lead, view: modal, inputs: { reason: '  ' } });
    expect(res.body).toEqual({ response_action: 'errors', errors: { reason: 'Give the reason: it is recorded with the emergency change.' } });
    await settled(h);
    expect({ ...(await h.store.remediations.get(r.id))!, message: null }).toEqual({ ...r, message: null });
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);
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
    tally.logsChecked(logs.lines(), [h.fake.botToken, DEPLOY_GITHUB_TOKEN, ...h.fake.responses().map((r) => r.url)]);
  });
});
