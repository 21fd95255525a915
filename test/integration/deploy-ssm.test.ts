/**
 * OS patches over real HTTP (signed Slack requests, the real AWS SDK against the SSM fake): a lead schedules an
 * approved remediation (the blast radius on the modal), its window opens, exactly one SendCommand goes out with the
 * policy's document and settings, the run is followed per instance, the patch state verifies it; the message, the
 * thread and `/patch show` say each step, and every step is in the audit chain. A failed instance fails it instead;
 * a lead's Reschedule puts it back into a window, where it deploys again.
 */
import { verifyChain } from '../../src/app/audit.js';
import type { SsmRun, ComplianceSnapshot } from '../../src/domain/run-records.js';
import { ACTION } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { blockText, patch } from '../support/patch-command.js';
import { validateView } from '../support/slack/block-kit-limits.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { actionsOf, osPatches, putInState, scheduleIntoFirstWindow, stateOf, sweep, useSsmBot, threadOf, type SsmWorld } from './deploy-support.js';
import { messageOf, postMessage, refusedCalls, settled } from './workflow-support.js';

const POLICY = {
  maintenanceWindows: [{ id: 'prod-sunday', name: 'Production, Sunday 22:00', cron: '0 22 * * 0', durationMinutes: 240, environments: ['production'] }],
};

