/**
 * The workflow's other paths over HTTP: an approver approves and a lead schedules, reschedules; rejection back to
 * testing; a failing test; risk acceptance within the policy's cap; the severity select updating the due date.
 */
import { ACTION, VIEW } from '../../src/slack/ids.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { aTest } from '../support/builders.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { auditActions, messageOf, postMessage, settled, until, useHarness } from './workflow-support.js';
import { stepNotes } from '../support/thread-notes.js';

type Block = { block_id: string; type: string; element?: { option_groups?: { options: { value: string }[] }[] } };

describe('the workflow’s other paths', () => {
  const h = useHarness({ noWarnings: true });

  const seeded = async (overrides: Partial<Remediation> = {}): Promise<Remediation> => postMessage(h, await h.seed(overrides));
  const open = async (user: string, r: Remediation, action: string, callbackId: string) => {
    const before = h.fake.views({ user, callbackId }).length;
    await h.driver.blockAction({ user, message: messageOf(h, r), action_id: action });
    return until(() => h.fake.views({ user, callbackId })[before], `${callbackId} for ${user}`);
  };
  const stateOf = async (id: string) => (await h.store.remediations.get(id))!;
  const notes = (r: Remediation) => stepNotes(h.fake.replies(CHANNEL, r.message!.ts)).map((m) => m.text);

  it('an approver approves (no window offered), then a lead schedules and reschedules', async () => {
    const r = await seeded({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer.id })] });
    const approval = await open(PEOPLE.approver.id, r, ACTION.approve, VIEW.approval);
    const blocks = approval.view.blocks as Block[];
    expect(blocks.some((b) => b.block_id === 'window')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('A lead schedules it into a maintenance window once it is approved.');
    await h.driver.viewSubmission({ user: PEOPLE.approver.id, view: approval, inputs: { decision: 'approve', reason: 'Evidence is convincing.' } });
    await until(async () => (await stateOf(r.id)).state === 'approved', 'approved');
    await until(() => notes(r).length === 1, 'the approval note');
    expect(notes(r)[0]).toBe(`<@${PEOPLE.approver.id}> approved it. “Evidence is convincing.”`);

    const schedule = await open(PEOPLE.lead.id, r, ACTION.approve, VIEW.approval);
    expect((schedule.view.title as { text: string }).text).toBe(`Schedule ${r.id}`);
    const empty = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: schedule, inputs: {} });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { window: 'Pick a maintenance window.' } });
    const slots = (schedule.view.blocks as Block[]).find((b) => b.block_id === 'window')!.element!.option_groups!.flatMap((g) => g.options);
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: schedule, inputs: { window: slots[0]!.value } });
    await until(async () => (await stateOf(r.id)).state === 'scheduled', 'scheduled');

    const reschedule = await open(PEOPLE.lead.id, r, ACTION.approve, VIEW.approval);
    expect((reschedule.view.title as { text: string }).text).toBe(`Reschedule ${r.id}`);
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: reschedule, inputs: { window: slots[1]!.value } });
    await until(() => notes(r).length === 3, 'the reschedule note');
    expect(notes(r)[2]).toMatch(new RegExp(`^<@${PEOPLE.lead.id}> rescheduled it into \\*`));
    expect((await stateOf(r.id)).schedule?.startsAt).not.toBe(slots[0]!.value.split('|')[0]);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created', 'remediation.approved', 'remediation.scheduled', 'remediation.scheduled']);
  });

  it('an approver may not schedule: the Schedule button is refused and audited', async () => {
    const r = await seeded({ state: 'approved' });
    await h.driver.blockAction({ user: PEOPLE.approver.id, message: messageOf(h, r), action_id: ACTION.approve });
    await until(() => h.fake.ephemerals({ user: PEOPLE.approver.id }).some((e) => e.text === 'Only a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.'), 'the refusal');
    expect((await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'access.denied').map((e) => e.data.attempted)).toEqual(['schedule']);
  });

  it('rejection needs a reason (inline) and sends it back to testing', async () => {
    const r = await seeded({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer.id })] });
    const modal = await open(PEOPLE.lead.id, r, ACTION.approve, VIEW.approval);
    const bare = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { decision: 'reject' } });
    expect(bare.body).toEqual({ response_action: 'errors', errors: { reason: 'Please fill in the reason.' } });
    expect(bare.viewResponseProblems).toEqual([]);
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { decision: 'reject', reason: 'No screenshot of the login page.' } });
    await until(() => notes(r).length === 1, 'the rejection note');
    expect(notes(r)[0]).toBe(`<@${PEOPLE.lead.id}> rejected it; back to testing. “No screenshot of the login page.”`);
    const after = await stateOf(r.id);
    expect([after.state, after.decisions.map((d) => d.decision)]).toEqual(['testing', ['rejected']]);
  });

  it('a test form checks itself inline: notes on fail, evidence on pass, allowed file kinds', async () => {
    const r = await seeded({ state: 'assessed' });
    const modal = await open(PEOPLE.engineer2.id, r, ACTION.uploadEvidence, VIEW.testEvidence);
    const submit = (inputs: Record<string, unknown>) => h.driver.viewSubmission({ user: PEOPLE.engineer2.id, view: modal, inputs: inputs as never });
    expect((await submit({})).body).toEqual({ response_action: 'errors', errors: { result: 'Pick pass or fail.' } });
    expect((await submit({ result: 'fail' })).body).toEqual({ response_action: 'errors', errors: { notes: 'Please fill in the notes.' } });
    expect((await submit({ result: 'pass' })).body).toEqual({ response_action: 'errors', errors: { files: 'A passing test needs evidence: attach at least one screenshot or log.' } });
    const exe = h.fake.addFile({ name: 'patch.exe', bytes: 'MZ', user: PEOPLE.engineer2.id });
    expect((await submit({ result: 'pass', files: [exe] })).body).toEqual({
      response_action: 'errors',
      errors: { files: '“patch.exe” is not a kind of file kept as evidence (png, jpg, jpeg, pdf, txt, log). Nothing was recorded.' },
    });
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);

    expect((await submit({ result: 'fail', notes: 'Login page 500s after the upgrade.' })).body).toBe('');
    await until(() => notes(r).length === 1, 'the failing test note');
    expect(notes(r)[0]).toBe(`<@${PEOPLE.engineer2.id}> recorded a failing test in staging. “Login page 500s after the upgrade.”`);
    expect((await stateOf(r.id)).state).toBe('testing');
  });

  it('risk acceptance: the policy’s cap is said in the hint and enforced inline; then it closes', async () => {
    const r = await seeded({ state: 'assessed' });
    const modal = await open(PEOPLE.lead.id, r, ACTION.acceptRisk, VIEW.riskAcceptance);
    expect(JSON.stringify(modal.view.blocks)).toContain('At most 90 days under the policy: no later than Sun 31 Jan 2027.');
    const base = { justification: 'Service is internal only.', compensating_control: 'Blocked at the WAF.' };
    const far = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { ...base, expiry: '2027-03-01' } });
    expect(far.body).toEqual({ response_action: 'errors', errors: { expiry: 'A risk acceptance can last at most 90 days under the policy. Pick an earlier expiry.' } });
    const past = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { ...base, expiry: '2026-11-01' } });
    expect(past.body).toEqual({ response_action: 'errors', errors: { expiry: 'The expiry date must be in the future.' } });
    const noControl = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { justification: 'x', compensating_control: '', expiry: '2027-01-15' } });
    expect(noControl.body).toEqual({ response_action: 'errors', errors: { compensating_control: 'Please fill in the compensating control.' } });
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { ...base, expiry: '2027-01-31' } });
    await until(() => notes(r).length === 1, 'the note');
    const after = await stateOf(r.id);
    expect(after.state).toBe('risk_accepted');
    expect(after.riskAcceptance?.expiresAt).toBe('2027-01-30T23:00:00.000Z'); // the start of 31 Jan in Berlin
    expect(notes(r)[0]).toBe(`<@${PEOPLE.lead.id}> accepted the risk until Sun 31 Jan 2027. “Service is internal only.”\nCompensating control: “Blocked at the WAF.”`);
    expect(JSON.stringify(messageOf(h, r).blocks)).not.toContain('"type":"actions"');
  });

  it('changing the severity in the Assess modal recomputes the due date shown', async () => {
    const r = await seeded({ kevDueAt: '2026-11-20T00:00:00.000Z' });
    const modal = await open(PEOPLE.lead.id, r, ACTION.assess, VIEW.assess);
    const due = () => JSON.stringify((h.fake.view(modal.id)!.view.blocks as Block[]).find((b) => b.block_id === 'due'));
    expect(due()).toContain('Due *Fri 20 Nov 2026* for high severity (30 days from detection, or CISA’s KEV date if earlier)');
    await h.driver.blockAction({ user: PEOPLE.lead.id, view: h.fake.view(modal.id)!, action_id: 'severity', action: { selected_option: { text: { type: 'plain_text', text: 'Critical' }, value: 'critical' } } });
    await until(() => h.fake.view(modal.id)!.versions.length === 2, 'the update');
    expect(due()).toContain('Due *Sun 8 Nov 2026* for critical severity (7 days from detection');
    await settled(h);
  });
});
