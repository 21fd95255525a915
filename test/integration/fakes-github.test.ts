/** The GitHub fake, driven by the real @octokit/rest client: pagination, limits, ETags and errors as GitHub has them. */
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { buildPopulation } from '../support/population/build-population.js';
import { countsOf } from '../support/population/counts.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const client = (fake: FakeGithub): Octokit => new Octokit({ baseUrl: fake.url, auth: 'ghp_test', request: { retries: 0 }, log: quiet });
const alertPages = (fake: FakeGithub): number => fake.requests.filter((r) => r.operation === 'dependabot/list-alerts-for-org').length;

async function failure(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('GitHub fake: small population', () => {
  let fake: FakeGithub;
  let octokit: Octokit;
  beforeEach(async () => {
    fake = await startFakeGithub(small(), { token: 'ghp_test' });
    octokit = client(fake);
  });
  afterEach(() => fake.close());

  it('lists every alert of the organisation, in every state, through absolute Link headers', async () => {
    const alerts = await octokit.paginate(octokit.rest.dependabot.listAlertsForOrg, { org: 'acme', per_page: 5 });
    expect(alerts).toHaveLength(SMALL_EXPECTED.github.alerts);
    const byState = { open: 0, fixed: 0, dismissed: 0, auto_dismissed: 0 };
    for (const a of alerts) byState[a.state] += 1;
    expect(byState).toEqual(SMALL_EXPECTED.github.alertsByState);
    expect(new Set(alerts.map((a) => `${a.repository.full_name}#${a.number}`)).size).toBe(12);
    expect(alertPages(fake)).toBe(3);
    const [first, second] = fake.requests;
    expect(first?.query).toEqual({ per_page: '5' });
    expect(second?.path).toBe('/organizations/9100001/dependabot/alerts');
    expect(second?.query.after).toEqual(expect.any(String));
    expect(first?.headers.authorization).toBeUndefined();
  });

  it('serves the full alert object, newest first by default', async () => {
    const { data, headers } = await octokit.rest.dependabot.listAlertsForRepo({ owner: 'acme', repo: 'api', per_page: 10 });
    expect(data.map((a) => a.number)).toEqual([4, 3, 2, 1]);
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(headers['x-ratelimit-resource']).toBe('core');
    const lodash = data.find((a) => a.number === 1);
    expect(lodash).toMatchObject({
      state: 'open',
      dependency: { package: { ecosystem: 'npm', name: 'lodash' }, manifest_path: 'package-lock.json', scope: 'runtime', relationship: 'direct' },
      security_advisory: { cve_id: SMALL_FACTS.overlaps[0].cve, severity: 'critical', identifiers: expect.arrayContaining([{ type: 'CVE', value: 'CVE-2019-20000' }]) },
      security_vulnerability: { package: { ecosystem: 'npm', name: 'lodash' }, severity: 'critical', first_patched_version: { identifier: expect.stringMatching(/^\d+\.\d+\.\d+$/) } },
      url: `${fake.url}/repos/acme/api/dependabot/alerts/1`,
      html_url: 'https://github.com/acme/api/security/dependabot/1',
      created_at: '2025-11-29T10:50:46Z',
      dismissed_at: null,
      fixed_at: null,
    });
    expect(lodash?.security_advisory.ghsa_id).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    expect(lodash?.security_advisory.epss?.percentile).toBe(1);
    expect(lodash).not.toHaveProperty('repository');
    const fixed = data.find((a) => a.number === 3);
    expect(fixed).toMatchObject({ state: 'fixed', fixed_at: fixed?.updated_at });
  });

  it('answers 403 for a repository with Dependabot alerts disabled, and leaves it out of the org list', async () => {
    const e = await failure(octokit.rest.dependabot.listAlertsForRepo({ owner: 'acme', repo: 'payments' }));
    expect(e.status).toBe(403);
    expect(e.message).toContain('Dependabot alerts are disabled for this repository.');
    expect((e.response?.data as { documentation_url: string }).documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
    const all = await octokit.paginate(octokit.rest.dependabot.listAlertsForOrg, { org: 'acme', per_page: 100 });
    expect(all.some((a) => a.repository.full_name === SMALL_FACTS.disabledRepo)).toBe(false);
  });

  it('lists repositories with page-number Links and reports which have Dependabot updates disabled', async () => {
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: 'acme', per_page: 3 });
    expect(repos.map((r) => r.full_name).sort()).toEqual(['acme/api', 'acme/billing', 'acme/payments', 'acme/web']);
    expect(repos.find((r) => r.name === 'payments')?.security_and_analysis?.dependabot_security_updates?.status).toBe('disabled');
    const first = await octokit.rest.repos.listForOrg({ org: 'acme', per_page: 3 });
    expect(first.headers.link).toBe(`<${fake.url}/organizations/9100001/repos?per_page=3&page=2>; rel="next", <${fake.url}/organizations/9100001/repos?per_page=3&page=2>; rel="last"`);
  });

  it('filters by state and severity, and sorts by updated', async () => {
    const open = await octokit.paginate(octokit.rest.dependabot.listAlertsForOrg, { org: 'acme', state: 'open', severity: 'high,critical', per_page: 100 });
    expect(open).toHaveLength(SMALL_EXPECTED.github.openAlertsBySeverity.high + SMALL_EXPECTED.github.openAlertsBySeverity.critical);
    const closed = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', state: 'fixed,dismissed', sort: 'updated', direction: 'asc' });
    expect(closed.data.map((a) => [a.repository.name, a.number, a.state])).toEqual([['api', 3, 'fixed'], ['web', 3, 'fixed'], ['billing', 3, 'dismissed']]);
  });

  it('reflects updateAlert: state, fixed_at and a later updated_at, first in sort=updated', async () => {
    const before = await octokit.rest.dependabot.getAlert({ owner: 'acme', repo: 'api', alert_number: 1 });
    fake.updateAlert('acme/api', 1, { state: 'fixed', at: '2026-11-02T10:00:00Z' });
    const { data } = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', sort: 'updated', per_page: 1 });
    expect(data[0]).toMatchObject({ number: 1, state: 'fixed', fixed_at: '2026-11-02T10:00:00Z', updated_at: '2026-11-02T10:00:00Z', repository: { full_name: 'acme/api' } });
    expect(before.data.updated_at < '2026-11-02T10:00:00Z').toBe(true);
  });

  it('answers 304 to a matching If-None-Match, which octokit throws as RequestError 304, and not after a change', async () => {
    const first = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', per_page: 100 });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const e = await failure(octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', per_page: 100, headers: { 'if-none-match': etag } }));
    expect(e.status).toBe(304);
    expect(e.response?.headers['x-ratelimit-used']).toBe('1');
    fake.updateAlert('api', 2, { state: 'dismissed', dismissedReason: 'not_used' });
    const again = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', per_page: 100, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    expect(again.headers.etag).not.toBe(etag);
  });

  it('caps per_page at 100 without an error and rejects page-number pagination with 400', async () => {
    const big = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', per_page: 500 });
    expect(big.data).toHaveLength(12);
    const e = await failure(octokit.request('GET /orgs/{org}/dependabot/alerts', { org: 'acme', page: 2 }));
    expect(e.status).toBe(400);
    expect(e.message).toContain('Pagination using the `page` parameter is not supported.');
  });

  it('walks back with the before cursor of the prev link', async () => {
    const page1 = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme', per_page: 5 });
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.link ?? '')?.[1] as string;
    const page2 = await octokit.request(`GET ${next}`);
    const prev = /<([^>]+)>; rel="prev"/.exec(page2.headers.link ?? '')?.[1] as string;
    expect(prev).toContain('before=');
    const back = await octokit.request(`GET ${prev}`);
    expect((back.data as { number: number }[]).map((a) => a.number)).toEqual(page1.data.map((a) => a.number));
  });

  it('requires the token', async () => {
    const anonymous = new Octokit({ baseUrl: fake.url, request: { retries: 0 }, log: quiet });
    const e = await failure(anonymous.rest.dependabot.listAlertsForOrg({ org: 'acme' }));
    expect(e.status).toBe(401);
    expect(e.message).toContain('Bad credentials');
  });
});

