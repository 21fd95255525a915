/**
 * The GitHub fake as deployment uses it, driven by @octokit/rest: Dependabot pull requests, their CI in both APIs
 * (check runs, and the legacy combined status, including a repository that publishes none), and merging with `sha`.
 */
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { startFakeGithub, type FakeGithub, type FakeGithubOptions } from '../support/github/fake-github.js';
import { small } from '../support/population/presets.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const api = { owner: 'acme', repo: 'api' };
const pr1 = { ...api, pull_number: 1 };

let fake: FakeGithub;
let octokit: Octokit;
const start = async (opts: FakeGithubOptions = {}): Promise<void> => {
  fake = await startFakeGithub(small(), opts);
  octokit = new Octokit({ baseUrl: fake.url, auth: 'ghp_test', request: { retries: 0 }, log: quiet });
};
afterEach(() => fake.close());

const refusal = (p: Promise<unknown>): Promise<{ status: number; message: string }> =>
  p.then(() => ({ status: 0, message: 'merged' }), (e: unknown) => (e instanceof RequestError ? { status: e.status, message: (e.response?.data as { message: string }).message } : Promise.reject(e)));
const headSha = async (n = 1): Promise<string> => (await octokit.rest.pulls.get({ ...api, pull_number: n })).data.head.sha;
const ci = async (ref: string) => {
  const [status, runs] = await Promise.all([octokit.rest.repos.getCombinedStatusForRef({ ...api, ref }), octokit.rest.checks.listForRef({ ...api, ref })]);
  return { combined: [status.data.state, status.data.total_count, status.data.statuses.map((s) => s.state)], run: runs.data.check_runs.map((r) => [r.name, r.status, r.conclusion]) };
};

describe('GitHub fake: Dependabot pull requests and their CI', () => {
  beforeEach(() => start());

  it('lists open pull requests by dependabot[bot] with Dependabot\'s branch and title', async () => {
    const open = await octokit.paginate(octokit.rest.pulls.list, { owner: 'acme', repo: 'web', state: 'open' });
    expect(open.map((p) => [p.user?.login, p.user?.type, p.head.ref, p.title])).toEqual([
      ['dependabot[bot]', 'Bot', 'dependabot/pip/requests-4.15.23', 'Bump requests from 4.15.20 to 4.15.23'],
    ]);
    const [lodash] = await octokit.paginate(octokit.rest.pulls.list, { ...api, state: 'open' });
    expect(lodash?.head.ref).toMatch(/^dependabot\/npm_and_yarn\/lodash-\d+\.\d+\.\d+$/);
    expect(lodash?.title).toMatch(/^Bump lodash from \d+\.\d+\.\d+ to \d+\.\d+\.\d+$/);
  });

  it('turns the check run red, pending and green, with completed_at, html_url and head_sha', async () => {
    const sha = await headSha();
    const [run] = (await octokit.rest.checks.listForRef({ ...api, ref: sha })).data.check_runs;
    expect(run).toMatchObject({ name: 'build', status: 'completed', conclusion: 'success', head_sha: sha, html_url: expect.stringMatching(/^https:\/\/github\.com\/acme\/api\/runs\/\d+$/), completed_at: expect.any(String) });
    fake.knobs.setChecks('api', 1, 'failure');
    expect((await ci(sha)).run).toEqual([['build', 'completed', 'failure']]);
    fake.knobs.setChecks('api', 1, 'pending');
    const pending = (await octokit.rest.checks.listForRef({ ...api, ref: sha })).data;
    expect([pending.total_count, pending.check_runs[0]?.status, pending.check_runs[0]?.conclusion, pending.check_runs[0]?.completed_at]).toEqual([1, 'in_progress', null, null]);
  });

  it('keeps the legacy combined status apart from check runs: failing, error, pending', async () => {
    const sha = await headSha();
    expect(await ci(sha)).toEqual({ combined: ['success', 1, ['success']], run: [['build', 'completed', 'success']] });
    fake.knobs.setLegacyStatus('api', 1, 'failure');
    expect((await ci(sha)).combined).toEqual(['failure', 1, ['failure']]);
    fake.knobs.setLegacyStatus('api', 1, 'error');
    expect((await ci(sha)).combined).toEqual(['failure', 1, ['error']]);
    fake.knobs.setLegacyStatus('api', 1, 'pending');
    expect(await ci(sha)).toEqual({ combined: ['pending', 1, ['pending']], run: [['build', 'completed', 'success']] });
    fake.knobs.setLegacyStatus('api', 1, null);
    expect((await ci(sha)).combined[0]).toBe('success');
  });
});

