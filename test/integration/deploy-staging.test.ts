/**
 * Run in staging over real HTTP: an engineer confirms the staging blast radius, patchwarden installs on the staging
 * environment's instances with SSM, follows the run and records it as a test run with each instance's status and
 * output: pass only when every instance succeeded.
 */
import type { SsmRun } from '../../src/domain/run-records.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE } from '../support/bot-harness.js';
import { blockText } from '../support/patch-command.js';
import { validateView } from '../support/slack/block-kit-limits.js';
import { actionsOf, osPatches, putInState, stateOf, useSsmBot, threadOf } from './deploy-support.js';
import { messageOf, postMessage, refusedCalls, settled, toldTo, until } from './workflow-support.js';

const STAGING = 'i-060bfca79c67fc413';

describe('Run in staging', () => {
  const world = useSsmBot({ each: true, ready: (ssm) => ssm.setPingStatus(STAGING, 'Online') });

  async function runInStaging(user: string) {
    const { h } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'assessed');
    const posted = await postMessage(h, r);
    await h.driver.blockAction({ user, message: messageOf(h, posted), action_id: ACTION.runStaging });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.stagingRun, user })[0], 'the staging modal');
    return { r, posted, modal };
  }

  it('records a passing test run with each instance’s status and output', async () => {
    const { h, ssm } = world;
    const { r, posted, modal } = await runInStaging(PEOPLE.engineer.id);
    expect(validateView(modal.view)).toEqual([]);
    expect(blockText(modal.view.blocks)).toContain('*Blast radius:* 1 instance in *staging*: ip-10-0-0-2.ec2.internal (`i-060bfca79c67fc413`)');
    await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: modal, inputs: {} });
    const tested = await stateOf(h, r.id, 'tested');
    const test = tested.tests.at(-1)!;
    expect(test).toMatchObject({ by: PEOPLE.engineer.id, environment: 'staging', result: 'pass', files: [] });
    const run = test.run as SsmRun;
    expect(run).toMatchObject({ kind: 'ssm_run', operation: 'Install', environment: 'staging', document: 'AWS-RunPatchBaseline' });
    expect(run.commandIds).toHaveLength(1);
    expect(run.instances).toEqual([expect.objectContaining({ instanceId: STAGING, name: 'ip-10-0-0-2.ec2.internal', status: 'Success', responseCode: 0, output: expect.stringContaining(`Patch Summary for ${STAGING}`) })]);
    expect(ssm.commands.map((c) => c.instanceIds)).toEqual([[STAGING]]);
    expect(ssm.commands[0]!.comment).toMatch(/^patchwarden s-[0-9a-f-]{36} 1\/1$/);
    // The production instances were not touched.
    expect(ssm.instances.find((i) => i.instanceId === 'i-0553f6fa0d885003a')!.patches.some((p) => p.state === 'MISSING')).toBe(true);
    await settled(h);
    const notes = threadOf(h, posted.message!.ts);
    expect(notes[0]).toMatch(/^<@U0ENG> started a staging run\. \*Blast radius:\* 1 instance in \*staging\*/);
    expect(notes.at(-1)).toBe(`Staging run by <@U0ENG> finished: *pass*. AWS-RunPatchBaseline Install on 1 instance in staging: 1 succeeded. Recorded as a test run.`);
    expect(blockText(messageOf(h, posted).blocks)).toContain('Tested in staging by <@U0ENG>: *pass*, SSM run on 1 instance');
    expect(await actionsOf(h, r.id)).toEqual(expect.arrayContaining(['remediation.staging_run_started', 'ssm.command_sent', 'remediation.test_recorded']));
    // The engineer who ran it may not approve it (separation of duties applies to runs too).
    expect(tested.tests.filter((t) => t.result === 'pass').map((t) => t.by)).toEqual([PEOPLE.engineer.id]);
    expect(refusedCalls(h)).toEqual([]);
  });

  it('records a failing test run when an instance fails, and the remediation stays in testing', async () => {
    const { h, ssm } = world;
    ssm.knobs.failInvocations([STAGING]);
    const { r, modal } = await runInStaging(PEOPLE.engineer.id);
    await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: modal, inputs: {} });
    const failed = await until(async () => {
      const x = await h.store.remediations.get(r.id);
      return x && x.tests.length > 0 ? x : null;
    }, 'the test run');
    expect(failed.state).toBe('testing');
    expect(failed.tests.at(-1)).toMatchObject({ result: 'fail', notes: expect.stringContaining('1 failed (ip-10-0-0-2.ec2.internal (i-060bfca79c67fc413): Failed)') });
    expect((failed.tests.at(-1)!.run as SsmRun).instances[0]).toMatchObject({ status: 'Failed', responseCode: 1, output: expect.stringContaining('Failed to install package') });
  });

  it('is for engineers and leads: a manager is refused with a sentence and nothing is sent', async () => {
    const { h, ssm } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'assessed');
    const posted = await postMessage(h, r);
    await h.driver.blockAction({ user: PEOPLE.manager.id, message: messageOf(h, posted), action_id: ACTION.runStaging });
    await until(() => toldTo(h, PEOPLE.manager.id).length > 0, 'the refusal');
    expect(toldTo(h, PEOPLE.manager.id)[0]).toBe('Only an engineer or a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.');
    expect(ssm.commands).toHaveLength(0);
    expect((await actionsOf(h, r.id)).at(-1)).toBe('access.denied');
  });

  it('says so when the remediation has moved on (not assessed or in testing), and sends nothing', async () => {
    const { h, ssm } = world;
    const { r, modal } = await runInStaging(PEOPLE.lead.id);
    await putInState(h, r.id, 'approved');
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: {} });
    await until(() => toldTo(h, PEOPLE.lead.id).length > 0, 'the refusal');
    expect(toldTo(h, PEOPLE.lead.id)[0]).toBe('This remediation is approved, so you can’t start a staging run for it now (only when assessed or in testing).');
    expect(ssm.commands).toHaveLength(0);
  });
});