describe('GitHub fake: limits and faults', () => {
  let fake: FakeGithub;
  let octokit: Octokit;
  beforeEach(async () => {
    fake = await startFakeGithub(buildPopulation({ repos: 5, alertsPerRepo: 50, dependabotDisabledRepos: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 0, missingPerInstance: 0 }));
    octokit = client(fake);
  });
  afterEach(() => fake.close());

  it('pages 250 alerts in exactly ceil(250/100) requests with no duplicate and none missing', async () => {
    const alerts = await octokit.paginate(octokit.rest.dependabot.listAlertsForOrg, { org: 'acme', per_page: 100 });
    expect(alerts).toHaveLength(250);
    expect(new Set(alerts.map((a) => `${a.repository.name}#${a.number}`)).size).toBe(250);
    expect(alertPages(fake)).toBe(3);
    expect(fake.requests.map((r) => r.page)).toEqual([1, 2, 3]);
    const created = alerts.map((a) => a.created_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('fails only the K-th page with a 5xx, once', async () => {
    fake.knobs.failNext({ status: 502, operation: 'dependabot/list-alerts-for-org', page: 2 });
    const e = await failure(octokit.paginate(octokit.rest.dependabot.listAlertsForOrg, { org: 'acme', per_page: 100 }));
    expect(e.status).toBe(502);
    const second = fake.requests[1];
    expect(second).toMatchObject({ page: 2, status: 502 });
    const retried = await octokit.request(`GET ${fake.url}${second?.path}?${new URLSearchParams(second?.query).toString()}`);
    expect(retried.status).toBe(200);
    expect(fake.knobs.counters.failed).toBe(1);
  });

  it('answers a secondary limit with 403 or 429 and retry-after', async () => {
    fake.knobs.failNext({ throttle: true, retryAfter: 7 });
    fake.knobs.failNext({ throttle: true, status: 429, retryAfter: 3 });
    const a = await failure(octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' }));
    expect([a.status, a.response?.headers['retry-after']]).toEqual([403, '7']);
    expect(a.message).toContain('secondary rate limit');
    const b = await failure(octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' }));
    expect([b.status, b.response?.headers['retry-after']]).toEqual([429, '3']);
    expect(Number(b.response?.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
  });

  it('refuses with remaining 0 and the reset time once the primary limit is spent', async () => {
    fake.knobs.setRateLimit({ limit: 3 });
    await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' });
    const last = await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' });
    expect(last.headers['x-ratelimit-remaining']).toBe('1');
    await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' });
    const e = await failure(octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' }));
    expect(e.status).toBe(403);
    expect(e.message).toContain('API rate limit exceeded');
    expect(e.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(e.response?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    fake.knobs.exhaustRateLimit({ resetInSeconds: 0 });
    expect((await octokit.rest.dependabot.listAlertsForOrg({ org: 'acme' })).status).toBe(200);
  });

  it('stays down until recovered', async () => {
    fake.knobs.staysDown({ status: 503 });
    for (let i = 0; i < 3; i += 1) expect((await failure(octokit.rest.repos.listForOrg({ org: 'acme' }))).status).toBe(503);
    fake.knobs.recover();
    expect((await octokit.rest.repos.listForOrg({ org: 'acme' })).data).toHaveLength(5);
    expect(fake.knobs.counters).toMatchObject({ requests: 4, failed: 3 });
  });
});

describe('GitHub fake: pull requests and checks', () => {
  let fake: FakeGithub;
  let octokit: Octokit;
  beforeEach(async () => {
    fake = await startFakeGithub(small());
    octokit = client(fake);
  });
  afterEach(() => fake.close());

  it('lists Dependabot pull requests and merges a green one, which fixes its alert', async () => {
    const open = await octokit.paginate(octokit.rest.pulls.list, { owner: 'acme', repo: 'api', state: 'open' });
    expect(open.map((p) => [p.number, p.title, p.user?.login])).toEqual([[1, expect.stringMatching(/^Bump lodash from /), 'dependabot[bot]']]);
    const pr = await octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1 });
    expect(pr.data).toMatchObject({ mergeable: true, mergeable_state: 'clean', merged: false });
    const status = await octokit.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'api', ref: pr.data.head.sha });
    expect([status.data.state, status.data.total_count]).toEqual(['success', 1]);
    const runs = await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'api', ref: pr.data.head.sha });
    expect(runs.data.check_runs[0]).toMatchObject({ status: 'completed', conclusion: 'success', head_sha: pr.data.head.sha });
    const merged = await octokit.rest.pulls.merge({ owner: 'acme', repo: 'api', pull_number: 1, sha: pr.data.head.sha, merge_method: 'squash' });
    expect(merged.data).toEqual({ sha: expect.stringMatching(/^[0-9a-f]{40}$/), merged: true, message: 'Pull Request successfully merged' });
    const alert = await octokit.rest.dependabot.getAlert({ owner: 'acme', repo: 'api', alert_number: 1 });
    expect(alert.data.state).toBe('fixed');
    expect((await octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1 })).data).toMatchObject({ merged: true, state: 'closed' });
  });

  it('gives a pull request a new ETag when its checks change', async () => {
    const first = await octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1 });
    const etag = first.headers.etag as string;
    expect((await failure(octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1, headers: { 'if-none-match': etag } }))).status).toBe(304);
    fake.knobs.setChecks('api', 1, 'failure');
    const changed = await octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1, headers: { 'if-none-match': etag } });
    expect([changed.status, changed.data.mergeable_state]).toEqual([200, 'unstable']);
  });

  it('answers 405 when not mergeable or checks fail, 409 when the head moved', async () => {
    const failing = await failure(octokit.rest.pulls.merge({ owner: 'acme', repo: 'web', pull_number: 2 }));
    expect([failing.status, failing.message]).toEqual([405, expect.stringContaining('Required status check "build" is failing.')]);
    fake.knobs.setMergeable('acme/billing', 1, false);
    expect((await failure(octokit.rest.pulls.merge({ owner: 'acme', repo: 'billing', pull_number: 1 }))).status).toBe(405);
    const oldSha = (await octokit.rest.pulls.get({ owner: 'acme', repo: 'api', pull_number: 1 })).data.head.sha;
    fake.knobs.pushCommit('api', 1);
    const moved = await failure(octokit.rest.pulls.merge({ owner: 'acme', repo: 'api', pull_number: 1, sha: oldSha }));
    expect([moved.status, moved.message]).toEqual([409, expect.stringContaining('Head branch was modified')]);
    const merged = await octokit.rest.pulls.list({ owner: 'acme', repo: 'web', state: 'closed' });
    expect(merged.data.map((p) => [p.number, p.merged_at !== null])).toEqual([[1, true]]);
  });
});

describe('GitHub fake: benchmark population', () => {
  // A bare fetch loop follows the Link headers here: octokit parses each ~600 kB page with json-with-bigint,
  // which would make this check of the fake's completeness at scale take several times longer.
  it('serves 50,000 alerts over 1,000 repositories in 500 pages, each exactly once', async () => {
    const population = buildPopulation({ seed: 42, repos: 1000, alerts: 50_000, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 0, missingPerInstance: 0 });
    const fake = await startFakeGithub(population);
    try {
      const seen = new Set<string>();
      let url: string | null = `${fake.url}/orgs/acme/dependabot/alerts?per_page=100`;
      while (url) {
        const res: Response = await fetch(url);
        for (const a of (await res.json()) as { number: number; repository: { id: number } }[]) seen.add(`${a.repository.id}#${a.number}`);
        url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      }
      expect(seen.size).toBe(countsOf(population).github.alerts);
      expect(seen.size).toBe(50_000);
      expect(alertPages(fake)).toBe(500);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
