/** The Snyk source with real axios against the Snyk fake: projects and issues, the cross-source link, faults. */
import { ExternalServiceError } from '../../src/app/errors.js';
import type { VulnerabilitySource } from '../../src/app/ports.js';
import { targetOf } from '../../src/domain/grouping.js';
import { createSources } from '../../src/sources/create-sources.js';
import { startFakeGithub } from '../support/github/fake-github.js';
import { buildPopulation } from '../support/population/build-population.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { Population } from '../support/population/types.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { captureLogger, configFrom, drain, fixedServer, latest, memoryKv, recordingSleep, rejectionOf, TEST_RETRY, type Sleeper } from './sources-support.js';

const TOKEN = 'snyk-test-token-8c1d04';
const NOW = new Date('2026-11-01T09:00:00.000Z');
const ORG = '3f1a6c2e-5b7d-4c1e-9a0b-2d4e6f8a1c3e';

interface Setup { source: VulnerabilitySource; sleeper: Sleeper; logs: () => string }

function snykSource(apiUrl: string, env: Record<string, string> = {}): Setup {
  const sleeper = recordingSleep();
  const { logger, text } = captureLogger();
  const config = configFrom({ SNYK_TOKEN: TOKEN, SNYK_ORG_ID: ORG, SNYK_API_URL: apiUrl, ...env });
  const { sources } = createSources(config, { kv: memoryKv(), logger, sleep: sleeper.sleep, clientOverrides: { retry: TEST_RETRY } });
  const source = sources.find((s) => s.name === 'snyk');
  if (!source) throw new Error('no snyk source');
  return { source, sleeper, logs: text };
}

const issuePages = (fake: FakeSnyk) => fake.requests.filter((r) => r.operation === 'issues/list');
const manyIssues = (issues: number): Population => buildPopulation({ repos: 4, alertsPerRepo: 2, snykProjects: 4, snykIssues: issues, cveOverlap: 0, instances: 0, missingPerInstance: 0 });

