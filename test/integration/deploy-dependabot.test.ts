/**
 * A Dependabot fix deployed over real HTTP (octokit against the GitHub fake): Dependabot's own pull request merged
 * with its head sha only when every check is green, the merge recorded as the auditor asks (URL, number, merge
 * commit, merged-at, merged-by), verified when the alert turns fixed. A red check, or a head that moved, stops it
 * with a sentence and nothing changes; a merge already done (before a crash) is not done twice.
 */
import type { PullRequestChecks, PullRequestMerge, SourceConfirmation } from '../../src/domain/run-records.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE, type Harness } from '../support/bot-harness.js';
import { blockText } from '../support/patch-command.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { small } from '../support/population/presets.js';
import { actionsOf, DEPLOY_GITHUB_TOKEN, deployHarness, ofAlert, putInState, stateOf, sweep, syncNow, threadOf } from './deploy-support.js';
import { messageOf, postMessage, refusedCalls, settled, toldTo, until } from './workflow-support.js';

const OPEN_WINDOW = { windowId: 'prod-sunday', windowName: 'Production, Sunday 22:00', startsAt: '2026-11-02T08:00:00.000Z', endsAt: '2026-11-02T12:00:00.000Z', by: 'U0LEAD', at: '2026-11-01T09:00:00.000Z' };

