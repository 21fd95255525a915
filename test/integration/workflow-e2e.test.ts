/**
 * The acceptance path over real HTTP: a remediation's message -> Assess (lead) -> test evidence with two files
 * (engineer) -> approval into a maintenance window by a different lead -> scheduled. One message, updated in
 * place at every step; the thread tells the story; the record, the evidence bytes and the audit chain hold.
 */
import { createHash } from 'node:crypto';
import { verifyChain } from '../../src/app/audit.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { anAsset } from '../support/builders.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { validateView } from '../support/slack/block-kit-limits.js';
import { auditActions, messageOf, postMessage, refusedCalls, settled, until } from './workflow-support.js';
import { stepNotes } from '../support/thread-notes.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('a remediation from its message to a maintenance window', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('assess -> test evidence with two files -> approved by another lead into a window -> scheduled', async () => {
    await h.store.commit({ assets: [anAsset({ id: 'github:acme/api', name: 'acme/api', environment: 'production' })], events: [] });
    const seeded = await h.seed({ title: 'Upgrade lodash to 4.17.21 in acme/api', assetIds: ['github:acme/api'] });
    const id = seeded.id;
    const posted = await postMessage(h, seeded);
    const message = () => messageOf(h, posted);
    // The thread opens with what is behind it; the steps follow.
    const thread = () => stepNotes(h.fake.replies(CHANNEL, posted.message!.ts)).map((m) => m.text);
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    expect(h.fake.replies(CHANNEL, posted.message!.ts)[0]?.text).toMatch(/^What is behind PW-\d+: /);

    // 3. Assess (lead)
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: message(), action_id: ACTION.assess });
    const assess = await until(() => h.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id })[0], 'the assess modal');
    expect(JSON.stringify(assess.view.blocks)).toContain('Tue 1 Dec 2026'); // high: 30 days from detection
    const assessed = await h.driver.viewSubmission({
      user: PEOPLE.lead.id,
      view: assess,
      inputs: { severity: 'critical', business_impact: 'high', rationale: 'Reachable from the public API; prototype pollution is exploitable.' },
    });
    expect([assessed.status, assessed.body, assessed.viewResponseProblems]).toEqual([200, '', []]);
    await until(() => thread().length === 1, 'the assessment note');
    expect(message().versions).toHaveLength(2);

    // 4. Test evidence with two files (engineer)
    const png = Buffer.from('\x89PNG\r\n\x1a\n fake screenshot bytes', 'binary');
    const log = Buffer.from('2026-11-02T10:00:00Z upgraded lodash; 412 tests passed\n');
    const files = [h.fake.addFile({ name: 'screenshot.png', bytes: png, user: PEOPLE.engineer.id }), h.fake.addFile({ name: 'app.log', bytes: log, user: PEOPLE.engineer.id })];
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: message(), action_id: ACTION.uploadEvidence });
    const evidence = await until(() => h.fake.views({ callbackId: VIEW.testEvidence, user: PEOPLE.engineer.id })[0], 'the evidence modal');
    const tested = await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: evidence, inputs: { result: 'pass', notes: 'Smoke tests green in staging.', files } });
    expect([tested.status, tested.body, tested.viewResponseProblems]).toEqual([200, '', []]);
    await until(() => thread().length === 2, 'the evidence note');
    expect(thread()[1]).toBe(
      `<@${PEOPLE.engineer.id}> uploaded 2 files (pass, staging): screenshot.png (sha256 ${sha256(png).slice(0, 12)}…), app.log (sha256 ${sha256(log).slice(0, 12)}…). “Smoke tests green in staging.”`,
    );
    expect(message().versions).toHaveLength(3);

    // 5. Approval into a window, by a different lead
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: message(), action_id: ACTION.approve });
    const approval = await until(() => h.fake.views({ callbackId: VIEW.approval, user: PEOPLE.lead2.id })[0], 'the approval modal');
    const shown = JSON.stringify(approval.view.blocks);
    expect(shown).toContain(`sha256 \`${sha256(png).slice(0, 12)}…\``);
    expect(shown).toContain('acme/api (repository, production)');
    const windowBlock = (approval.view.blocks as { block_id: string; element?: { option_groups?: { options: { value: string; text: { text: string } }[] }[] } }[]).find((b) => b.block_id === 'window');
    const firstSlot = windowBlock!.element!.option_groups![0]!.options[0]!;
    expect(firstSlot.text.text).toBe('Sat 7 Nov 22:00 · Production, Saturday 22:00 · on time');
    const approved = await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: approval, inputs: { decision: 'approve', window: firstSlot.value, change_ticket: 'CHG-42' } });
    expect([approved.status, approved.body, approved.viewResponseProblems]).toEqual([200, '', []]);
    await until(() => thread().length === 3, 'the approval note');
    await settled(h);

    // One message, updated in place at each step, now showing Scheduled.
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    expect(message().versions).toHaveLength(4);
    expect(JSON.stringify(message().blocks)).toContain('*State*\\nScheduled');
    expect(JSON.stringify(message().blocks)).toContain('Window: Production, Saturday 22:00, Sat 7 Nov 22:00');
    expect(thread()[0]).toMatch(/^<@U0LEAD> assessed PW-\d+: \*critical\* severity, business impact high, known exploit no\. Due Sun 8 Nov 2026/);
    expect(thread()[2]).toBe(`<@${PEOPLE.lead2.id}> approved it (CHG-42).\nScheduled into *Production, Saturday 22:00*: Sat 7 Nov 22:00 to Sun 8 Nov 02:00.`);

    // The record.
    const r = (await h.store.remediations.get(id))!;
    expect(r.state).toBe('scheduled');
    expect(r.assessment).toMatchObject({ by: PEOPLE.lead.id, severity: 'critical', businessImpact: 'high', knownExploit: false, dueAt: '2026-11-08T09:00:00.000Z' });
    expect(r.tests).toHaveLength(1);
    expect(r.tests[0]).toMatchObject({ by: PEOPLE.engineer.id, environment: 'staging', result: 'pass' });
    expect(r.tests[0]!.files).toEqual([
      { sha256: sha256(png), size: png.length, name: 'screenshot.png', mimeType: 'image/png', slackFileId: files[0]!.id },
      { sha256: sha256(log), size: log.length, name: 'app.log', mimeType: expect.stringMatching(/^text\//), slackFileId: files[1]!.id },
    ]);
    expect(r.decisions).toEqual([{ decision: 'approved', by: PEOPLE.lead2.id, at: h.now().toISOString(), reason: '', changeTicket: 'CHG-42' }]);
    expect(r.schedule).toMatchObject({ windowId: 'prod-saturday', startsAt: '2026-11-07T21:00:00.000Z', endsAt: '2026-11-08T01:00:00.000Z', by: PEOPLE.lead2.id });

    // The evidence store keeps the exact bytes.
    expect((await h.store.evidence.get(sha256(png)))?.bytes.equals(png)).toBe(true);
    expect((await h.store.evidence.get(sha256(log)))?.bytes.equals(log)).toBe(true);

    // Every step in the audit chain, in order, and the chain verifies.
    expect(await auditActions(h, id)).toEqual([
      'remediation.created',
      'remediation.assessed',
      'remediation.test_recorded',
      'evidence.uploaded',
      'evidence.uploaded',
      'remediation.approved',
      'remediation.scheduled',
    ]);
    const uploads = (await h.store.audit.bySubject(id)).filter((e) => e.action === 'evidence.uploaded').map((e) => e.data);
    expect(uploads).toEqual([
      expect.objectContaining({ name: 'screenshot.png', size: png.length, sha256: sha256(png), uploader: PEOPLE.engineer.id, slackFileId: files[0]!.id }),
      expect.objectContaining({ name: 'app.log', size: log.length, sha256: sha256(log), uploader: PEOPLE.engineer.id, slackFileId: files[1]!.id }),
    ]);
    const chain = await verifyChain(h.store.audit.stream());
    expect(chain).toMatchObject({ ok: true });

    // Everything the bot sent passed Slack's limits, and the homes it refreshed are valid.
    expect(refusedCalls(h)).toEqual([]);
    expect(h.fake.warnings()).toEqual([]);
    const leadHome = h.fake.homeView(PEOPLE.lead2.id);
    expect(leadHome).toBeDefined();
    expect(validateView(leadHome!.view)).toEqual([]);
  });
});