describe('Snyk source: the small population', () => {
  let population: Population;
  let fake: FakeSnyk;
  let s: Setup;
  beforeEach(async () => {
    population = small();
    fake = await startFakeSnyk(population, { token: TOKEN });
    s = snykSource(fake.url);
  });
  afterEach(() => fake.close());

  it('maps projects (with their repository and last test) and issues to exactly what the population holds', async () => {
    const out = await drain(s.source.run(null, NOW));
    const assets = latest(out.assets);
    expect(assets.size).toBe(SMALL_EXPECTED.snyk.projects);
    expect([...assets.values()].filter((a) => typeof a.attributes.repository === 'string')).toHaveLength(SMALL_EXPECTED.snyk.githubProjects);
    const api = [...assets.values()].find((a) => a.name === SMALL_FACTS.overlaps[0].snykProject);
    const project = population.snyk.projects.find((p) => p.name === SMALL_FACTS.overlaps[0].snykProject);
    expect(api).toEqual({
      id: `snyk:project:${project?.id ?? ''}`, kind: 'application', name: 'acme/api:package.json', source: 'snyk', environment: null, owner: null, inScope: true,
      lastSeenAt: NOW.toISOString(), lastScannedAt: '2026-11-01T08:00:00.000Z',
      attributes: { type: 'npm', targetFile: 'package.json', origin: 'github', status: 'active', lastTestedAt: '2026-11-01T08:00:00.000Z', repository: 'acme/api' },
    });
    const staleBefore = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
    expect([...assets.values()].filter((a) => (a.lastScannedAt ?? '') < staleBefore).map((a) => a.name)).toEqual([SMALL_FACTS.staleSnykProject]);

    expect(out.findings).toHaveLength(SMALL_EXPECTED.snyk.issues);
    expect(out.findings.filter((f) => f.state === 'open')).toHaveLength(SMALL_EXPECTED.snyk.openIssues);
    expect(out.findings.filter((f) => f.state === 'fixed')).toHaveLength(SMALL_EXPECTED.snyk.resolvedIssues);
    for (const f of out.findings) expect(assets.has(f.assetId)).toBe(true);
    const fixed = out.findings.find((f) => f.state === 'fixed');
    expect(fixed?.fixedAt).toEqual(expect.any(String));
    const lodash = out.findings.find((f) => f.cves.includes(SMALL_FACTS.overlaps[0].cve));
    expect(lodash).toMatchObject({ source: 'snyk', assetId: api?.id, package: 'lodash', ecosystem: 'npm', severity: 'critical', state: 'open', fixedIn: expect.stringMatching(/^\d+\.\d+\.\d+$/), url: expect.stringMatching(/^https:\/\/security\.snyk\.io\/vuln\/SNYK-/) });
    expect(issuePages(fake)[0]?.query).toEqual({ version: '2024-10-15', limit: '100', type: 'package_vulnerability' });
    expect(fake.requests.every((r) => r.query.version === '2024-10-15')).toBe(true);
  });

  it('meets Dependabot on the same repository: same target, same CVE, same package and fix', async () => {
    const gh = await startFakeGithub(population, { token: 'gh-x' });
    try {
      const { sources } = createSources(configFrom({ GITHUB_TOKEN: 'gh-x', GITHUB_ORG: 'acme', GITHUB_API_URL: gh.url, SNYK_TOKEN: TOKEN, SNYK_ORG_ID: ORG, SNYK_API_URL: fake.url }), { kv: memoryKv(), logger: captureLogger().logger });
      const [github, snyk] = await Promise.all(sources.map((src) => drain(src.run(null, NOW))));
      const assets = new Map([...(github?.assets ?? []), ...(snyk?.assets ?? [])].map((a) => [a.id, a]));
      for (const overlap of SMALL_FACTS.overlaps) {
        const alert = github?.findings.find((f) => f.id === `github:${overlap.repo}:alert:${overlap.alertNumber}`);
        const issue = snyk?.findings.find((f) => f.cves.includes(overlap.cve));
        const [a, b] = [assets.get(alert?.assetId ?? ''), assets.get(issue?.assetId ?? '')];
        if (!a || !b || !alert || !issue) throw new Error(`overlap ${overlap.repo} not found`);
        expect(targetOf(b)).toBe(targetOf(a));
        expect(targetOf(b)).toBe(`repo:${overlap.repo}`);
        expect([issue.package, issue.ecosystem, issue.fixedIn]).toEqual([alert.package, alert.ecosystem, alert.fixedIn]);
      }
    } finally {
      await gh.close();
    }
  });

  it('re-syncs with updated_after and yields nothing when nothing changed; a resolved issue comes back fixed', async () => {
    const first = await drain(s.source.run(null, NOW));
    fake.requests.length = 0;
    const second = await drain(s.source.run(first.cursor, NOW));
    expect(second.findings).toHaveLength(0);
    expect(issuePages(fake).map((r) => r.query.updated_after)).toEqual([expect.any(String)]);
    const open = population.snyk.issues.find((i) => i.status === 'open');
    fake.resolveIssue(open?.id ?? '', '2026-11-01T10:00:00.000Z');
    const third = await drain(s.source.run(second.cursor, NOW));
    expect(third.findings.map((f) => [f.id, f.state, f.fixedAt])).toEqual([[`snyk:${open?.id ?? ''}`, 'fixed', '2026-11-01T10:00:00.000Z']]);
    expect((await drain(s.source.run(third.cursor, NOW))).findings).toHaveLength(0);
  });

  it('never writes the token to the logs', async () => {
    fake.knobs.failNext({ status: 502 });
    await drain(s.source.run(null, NOW));
    fake.knobs.staysDown({ status: 500 });
    await rejectionOf(drain(s.source.run(null, NOW)));
    expect(s.logs()).toContain('retrying');
    expect(s.logs()).not.toContain(TOKEN);
  });
});