describe('an OS-patch remediation in its maintenance window', () => {
  const world = useSsmBot({ policy: POLICY });

  it('approved -> scheduled -> deploying -> deployed -> verified, one SendCommand, every step said and audited', async () => {
    const { h, ssm } = world;
    const approved = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, approved);
    const message = () => messageOf(h, posted);
    const thread = () => threadOf(h, posted.message!.ts);
    const seqBefore = (await h.store.audit.head())!.seq;

    // The lead schedules it: the modal shows the blast radius.
    const modal = await scheduleIntoFirstWindow(h, posted);
    expect(validateView(modal.view)).toEqual([]);
    const radius = blockText(modal.view.blocks);
    expect(radius).toContain('*Blast radius:* 2 instances in *production*');
    expect(radius).toMatch(/ip-10-0-0-1\.ec2\.internal \(`i-0553f6fa0d885003a`\)/);
    expect(radius).toContain('`mi-ab99d82aab315a67a`');
    expect(radius).toContain('AWS-RunPatchBaseline Install · RebootIfNeeded · 10% at a time · stops after 0 errors');
    const scheduled = await stateOf(h, approved.id, 'scheduled');
    expect(scheduled.schedule).toMatchObject({ windowId: 'prod-sunday', startsAt: '2026-11-08T21:00:00.000Z' });

    // Before the window nothing happens; once it has started the sweep deploys and verifies.
    await sweep(h);
    expect(ssm.commands).toHaveLength(0);
    h.setNow(new Date('2026-11-08T21:00:30.000Z'));
    await sweep(h);
    const verified = await stateOf(h, approved.id, 'verified');

    // Exactly one SendCommand, as the policy says.
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    const [command] = ssm.commands;
    const deployment = verified.deployments[0]!;
    expect(command).toMatchObject({
      documentName: 'AWS-RunPatchBaseline',
      parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
      maxConcurrency: '10%',
      maxErrors: '0',
      comment: `patchwarden ${deployment.id} 1/1`,
    });
    expect([...command!.instanceIds].sort()).toEqual(['i-0553f6fa0d885003a', 'mi-ab99d82aab315a67a']);

    // The record: the run per instance, then the compliance snapshot.
    const run = deployment.record as SsmRun;
    expect(deployment).toMatchObject({ by: 'system:deploy', status: 'succeeded', startedAt: '2026-11-08T21:00:30.000Z' });
    expect(run).toMatchObject({ kind: 'ssm_run', operation: 'Install', environment: 'production', document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0', commandIds: [command!.id] });
    expect(run.instances.map((i) => [i.instanceId, i.name, i.status, i.responseCode])).toEqual([
      ['i-0553f6fa0d885003a', 'ip-10-0-0-1.ec2.internal', 'Success', 0],
      ['mi-ab99d82aab315a67a', 'ip-10-0-0-3.ec2.internal', 'Success', 0],
    ]);
    for (const i of run.instances) {
      expect(i.output).toContain(`Patch Summary for ${i.instanceId}`);
      expect(i.startedAt).not.toBeNull();
      expect(i.finishedAt).not.toBeNull();
    }
    const snapshot = verified.verification!.evidence as ComplianceSnapshot;
    expect(verified.verification).toMatchObject({ clean: true });
    expect(verified.resolution).toBe('deployed');
    expect(snapshot.kind).toBe('ssm_compliance');
    expect(snapshot.instances.map((c) => [c.instanceId, c.missing, c.failed, c.operation, c.stillOpen])).toEqual([
      ['i-0553f6fa0d885003a', 0, 0, 'Install', []],
      ['mi-ab99d82aab315a67a', 0, 0, 'Install', []],
    ]);
    expect(snapshot.instances[0]!.installed).toBeGreaterThan(0);
    expect(snapshot.instances[0]!.baselineId).toMatch(/^pb-/);

    // The one message showed the run as it went, and ends showing the instances and the snapshot.
    await settled(h);
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    const versions = message().versions.map((v) => blockText(v.blocks));
    expect(versions.some((t) => /deploying: \d of 2 instances done/.test(t))).toBe(true);
    const final = blockText(message().blocks);
    expect(final).toContain('*State*\nVerified');
    expect(final).toContain(`\`${command!.id}\``);
    expect(final).toContain(':white_check_mark: ip-10-0-0-1.ec2.internal (`i-0553f6fa0d885003a`): Success');
    expect(final).toMatch(/Patch compliance snapshot of .*, 2 instances:/);
    expect(final).toMatch(/baseline `pb-[0-9a-f]+` · \d+ installed, 0 missing, 0 failed · Install ended/);

    // The thread tells each step.
    const notes = thread();
    expect(notes.some((t) => t.includes('scheduled it into *Production, Sunday 22:00*'))).toBe(true);
    expect(notes.some((t) => t.startsWith('patchwarden started the deployment in *Production, Sunday 22:00*.') && t.includes('*Blast radius:* 2 instances in *production*'))).toBe(true);
    expect(notes.some((t) => t.startsWith(':white_check_mark: Deployed: AWS-RunPatchBaseline Install on 2 instances in production: 2 succeeded.'))).toBe(true);
    expect(notes.at(-1)).toBe(':white_check_mark: Verified: none of its patches is missing or failed on 2 instances (patch state read after the deployment). Closed.');

    // /patch show has every step, the instances and the snapshot.
    const show = await patch(h, PEOPLE.manager.id, `show ${approved.id}`);
    const shown = blockText(show.responses[0]!.blocks);
    expect(shown).toContain(`*Deployment* \`${deployment.id}\``);
    expect(shown).toContain(`\`${command!.id}\``);
    expect(shown).toContain('`mi-ab99d82aab315a67a`): Success');
    expect(shown).toContain('*Verification*');
    expect(shown).toMatch(/Patch compliance snapshot .* 2 instances/);
    expect(shown).toContain('remediation.deployment_started');

    // Every step in the audit chain, which verifies.
    expect(await actionsOf(h, approved.id, seqBefore)).toEqual([
      'remediation.scheduled',
      'remediation.deployment_started',
      'ssm.command_sent',
      'remediation.deployed',
      'remediation.verified',
    ]);
    const sent = (await h.store.audit.bySubject(approved.id)).find((e) => e.action === 'ssm.command_sent')!;
    expect(sent.data).toMatchObject({ commandId: command!.id, purpose: 'production', document: 'AWS-RunPatchBaseline', operation: 'Install', maxConcurrency: '10%', maxErrors: '0', foundAfterRestart: false });
    expect(await verifyChain(h.store.audit.stream())).toMatchObject({ ok: true });
    expect(refusedCalls(h)).toEqual([]);
  });
});

/** The production OS patches deployed in a window open now, with one instance failing: failed, its message posted. */
async function failedDeployment({ h, ssm }: SsmWorld): Promise<{ failed: Remediation; posted: Remediation }> {
  ssm.knobs.failInvocations(['mi-ab99d82aab315a67a']);
  const r = await putInState(h, (await osPatches(h, 'production')).id, 'scheduled', {
    schedule: { windowId: 'prod-sunday', windowName: 'Production, Sunday 22:00', startsAt: '2026-11-02T08:00:00.000Z', endsAt: '2026-11-02T12:00:00.000Z', by: PEOPLE.lead.id, at: '2026-11-01T09:00:00.000Z' },
  });
  const posted = await postMessage(h, r);
  await sweep(h);
  return { failed: await stateOf(h, r.id, 'failed'), posted };
}

describe('an OS-patch deployment with a failing instance', () => {
  const world = useSsmBot({ policy: POLICY });

  it('ends failed with each instance’s status and output, in the record and the thread, and is not verified', async () => {
    const { h, ssm } = world;
    const { failed, posted } = await failedDeployment(world);
    const r = failed;
    const run = failed.deployments[0]!.record as SsmRun;
    expect(run.instances.map((i) => [i.instanceId, i.status, i.responseCode])).toEqual([
      ['i-0553f6fa0d885003a', 'Success', 0],
      ['mi-ab99d82aab315a67a', 'Failed', 1],
    ]);
    expect(run.instances[1]!.output).toContain('Failed to install package');
    expect(failed.deployments[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('1 failed (ip-10-0-0-3.ec2.internal (mi-ab99d82aab315a67a): Failed)') });
    expect(failed.verification).toBeNull();
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    await settled(h);
    const notes = threadOf(h, posted.message!.ts);
    expect(notes.at(-1)).toMatch(/^:x: Deployment failed: 1 of 2 instances did not succeed\.\n• ip-10-0-0-3\.ec2\.internal \(`mi-ab99d82aab315a67a`\): Failed · _.*Failed to install package/);
    expect(notes.at(-1)).toContain('A lead can reschedule it');
    const text = blockText(messageOf(h, posted).blocks);
    expect(text).toContain('*State*\nDeployment failed');
    expect(text).toContain(':x: ip-10-0-0-3.ec2.internal (`mi-ab99d82aab315a67a`): Failed (exit 1)');
    expect(JSON.stringify(messageOf(h, posted).blocks)).toContain(ACTION.approve); // Reschedule
    expect(await actionsOf(h, r.id)).toContain('remediation.deployment_failed');
    expect(await actionsOf(h, r.id)).not.toContain('remediation.verified');
  });

  it('marks a window that ended unused as missed: back to approved, and the thread says so', async () => {
    const { h, ssm } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'scheduled', {
      schedule: { windowId: 'prod-sunday', windowName: 'Production, Sunday 22:00', startsAt: '2026-11-01T21:00:00.000Z', endsAt: '2026-11-02T01:00:00.000Z', by: PEOPLE.lead.id, at: '2026-10-30T09:00:00.000Z' },
    });
    const before = ssm.commands.length;
    await sweep(h);
    const back = await stateOf(h, r.id, 'approved');
    expect(back.schedule).toBeNull();
    expect(ssm.commands).toHaveLength(before);
    await settled(h);
    expect(threadOf(h, back.message!.ts).at(-1)).toBe(
      'Its window *Production, Sunday 22:00* (Sun 1 Nov 22:00 to Mon 2 Nov 02:00) ended before it could be deployed. It is back to approved: a lead picks a new window.',
    );
    expect((await actionsOf(h, r.id)).at(-1)).toBe('remediation.window_missed');
  });
});

