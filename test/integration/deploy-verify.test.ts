/**
 * Verify, then close. An OS-patch deployment whose patch state predates it gets a Scan first (sent once, kept with the
 * deployment); then it is verified only when none of its patches is still Missing or Failed, else back to failed with
 * what is open. A Snyk-only fix is marked deployed by a lead with a link, and verified when Snyk resolves its issue.
 */
import type { ComplianceSnapshot, SourceConfirmation, SsmRun } from '../../src/domain/run-records.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { small } from '../support/population/presets.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { actionsOf, FAST, osPatches, putInState, stateOf, sweep, syncNow, useSsmBot, threadOf } from './deploy-support.js';
import { TEST_RETRY } from './sources-support.js';
import { messageOf, postMessage, settled, until } from './workflow-support.js';

/** A deployment that went out and succeeded on both production instances, as the run would have recorded it. */
const deployedRun = (h: Harness, r: Remediation): Partial<Remediation> => ({
  deployments: [{
    id: 'd-earlier', by: 'system:deploy', startedAt: h.now().toISOString(), status: 'succeeded', finishedAt: h.now().toISOString(), reason: null, details: {},
    record: {
      kind: 'ssm_run', operation: 'Install', environment: 'production', document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0', commandIds: ['c-earlier'],
      instances: r.assetIds.filter((a) => a.startsWith('ssm:')).map((a) => ({ instanceId: a.slice(4), name: null, status: 'Success', statusDetails: 'Success', responseCode: 0, output: '', startedAt: null, finishedAt: null })),
    },
  }],
});

describe('verifying an OS-patch deployment whose patch state predates it', () => {
  const world = useSsmBot({ each: true });

  it('scans first, once; patches still missing send it back to failed with what is open, never verified', async () => {
    const { h, ssm } = world;
    const r = await osPatches(h, 'production');
    const deployed = await putInState(h, r.id, 'deployed', deployedRun(h, r));
    const posted = await postMessage(h, deployed);
    await sweep(h);
    const failed = await stateOf(h, r.id, 'failed');
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Scan': 1 });
    const scan = failed.deployments[0]!.details.scan as SsmRun;
    expect(scan).toMatchObject({ operation: 'Scan', commandIds: [ssm.commands[0]!.id] });
    expect(scan.instances.map((i) => i.status)).toEqual(['Success', 'Success']);
    expect(failed.verification!.clean).toBe(false);
    const snapshot = failed.verification!.evidence as ComplianceSnapshot;
    expect(snapshot.instances.map((c) => [c.instanceId, c.operation, c.stillOpen.length > 0])).toEqual([
      ['i-0553f6fa0d885003a', 'Scan', true],
      ['mi-ab99d82aab315a67a', 'Scan', true],
    ]);
    expect(snapshot.instances[1]!.stillOpen).toContain('expat.x86_64:0:5.7.58-29.amzn2023'); // Failed counts as open
    expect(failed.closedAt).toBeNull();
    await settled(h);
    const notes = threadOf(h, posted.message!.ts);
    expect(notes[0]).toBe('The patch state of 2 instances predates the deployment: scanning them before verifying.');
    expect(notes.at(-1)).toMatch(/^:x: Not verified: it is still open\.\n• `i-0553f6fa0d885003a`: `openssh/);
    expect(await actionsOf(h, r.id)).toEqual(expect.arrayContaining(['ssm.command_sent', 'remediation.verification_failed']));
    expect(await actionsOf(h, r.id)).not.toContain('remediation.verified');
  });

  it('verifies after the scan when none of its patches is open any more', async () => {
    const { h, ssm } = world;
    const r = await osPatches(h, 'production');
    // Its patches are the ones the instances already have installed.
    const installed = ssm.instances.flatMap((i) => i.patches.filter((p) => p.state === 'INSTALLED').map((p) => p.patch.kbId));
    const deployed = await putInState(h, r.id, 'deployed', { ...deployedRun(h, r), remedy: { kind: 'os_patches', environment: 'production', patchIds: installed } });
    await postMessage(h, deployed);
    await sweep(h);
    const verified = await stateOf(h, r.id, 'verified');
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Scan': 1 });
    const snapshot = verified.verification!.evidence as ComplianceSnapshot;
    expect(snapshot.instances.every((c) => c.operation === 'Scan' && c.stillOpen.length === 0)).toBe(true);
    expect(verified.resolution).toBe('deployed');
  });
});

describe('Mark deployed: a fix only Snyk reported', () => {
  let snyk: FakeSnyk;
  let h: Harness;
  beforeAll(async () => {
    snyk = await startFakeSnyk(small(), { token: 'snyk-deploy-token' });
    h = await startHarness({
      env: { SNYK_TOKEN: 'snyk-deploy-token', SNYK_ORG_ID: small().snyk.orgId, SNYK_API_URL: snyk.url },
      start: { sources: { clientOverrides: { retry: TEST_RETRY } }, deploy: { timing: FAST } },
    });
    await syncNow(h);
  });
  afterAll(async () => {
    await h.close();
    await snyk.close();
  });

  it('takes a lead’s link to the change, then verifies when Snyk resolves its issue', async () => {
    const open = (await h.store.remediations.list()).find((x) => x.findingIds.length === 1 && x.findingIds[0]!.startsWith('snyk:') && x.state === 'new')!;
    const r = await putInState(h, open.id, 'approved');
    const posted = await postMessage(h, r);
    const buttons = JSON.stringify(messageOf(h, posted).blocks);
    expect(buttons).toContain(ACTION.markDeployed);
    expect(buttons).not.toContain(ACTION.deployNow);

    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.markDeployed });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.markDeployed, user: PEOPLE.lead.id })[0], 'the modal');
    const bad = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { change_url: 'the release last week' } });
    expect(bad.body).toEqual({ response_action: 'errors', errors: { change_url: 'The change link must be a web link starting with https://.' } });
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { change_url: 'https://github.com/acme/api/pull/77', note: 'Bumped by hand' } });
    const deployed = await stateOf(h, r.id, 'deployed');
    expect(deployed.deployments[0]).toMatchObject({ by: PEOPLE.lead.id, status: 'succeeded', reason: 'Bumped by hand', record: { kind: 'manual', changeUrl: 'https://github.com/acme/api/pull/77' } });

    const issueId = open.findingIds[0]!.slice('snyk:'.length);
    await until(() => snyk.requests.filter((q) => q.operation === 'issues/get').length >= 2, 'the issue read');
    snyk.resolveIssue(issueId);
    const verified = await stateOf(h, r.id, 'verified');
    expect(verified.verification!.evidence as SourceConfirmation).toMatchObject({ kind: 'source_state', findings: [{ findingId: open.findingIds[0], state: 'fixed' }] });
    await settled(h);
    const notes = threadOf(h, posted.message!.ts);
    expect(notes[0]).toBe('<@U0LEAD> marked it deployed: <https://github.com/acme/api/pull/77|https://github.com/acme/api/pull/77>. It is verified once Snyk marks its issues resolved.');
    expect(await actionsOf(h, r.id)).toEqual(expect.arrayContaining(['remediation.marked_deployed', 'remediation.verified']));
  });
});