describe('Snyk source: pagination and faults (250 issues)', () => {
  let fake: FakeSnyk;
  let s: Setup;
  beforeEach(async () => {
    fake = await startFakeSnyk(manyIssues(250), { token: TOKEN });
    s = snykSource(fake.url);
  });
  afterEach(() => fake.close());

  it('reads 250 issues in 3 pages of 100 through links.next', async () => {
    const out = await drain(s.source.run(null, NOW));
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(250);
    expect(issuePages(fake).map((r) => [r.page, r.path])).toEqual([[1, `/rest/orgs/${ORG}/issues`], [2, `/rest/orgs/${ORG}/issues`], [3, `/rest/orgs/${ORG}/issues`]]);
  });

  it.each([
    ['a 500', { status: 500 }],
    ['a 429 with retry-after', { throttle: true, retryAfter: 4 }],
  ])('retries %s on page 2: complete, nothing doubled', async (_name, failure) => {
    fake.knobs.failNext({ ...failure, operation: 'issues/list', page: 2 });
    const out = await drain(s.source.run(null, NOW));
    expect(out.findings).toHaveLength(250);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(250);
    expect(issuePages(fake).map((r) => r.page)).toEqual([1, 2, 2, 3]);
    expect(s.sleeper.sleeps).toEqual('retryAfter' in failure ? [4000] : [expect.any(Number)]);
  });

  it('surfaces a Snyk that stays down as ExternalServiceError with Snyk’s own words', async () => {
    fake.knobs.staysDown({ status: 503 });
    const e = await rejectionOf(drain(s.source.run(null, NOW)));
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e.message).toBe(`snyk: GET /orgs/${ORG}/projects answered 503: The server could not handle the request.`);
    expect(fake.requests).toHaveLength(TEST_RETRY.maxAttempts);
  });

  it('does not retry a refusal (401) and says why', async () => {
    const wrong = snykSource(fake.url, { SNYK_TOKEN: 'wrong-token' });
    const e = await rejectionOf(drain(wrong.source.run(null, NOW)));
    expect(e).toMatchObject({ status: 401, retryable: false });
    expect(e.message).toContain('Authentication credentials were missing or invalid');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('Snyk source: link forms and malformed responses', () => {
  it('follows bare /orgs/... links as Snyk documents them', async () => {
    const fake = await startFakeSnyk(manyIssues(120), { token: TOKEN, linkStyle: 'bare' });
    try {
      const out = await drain(snykSource(fake.url).source.run(null, NOW));
      expect(out.findings).toHaveLength(120);
      expect(issuePages(fake).map((r) => r.path)).toEqual([`/rest/orgs/${ORG}/issues`, `/rest/orgs/${ORG}/issues`]);
    } finally {
      await fake.close();
    }
  });

  it('refuses a project list of the wrong shape with a clear message', async () => {
    const bad = await fixedServer(200, 'application/vnd.api+json', JSON.stringify({ jsonapi: { version: '1.0' }, data: [{ id: 'p1', type: 'project', attributes: { type: 'npm', origin: 'cli' } }], links: {} }));
    try {
      const e = await rejectionOf(drain(snykSource(bad.url).source.run(null, NOW)));
      expect(e).toBeInstanceOf(ExternalServiceError);
      expect(e.message).toBe(`snyk: malformed response to GET /orgs/${ORG}/projects: data[0].attributes.name: Invalid input: expected string, received undefined`);
    } finally {
      await bad.close();
    }
  });

  it('refuses to send the token to a host other than Snyk’s', async () => {
    const bad = await fixedServer(200, 'application/vnd.api+json', JSON.stringify({ data: [], links: { next: 'https://evil.example/rest/orgs/x/projects?starting_after=v1.e30' } }));
    try {
      const e = await rejectionOf(drain(snykSource(bad.url).source.run(null, NOW)));
      expect(e.message).toBe('snyk: refused to follow a link to another host ([host])');
    } finally {
      await bad.close();
    }
  });
});
