/**
 * What the workflow refuses, end to end over HTTP: each refusal is one sentence to the person only, leaves the
 * remediation as it was, and (for authority) an `access.denied` audit event.
 */
import { createHash } from 'node:crypto';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, encodeButtonValue, VIEW } from '../../src/slack/ids.js';
import { aTest } from '../support/builders.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { auditActions, messageOf, postMessage, settled, toldTo, until, useHarness } from './workflow-support.js';
import { stepNotes } from '../support/thread-notes.js';

describe('the workflow refuses with a sentence and records nothing', () => {
  const h = useHarness();

  const seeded = async (overrides: Partial<Remediation> = {}): Promise<Remediation> => postMessage(h, await h.seed(overrides));
  const tested = (by: string) => seeded({ state: 'tested', tests: [aTest({ by, environment: 'staging' })] });
  const denials = async (id: string, actor: string) => (await h.store.audit.bySubject(id)).filter((e) => e.action === 'access.denied' && e.actor === actor);

  it('an engineer pressing Approve: an ephemeral sentence, no modal, an access.denied event', async () => {
    const r = await tested(PEOPLE.engineer2.id);
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: messageOf(h, r), action_id: ACTION.approve });
    await until(() => h.fake.ephemerals({ user: PEOPLE.engineer.id, channel: CHANNEL }).length > 0, 'the refusal');
    expect(h.fake.ephemerals({ user: PEOPLE.engineer.id })[0]!.text).toBe('Only a lead or an approver can do that. Roles are set in the patchwarden policy file; ask your engineering lead.');
    expect(h.fake.views({ user: PEOPLE.engineer.id })).toEqual([]);
    expect((await denials(r.id, PEOPLE.engineer.id)).map((e) => e.data)).toEqual([expect.objectContaining({ attempted: 'approve', code: 'auth.forbidden' })]);
    expect((await h.store.remediations.get(r.id))!.state).toBe('tested');
  });

  it('the tester approving their own evidence: refused up front, and again at submission', async () => {
    const r = await tested(PEOPLE.lead.id);
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.approve });
    const sentence = 'You uploaded the passing test evidence for this remediation, so someone else has to approve it (separation of duties).';
    await until(() => toldTo(h, PEOPLE.lead.id).includes(sentence), 'the up-front refusal');
    expect(h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.approval })).toEqual([]);
    expect(await denials(r.id, PEOPLE.lead.id)).toHaveLength(1);

    // Had they a modal (one opened by another lead), submitting it is refused as well, and audited.
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: messageOf(h, r), action_id: ACTION.approve });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead2.id, callbackId: VIEW.approval }).find((v) => v.view.private_metadata === JSON.stringify({ r: r.id, ch: CHANNEL, ts: r.message!.ts })), 'the other lead’s modal');
    const res = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { decision: 'approve' } });
    expect(res.body).toBe('');
    await until(async () => (await denials(r.id, PEOPLE.lead.id)).length === 2, 'the second denial');
    await until(() => toldTo(h, PEOPLE.lead.id).filter((t) => t === sentence).length === 2, 'the refusal at submission');
    const after = (await h.store.remediations.get(r.id))!;
    expect([after.state, after.decisions]).toEqual(['tested', []]);
    expect((await denials(r.id, PEOPLE.lead.id))[1]!.data).toMatchObject({ attempted: 'remediation.approved', code: 'approval.separation_of_duties' });
  });

  it('an assessment with an empty rationale: an inline error on the rationale, nothing recorded, no audit event', async () => {
    const r = await seeded();
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.assess });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess, open: true }).at(-1), 'the assess modal');
    const res = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { business_impact: 'low', rationale: '   ' } });
    expect(res.body).toEqual({ response_action: 'errors', errors: { rationale: 'Please fill in the rationale.' } });
    expect(res.viewResponseProblems).toEqual([]);
    expect(h.fake.view(modal.id)!.open).toBe(true);
    await settled(h);
    expect(await h.store.remediations.get(r.id)).toEqual(r);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);
    expect(messageOf(h, r).versions).toHaveLength(1);

    // A missing business impact is the form's own check, also inline.
    const again = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { rationale: 'Exposed.' } });
    expect(again.body).toEqual({ response_action: 'errors', errors: { business_impact: 'Pick the business impact.' } });
  });

  it('a download that is Slack’s sign-in page instead of the file: a sentence, nothing recorded, nothing stored', async () => {
    const r = await seeded({ state: 'assessed' });
    const bytes = Buffer.from('real log lines\n');
    const good = h.fake.addFile({ name: 'ok.log', bytes, user: PEOPLE.engineer.id });
    const page = h.fake.addFile({ name: 'screenshot.png', bytes: Buffer.from('png'), user: PEOPLE.engineer.id });
    h.fake.nonFileDownload(String(page.id));
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: messageOf(h, r), action_id: ACTION.uploadEvidence });
    const modal = await until(() => h.fake.views({ user: PEOPLE.engineer.id, callbackId: VIEW.testEvidence, open: true }).at(-1), 'the evidence modal');
    const res = await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: modal, inputs: { result: 'pass', files: [good, page] } });
    expect(res.body).toBe('');
    await until(() => toldTo(h, PEOPLE.engineer.id).some((t) => t.includes('screenshot.png')), 'the sentence');
    // Told in the channel the modal was opened from, only to them.
    expect(h.fake.ephemerals({ user: PEOPLE.engineer.id, channel: CHANNEL }).map((e) => e.text)).toContain(
      'Slack sent a web page instead of the file “screenshot.png”, so nothing was recorded. Check that patchwarden has the files:read scope, then upload again.',
    );
    await settled(h);
    expect(await h.store.remediations.get(r.id)).toEqual(r);
    expect(await h.store.evidence.has(createHash('sha256').update(bytes).digest('hex'))).toBe(false);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);
  });

  it('the same submission delivered three times: one transition, one audit event, one update', async () => {
    const r = await seeded();
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: messageOf(h, r), action_id: ACTION.assess });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead2.id, callbackId: VIEW.assess, open: true }).at(-1), 'the assess modal');
    const first = await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: modal, inputs: { business_impact: 'medium', rationale: 'Internal only.' } });
    const retries = [await h.driver.redeliver(first, { retryNum: 1, retryReason: 'http_timeout' }), await h.driver.redeliver(first, { retryNum: 2, retryReason: 'http_timeout' })];
    expect([first, ...retries].map((x) => x.status)).toEqual([200, 200, 200]);
    await until(() => stepNotes(h.fake.replies(CHANNEL, r.message!.ts)).length > 0, 'the note');
    await settled(h);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created', 'remediation.assessed']);
    expect((await h.store.remediations.get(r.id))!.version).toBe(r.version + 1);
    expect(messageOf(h, r).versions).toHaveLength(2);
    expect(stepNotes(h.fake.replies(CHANNEL, r.message!.ts))).toHaveLength(1);
  });

  it('a double click opens one modal', async () => {
    const r = await seeded();
    const before = h.fake.views({ user: PEOPLE.lead.id }).length;
    const click = await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.acceptRisk });
    await h.driver.redeliver(click);
    await until(() => h.fake.views({ user: PEOPLE.lead.id }).length > before, 'the modal');
    await settled(h);
    expect(h.fake.views({ user: PEOPLE.lead.id })).toHaveLength(before + 1);
    expect(h.fake.calls('views.open').every((c) => (c.response as { ok: boolean }).ok)).toBe(true);
  });

  it('a stale button value or an unknown remediation: a sentence, no modal', async () => {
    const r = await seeded();
    const opened = h.fake.views({ user: PEOPLE.lead.id }).length;
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.assess, value: '{"r":"DROP TABLE"}' });
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.assess, value: encodeButtonValue({ r: 'PW-999999' }) });
    await until(() => toldTo(h, PEOPLE.lead.id).includes('There is no remediation PW-999999.'), 'the unknown id');
    expect(toldTo(h, PEOPLE.lead.id)).toContain('That button or form is out of date, so nothing happened. Use the remediation’s latest message in the patch channel.');
    expect(h.fake.views({ user: PEOPLE.lead.id })).toHaveLength(opened);
  });

  it('a person with no role pressing Assess is refused and audited', async () => {
    const r = await seeded();
    await h.driver.blockAction({ user: PEOPLE.stranger.id, message: messageOf(h, r), action_id: ACTION.assess });
    await until(async () => (await denials(r.id, PEOPLE.stranger.id)).length === 1, 'the denial');
    await until(() => toldTo(h, PEOPLE.stranger.id).length === 1, 'the sentence');
    expect(toldTo(h, PEOPLE.stranger.id)).toEqual(['Only a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.']);
  });
});