describe('a failed OS-patch deployment rescheduled by a lead', () => {
  const world = useSsmBot({ policy: POLICY });

  it('Reschedule over HTTP: back into a window, audited, and it deploys again when that window starts', async () => {
    const { h, ssm } = world;
    const { failed: r, posted } = await failedDeployment(world);
    await settled(h);
    const failedAt = (await h.store.audit.head())!.seq;
    ssm.knobs.healInvocations(['mi-ab99d82aab315a67a']);

    // The lead presses Reschedule on the failed remediation's message and picks the next window.
    const modal = await scheduleIntoFirstWindow(h, posted);
    expect((modal.view.title as { text: string }).text).toBe(`Reschedule ${r.id}`);
    expect(validateView(modal.view)).toEqual([]);
    const rescheduled = await stateOf(h, r.id, 'scheduled');
    expect(rescheduled.schedule).toMatchObject({ windowId: 'prod-sunday', startsAt: '2026-11-08T21:00:00.000Z', by: PEOPLE.lead.id });
    const scheduledEvent = (await h.store.audit.bySubject(r.id)).find((e) => e.seq > failedAt && e.action === 'remediation.scheduled')!;
    expect(scheduledEvent).toMatchObject({ actor: PEOPLE.lead.id, data: { from: 'failed', to: 'scheduled', windowId: 'prod-sunday', startsAt: '2026-11-08T21:00:00.000Z' } });
    await settled(h);
    expect(threadOf(h, posted.message!.ts).at(-1)).toMatch(new RegExp(`^<@${PEOPLE.lead.id}> rescheduled it into \\*Production, Sunday 22:00\\*`));

    // Nothing before that window; at its start it deploys again, and this time it verifies.
    await sweep(h);
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    h.setNow(new Date('2026-11-08T21:00:30.000Z'));
    await sweep(h);
    const verified = await stateOf(h, r.id, 'verified');
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 2 });
    expect(verified.deployments.map((d) => d.status)).toEqual(['failed', 'succeeded']);
    expect(Date.parse(verified.deployments[1]!.startedAt)).toBeGreaterThanOrEqual(Date.parse('2026-11-08T21:00:00.000Z'));
    expect((verified.deployments[1]!.record as SsmRun).instances.map((i) => i.status)).toEqual(['Success', 'Success']);
    expect(await actionsOf(h, r.id, failedAt)).toEqual(['remediation.scheduled', 'remediation.deployment_started', 'ssm.command_sent', 'remediation.deployed', 'remediation.verified']);
    expect(await verifyChain(h.store.audit.stream())).toMatchObject({ ok: true });
    expect(refusedCalls(h)).toEqual([]);
  });
});
