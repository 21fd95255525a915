/**
 * Deploy now, the emergency path, over real HTTP: leads only, a reason required, recorded as an emergency change
 * that another lead must approve within the policy's days (reminded; counted in `/patch status` until approved).
 */
import type { SsmRun } from '../../src/domain/run-records.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE } from '../support/bot-harness.js';
import { blockText, patch } from '../support/patch-command.js';
import { validateView } from '../support/slack/block-kit-limits.js';
import { actionsOf, osPatches, putInState, stateOf, useSsmBot, threadOf } from './deploy-support.js';
import { messageOf, postMessage, refusedCalls, settled, toldTo, until } from './workflow-support.js';

describe('Deploy now (an emergency change)', () => {
  const world = useSsmBot();

  it('refuses an engineer with a sentence, needs a lead’s reason, deploys, and waits for another lead’s approval', async () => {
    const { h, ssm } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    const message = () => messageOf(h, posted);
    const thread = () => threadOf(h, posted.message!.ts);

    // An engineer is refused, said only to them, audited; nothing opens, nothing is sent.
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: message(), action_id: ACTION.deployNow });
    await until(() => toldTo(h, PEOPLE.engineer.id).length > 0, 'the refusal');
    expect(toldTo(h, PEOPLE.engineer.id)).toEqual(['Only a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.']);
    expect(h.fake.views({ callbackId: VIEW.deployNow })).toEqual([]);
    expect((await actionsOf(h, r.id)).at(-1)).toBe('access.denied');

    // A lead sees the blast radius and must give a reason.
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: message(), action_id: ACTION.deployNow });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.deployNow, user: PEOPLE.lead.id })[0], 'the Deploy now modal');
    expect(validateView(modal.view)).toEqual([]);
    const shown = blockText(modal.view.blocks);
    expect(shown).toContain('*Blast radius:* 2 instances in *production*');
    expect(shown).toContain('another lead must approve it within 3 days');
    const empty = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: '  ' } });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { reason: 'Give the reason: it is recorded with the emergency change.' } });
    expect(ssm.commands).toHaveLength(0);
    expect((await h.store.remediations.get(r.id))!.state).toBe('approved');

    const submitted = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'CVE is exploited in the wild; cannot wait for Sunday.' } });
    expect([submitted.status, submitted.body]).toEqual([200, '']);
    const verified = await stateOf(h, r.id, 'verified');
    const d = verified.deployments[0]!;
    expect(d).toMatchObject({ by: PEOPLE.lead.id, status: 'succeeded', reason: 'CVE is exploited in the wild; cannot wait for Sunday.' });
    expect(d.emergency).toEqual({
      kind: 'emergency_change',
      by: PEOPLE.lead.id,
      reason: 'CVE is exploited in the wild; cannot wait for Sunday.',
      at: h.now().toISOString(),
      approvalDueAt: '2026-11-05T09:00:00.000Z',
      approval: null,
    });
    expect((d.record as SsmRun).instances.every((i) => i.status === 'Success')).toBe(true);
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    await settled(h);
    const started = thread().find((t) => t.startsWith('<@U0LEAD> started the deployment.'))!;
    expect(started).toContain(':rotating_light: *Emergency change*: _CVE is exploited in the wild; cannot wait for Sunday._ <@U0LEAD2>: please approve it by Thu 5 Nov 10:00');
    expect(blockText(message().blocks)).toContain(':warning: another lead must approve it by Thu 5 Nov 10:00');

    // Unapproved, it shows in /patch status.
    const status = blockText((await patch(h, PEOPLE.manager.id, 'status')).responses[0]!.blocks);
    expect(status).toContain(':rotating_light: *Emergency changes awaiting another lead’s approval: 1*');
    expect(status).toContain(`*${r.id}* by <@U0LEAD>`);

    // A day before it is due, and once overdue, the other leads are reminded in the thread (once each).
    h.setNow(new Date('2026-11-04T10:00:00.000Z'));
    await h.running.jobs.runNow('emergency-approvals');
    await h.running.jobs.runNow('emergency-approvals');
    h.setNow(new Date('2026-11-05T10:00:00.000Z'));
    await h.running.jobs.runNow('emergency-approvals');
    await settled(h);
    const reminders = thread().filter((t) => t.includes('still needs another lead’s approval'));
    expect(reminders).toHaveLength(2);
    expect(reminders[0]).toMatch(/^:rotating_light: <@U0LEAD2>: the emergency change <@U0LEAD> made on Mon 2 Nov 10:00 .* which is due Thu 5 Nov 10:00\./);
    expect(reminders[1]).toContain('was due Thu 5 Nov 10:00 and is *overdue*');
    expect(blockText((await patch(h, PEOPLE.manager.id, 'status')).responses[0]!.blocks)).toContain('(1 overdue)');

    // Not by the lead who made it; another lead approves it.
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: message(), action_id: ACTION.approveEmergency });
    await until(() => toldTo(h, PEOPLE.lead.id).length > 0, 'the refusal');
    expect(toldTo(h, PEOPLE.lead.id).at(-1)).toBe('You made this emergency change, so another lead has to approve it.');
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: message(), action_id: ACTION.approveEmergency });
    const approval = await until(() => h.fake.views({ callbackId: VIEW.emergencyApproval, user: PEOPLE.lead2.id })[0], 'the approval modal');
    expect(validateView(approval.view)).toEqual([]);
    await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: approval, inputs: { note: 'Agreed: actively exploited.' } });
    const approved = await until(async () => {
      const x = await h.store.remediations.get(r.id);
      return x?.deployments[0]?.emergency?.approval ? x : null;
    }, 'the approval');
    expect(approved.deployments[0]!.emergency!.approval).toEqual({ by: PEOPLE.lead2.id, at: h.now().toISOString(), note: 'Agreed: actively exploited.' });
    expect(blockText((await patch(h, PEOPLE.manager.id, 'status')).responses[0]!.blocks)).not.toContain('Emergency changes awaiting');
    await settled(h);
    expect(thread().at(-1)).toBe('<@U0LEAD2> approved the emergency change made by <@U0LEAD> afterwards. “Agreed: actively exploited.”');
    expect(await actionsOf(h, r.id)).toEqual(expect.arrayContaining(['remediation.deployment_started', 'remediation.emergency_approved']));
    const denied = (await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'access.denied').map((e) => [e.actor, e.data.code]);
    expect(denied).toEqual([[PEOPLE.engineer.id, 'auth.forbidden'], [PEOPLE.lead.id, 'emergency.self_approval']]);
    expect(refusedCalls(h)).toEqual([]);
  });
});