describe('GitHub fake: a repository whose CI only publishes check runs', () => {
  it('answers the combined status with state pending, total_count 0 and no statuses, while the check run is green', async () => {
    await start({ legacyStatuses: 'none' });
    const sha = await headSha();
    const status = await octokit.rest.repos.getCombinedStatusForRef({ ...api, ref: sha });
    expect(status.data).toMatchObject({ state: 'pending', total_count: 0, statuses: [], sha });
    expect((await ci(sha)).run).toEqual([['build', 'completed', 'success']]);
    expect((await octokit.rest.pulls.merge({ ...pr1, sha })).data.merged).toBe(true);
  });
});

describe('GitHub fake: merging with sha', () => {
  beforeEach(() => start());

  it('merges the head: 200, then merged_at, merged_by, merge_commit_sha, and the alert it fixes turns fixed', async () => {
    const sha = await headSha();
    const merged = await octokit.rest.pulls.merge({ ...pr1, sha, merge_method: 'squash', commit_title: 'Bump lodash (#1)' });
    expect(merged.data).toEqual({ sha: expect.stringMatching(/^[0-9a-f]{40}$/), merged: true, message: 'Pull Request successfully merged' });
    const after = (await octokit.rest.pulls.get(pr1)).data;
    expect([after.state, after.merged, after.merged_by?.login, after.merge_commit_sha, after.merged_at]).toEqual(['closed', true, 'octo-lead', merged.data.sha, expect.stringMatching(/Z$/)]);
    expect((await octokit.rest.dependabot.getAlert({ ...api, alert_number: 1 })).data).toMatchObject({ state: 'fixed', fixed_at: after.merged_at });
  });

  it('answers 405 "Pull Request is not mergeable" to a second merge, and for a pull request merged long ago', async () => {
    const sha = await headSha();
    await octokit.rest.pulls.merge({ ...pr1, sha });
    expect(await refusal(octokit.rest.pulls.merge({ ...pr1, sha }))).toEqual({ status: 405, message: 'Pull Request is not mergeable' });
    expect(await refusal(octokit.rest.pulls.merge({ ...api, pull_number: 2 }))).toEqual({ status: 405, message: 'Pull Request is not mergeable' });
  });

  it('answers 409 when sha is not the head, 405 while the new head\'s check runs, 200 once it is green', async () => {
    const old = await headSha();
    const moved = fake.knobs.pushCommit('api', 1, { checks: 'pending' });
    expect(await refusal(octokit.rest.pulls.merge({ ...pr1, sha: old }))).toEqual({ status: 405, message: 'Required status check "build" is expected.' });
    fake.knobs.setChecks('api', 1, 'success');
    expect(await refusal(octokit.rest.pulls.merge({ ...pr1, sha: old }))).toEqual({ status: 409, message: 'Head branch was modified. Review and try the merge again.' });
    expect([await headSha(), (await octokit.rest.pulls.merge({ ...pr1, sha: moved })).status]).toEqual([moved, 200]);
  });

  it('answers 422 to a body GitHub\'s schema refuses, and 400 to a body that is not JSON', async () => {
    const bad = await refusal(octokit.rest.pulls.merge({ ...pr1, merge_method: 'fast-forward' as 'merge' }));
    expect(bad).toEqual({ status: 422, message: 'Invalid request.\n\nFor \'properties/merge_method\', "fast-forward" is not one of ["merge", "squash", "rebase"].' });
    expect(await refusal(octokit.rest.pulls.merge({ ...pr1, sha: 42 as unknown as string }))).toEqual({ status: 422, message: 'Invalid request.\n\nFor \'properties/sha\', 42 is not a string.' });
    const raw = await fetch(`${fake.url}/repos/acme/api/pulls/1/merge`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"sha":' });
    expect([raw.status, ((await raw.json()) as { message: string }).message]).toEqual([400, 'Problems parsing JSON']);
    expect((await octokit.rest.pulls.get(pr1)).data.merged).toBe(false);
  });
});