describe('deploying a Dependabot fix', () => {
  let github: FakeGithub;
  let h: Harness;
  const start = async (opts: Parameters<typeof startFakeGithub>[1] = {}, githubFetch?: typeof fetch) => {
    github = await startFakeGithub(small(), { token: DEPLOY_GITHUB_TOKEN, ...opts });
    h = await deployHarness({ github, ...(githubFetch ? { githubFetch } : {}) });
    await syncNow(h);
  };
  afterEach(async () => {
    await h.close();
    await github.close();
  });
  const merges = () => github.requests.filter((q) => q.operation === 'pulls/merge');
  const thread = (ts: string) => threadOf(h, ts);

  it('records CI results, merges on green checks, records the merge, and verifies when the alert turns fixed', async () => {
    await start({ fixAlertOnMerge: false });
    const assessed = await putInState(h, (await ofAlert(h, 'acme/api', 1)).id, 'assessed');
    const posted = await postMessage(h, assessed);

    // Record CI results: the pull request's checks as a test run.
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: messageOf(h, posted), action_id: ACTION.recordChecks });
    const tested = await stateOf(h, assessed.id, 'tested');
    const ci = tested.tests.at(-1)!;
    expect(ci).toMatchObject({ by: PEOPLE.engineer.id, environment: 'ci', result: 'pass', files: [] });
    const checks = ci.run as PullRequestChecks;
    expect(checks).toMatchObject({ kind: 'ci_checks', repository: 'acme/api', pullNumber: 1, url: 'https://github.com/acme/api/pull/1', headSha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(checks.checks.map((c) => [c.name, c.status, c.conclusion])).toEqual([['build', 'completed', 'success'], ['ci/build', 'completed', 'success']]);
    expect(checks.checks[0]!.url).toMatch(/^https:\/\/github\.com\/acme\/api\/runs\/\d+$/);
    expect(checks.checks[0]!.completedAt).not.toBeNull();

    // Its window opens: merged with the head sha, recorded.
    await putInState(h, assessed.id, 'scheduled', { schedule: OPEN_WINDOW });
    await sweepUntilDeployed(h, assessed.id);
    const deployed = (await h.store.remediations.get(assessed.id))!;
    expect(merges()).toHaveLength(1);
    const merge = deployed.deployments[0]!.record as PullRequestMerge;
    expect(merge).toEqual({
      kind: 'pr_merge',
      repository: 'acme/api',
      pullNumber: 1,
      url: 'https://github.com/acme/api/pull/1',
      headSha: checks.headSha,
      mergeCommitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      mergedAt: expect.stringMatching(/^2026-/),
      mergedBy: 'octo-lead',
      checks: checks.checks,
    });
    // The checks read right before the merge are a test run too.
    expect(deployed.tests.at(-1)).toMatchObject({ environment: 'ci', result: 'pass', by: 'system:deploy' });
    expect(github.pulls.find((p) => p.repo.fullName === 'acme/api' && p.number === 1)).toMatchObject({ merged: true, mergeCommitSha: merge.mergeCommitSha });

    // Not verified until the alert is fixed; then verified with the source's word as evidence.
    await until(async () => github.requests.filter((q) => q.operation === 'dependabot/get-alert').length >= 2, 'the alert read twice');
    expect((await h.store.remediations.get(assessed.id))!.state).toBe('deployed');
    github.updateAlert('api', 1, { state: 'fixed' });
    const verified = await stateOf(h, assessed.id, 'verified');
    const evidence = verified.verification!.evidence as SourceConfirmation;
    expect(evidence.kind).toBe('source_state');
    expect(evidence.findings).toEqual([{ findingId: 'github:acme/api:alert:1', state: 'fixed', at: expect.stringMatching(/^20\d\d-/) }]);
    await settled(h);
    const notes = thread(posted.message!.ts);
    expect(notes.some((t) => t.startsWith('<@U0ENG> recorded the CI results of <https://github.com/acme/api/pull/1|acme/api#1>: *pass*. 2 checks on acme/api#1'))).toBe(true);
    expect(notes.some((t) => t.startsWith('patchwarden started the deployment in *Production, Sunday 22:00*.\nMerging <https://github.com/acme/api/pull/1|acme/api#1>'))).toBe(true);
    expect(notes.some((t) => t.startsWith(`:white_check_mark: Merged <https://github.com/acme/api/pull/1|acme/api#1> as \`${merge.mergeCommitSha!.slice(0, 12)}\` (merged by octo-lead).`))).toBe(true);
    expect(notes.at(-1)).toBe(':white_check_mark: Verified: all 1 finding fixed at the source. Closed.');
    expect(await actionsOf(h, assessed.id)).toEqual(expect.arrayContaining(['remediation.test_recorded', 'remediation.deployment_started', 'remediation.deployed', 'remediation.verified']));
    expect(refusedCalls(h)).toEqual([]);
  });

  it('merges when CI publishes only check runs (the combined status then says pending with total_count 0)', async () => {
    await start({ legacyStatuses: 'none' });
    const r = await putInState(h, (await ofAlert(h, 'acme/api', 1)).id, 'scheduled', { schedule: OPEN_WINDOW });
    await sweep(h);
    const verified = await stateOf(h, r.id, 'verified');
    const merge = verified.deployments[0]!.record as PullRequestMerge;
    expect(merge.checks.map((c) => [c.name, c.conclusion])).toEqual([['build', 'success']]);
    expect(merges().map((q) => q.status)).toEqual([200]);
    const status = github.requests.find((q) => q.operation === 'repos/get-combined-status-for-ref');
    expect(status?.status).toBe(200);
  });

  it('does not merge on a red check: a sentence in the thread, once, and it stays scheduled until its window is over', async () => {
    await start();
    const r = await putInState(h, (await ofAlert(h, 'acme/web', 4)).id, 'scheduled', { schedule: OPEN_WINDOW });
    const posted = await postMessage(h, r);
    await h.running.jobs.runNow('deploy');
    await until(() => github.requests.filter((q) => q.operation === 'checks/list-for-ref').length >= 3, 'the checks looked at again');
    expect(merges()).toEqual([]);
    expect((await h.store.remediations.get(r.id))!.state).toBe('scheduled');
    const blocked = thread(posted.message!.ts).filter((t) => t.startsWith(':no_entry:'));
    expect(blocked).toEqual([':no_entry: Not merged: acme/web#2 has failing checks (build, ci/build). It stays as it was.']);
    expect((await actionsOf(h, r.id)).filter((a) => a === 'remediation.deployment_blocked').length).toBeGreaterThanOrEqual(1);
    // Its window ends: missed, back to approved.
    h.setNow(new Date('2026-11-02T12:00:01.000Z'));
    await stateOf(h, r.id, 'approved');
    expect(merges()).toEqual([]);
  });

  it('tells the lead who pressed Deploy now why not, and changes nothing', async () => {
    await start();
    const r = await putInState(h, (await ofAlert(h, 'acme/web', 4)).id, 'approved');
    const posted = await postMessage(h, r);
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.deployNow });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.deployNow, user: PEOPLE.lead.id })[0], 'the modal');
    expect(blockText(modal.view.blocks)).toContain('merge Dependabot’s pull request in *acme/web* that upgrades requests to 4.15.23 or later');
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'urgent' } });
    await until(() => toldTo(h, PEOPLE.lead.id).length > 0, 'the sentence');
    expect(toldTo(h, PEOPLE.lead.id)).toEqual(['Not merged: acme/web#2 has failing checks (build, ci/build). It stays as it was.']);
    await settled(h);
    expect(thread(posted.message!.ts).at(-1)).toBe(':no_entry: Not merged: acme/web#2 has failing checks (build, ci/build). It stays as it was.');
    expect((await h.store.remediations.get(r.id))!.state).toBe('approved');
    expect(merges()).toEqual([]);
    expect(await h.store.kv.list('emergency-changes')).toEqual(new Map());
  });

  it('a head that moved under the merge (409) calls it off with a sentence; the new head is merged once its checks are green', async () => {
    await start();
    const r = await putInState(h, (await ofAlert(h, 'acme/api', 1)).id, 'scheduled', { schedule: OPEN_WINDOW });
    const posted = await postMessage(h, r);
    // The deployment is written (at the window's start) with the head of that moment; then a commit lands.
    const old = github.pulls.find((p) => p.repo.fullName === 'acme/api' && p.number === 1)!.headSha;
    await sweepWith(h, () => github.knobs.pushCommit('api', 1, { checks: 'success' }));
    const done = await stateOf(h, r.id, 'verified');
    const attempts = (await h.store.audit.bySubject(r.id)).filter((e) => ['remediation.deployment_started', 'remediation.deployment_called_off', 'remediation.deployed'].includes(e.action)).map((e) => [e.action, e.data.to]);
    expect(attempts).toEqual([
      ['remediation.deployment_started', 'deploying'],
      ['remediation.deployment_called_off', 'scheduled'],
      ['remediation.deployment_started', 'deploying'],
      ['remediation.deployed', 'deployed'],
    ]);
    expect(merges().map((q) => q.status)).toEqual([409, 200]);
    expect((done.deployments[1]!.record as PullRequestMerge).headSha).not.toBe(old);
    await settled(h);
    expect(thread(posted.message!.ts)).toContain(':no_entry: GitHub refused to merge acme/api#1 (409: Head branch was modified. Review and try the merge again.). Nothing was merged; it stays as it was.');
  });

  it('finds a merge already made (a crash before it was recorded) and records it without merging again', async () => {
    await start();
    const r = await ofAlert(h, 'acme/api', 1);
    const pull = github.pulls.find((p) => p.repo.fullName === 'acme/api' && p.number === 1)!;
    await putInState(h, r.id, 'deploying', {
      deployments: [{ id: 'd-crashed', by: 'system:deploy', startedAt: h.now().toISOString(), status: 'running', finishedAt: null, reason: null, details: { fromState: 'scheduled' }, record: { kind: 'pr_merge', repository: 'acme/api', pullNumber: 1, url: 'https://github.com/acme/api/pull/1', headSha: pull.headSha, mergeCommitSha: null, mergedAt: null, mergedBy: null, checks: [] } }],
    });
    // The merge went through; the process died before writing it down.
    const res = await fetch(`${github.url}/repos/acme/api/pulls/1/merge`, { method: 'PUT', headers: { authorization: `token ${DEPLOY_GITHUB_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ sha: pull.headSha }) });
    expect(res.status).toBe(200);
    await sweep(h);
    const verified = await stateOf(h, r.id, 'verified');
    expect(merges()).toHaveLength(1);
    expect(verified.deployments[0]).toMatchObject({ id: 'd-crashed', status: 'succeeded', record: { mergeCommitSha: pull.mergeCommitSha, mergedBy: 'octo-lead' } });
  });

  it('a merge whose answer was lost, retried: GitHub’s 405 to our own merge is success, deployed with one merge recorded', async () => {
    const network = firstMergeAnswerLost();
    await start({}, network.fetch);
    const r = await putInState(h, (await ofAlert(h, 'acme/api', 1)).id, 'scheduled', { schedule: OPEN_WINDOW });
    const posted = await postMessage(h, r);
    // The window opens: the merge is sent, but its answer never comes back (the bot's request fails).
    await sweep(h);
    expect(network.lost).toBe(1);
    expect((await h.store.remediations.get(r.id))!.state).toBe('deploying');
    // The next sweep tries again: the pull request still reads open, the late merge lands, GitHub answers 405.
    await sweep(h);
    const verified = await stateOf(h, r.id, 'verified');
    expect(merges().map((q) => q.status)).toEqual([200, 405]);
    const pull = github.pulls.find((p) => p.repo.fullName === 'acme/api' && p.number === 1)!;
    expect(verified.deployments).toHaveLength(1);
    expect(verified.deployments[0]).toMatchObject({ status: 'succeeded', record: { kind: 'pr_merge', pullNumber: 1, mergeCommitSha: pull.mergeCommitSha, mergedBy: 'octo-lead' } });
    const actions = await actionsOf(h, r.id);
    expect(actions.filter((a) => a === 'remediation.deployed')).toHaveLength(1);
    expect(actions).not.toContain('remediation.deployment_called_off');
    expect(actions).not.toContain('remediation.deployment_failed');
    await settled(h);
    const notes = thread(posted.message!.ts);
    expect(notes.filter((t) => t.startsWith(':white_check_mark: Merged <https://github.com/acme/api/pull/1|acme/api#1>'))).toHaveLength(1);
    expect(notes.filter((t) => t.startsWith(':no_entry:'))).toEqual([]);
  });

  it('a deployment its source does not confirm within a day goes back to failed with what is still open', async () => {
    await start({ fixAlertOnMerge: false });
    const r = await putInState(h, (await ofAlert(h, 'acme/billing', 2)).id, 'scheduled', { schedule: OPEN_WINDOW });
    await sweepUntilDeployed(h, r.id);
    h.setNow(new Date('2026-11-03T09:00:01.000Z'));
    const failed = await stateOf(h, r.id, 'failed');
    expect(failed.verification).toMatchObject({ clean: false, details: { stillOpen: ['github:acme/billing:alert:2'], reason: 'not confirmed fixed at the source within a day' } });
    expect(failed.closedAt).toBeNull();
    expect((await actionsOf(h, r.id)).at(-1)).toBe('remediation.verification_failed');
  });
});

/** Starts the sweep, and runs `between` once the deployment is written but before the merge (the head moves). */
async function sweepWith(h: Harness, between: () => unknown): Promise<void> {
  const original = h.store.remediations.update.bind(h.store.remediations);
  let done = false;
  h.store.remediations.update = async (next, version, events, effects) => {
    const saved = await original(next, version, events, effects);
    if (!done && saved.ok && events.some((e) => e.action === 'remediation.deployment_started')) {
      done = true;
      between();
    }
    return saved;
  };
  await h.running.jobs.runNow('deploy');
}

/** Sweeps and waits until the deployment is merged (the verification then waits for the source). */
async function sweepUntilDeployed(h: Harness, id: string): Promise<void> {
  await h.running.jobs.runNow('deploy');
  await stateOf(h, id, 'deployed');
}

/**
 * The network between the bot and GitHub losing the answer to the first merge: the PUT is delayed on its way (the
 * bot's request fails, as when undici gives up waiting for the headers) and reaches GitHub, which carries it out,
 * just before the bot's next merge of that pull request.
 */
function firstMergeAnswerLost(): { fetch: typeof fetch; readonly lost: number } {
  let late: (() => Promise<Response>) | null = null;
  let lost = 0;
  const network: typeof fetch = async (input, init) => {
    const merging = init?.method === 'PUT' && String(input).endsWith('/merge');
    if (merging && lost === 0) {
      lost += 1;
      late = () => fetch(input, init);
      throw new TypeError('fetch failed', { cause: new Error('Headers Timeout Error') });
    }
    if (merging && late) {
      const arrived = late;
      late = null;
      await (await arrived()).arrayBuffer();
    }
    return fetch(input, init);
  };
  return { fetch: network, get lost() { return lost; } };
}
