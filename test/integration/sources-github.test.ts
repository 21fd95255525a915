/** The GitHub source with the real @octokit/rest against the GitHub fake: mapping, budget, increments, faults. */
import { ExternalServiceError } from '../../src/app/errors.js';
import type { VulnerabilitySource } from '../../src/app/ports.js';
import { createSources } from '../../src/sources/create-sources.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { buildPopulation } from '../support/population/build-population.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { Population } from '../support/population/types.js';
import { captureLogger, configFrom, drain, latest, memoryKv, recordingSleep, rejectionOf, TEST_RETRY, type Sleeper } from './sources-support.js';

const TOKEN = 'gh-test-token-5f0c2a9e';
const NOW = new Date('2026-11-01T09:00:00.000Z');
const HOUR = 3_600_000;

interface Setup { fake: FakeGithub; source: VulnerabilitySource; sleeper: Sleeper; logs: () => string }

async function setup(population: Population, opts: { fetch?: typeof fetch; onSleep?: (ms: number) => void } = {}): Promise<Setup> {
  const fake = await startFakeGithub(population, { token: TOKEN });
  const sleeper = recordingSleep(opts.onSleep);
  const { logger, text } = captureLogger();
  const config = configFrom({ GITHUB_TOKEN: TOKEN, GITHUB_ORG: 'acme', GITHUB_API_URL: fake.url });
  const { sources } = createSources(config, { kv: memoryKv(), logger, sleep: sleeper.sleep, clientOverrides: { retry: TEST_RETRY, ...(opts.fetch ? { githubFetch: opts.fetch } : {}) } });
  const source = sources.find((s) => s.name === 'github');
  if (!source) throw new Error('no github source');
  return { fake, source, sleeper, logs: text };
}

const byOperation = (fake: FakeGithub, operation: string) => fake.requests.filter((r) => r.operation === operation);
const alertPages = (fake: FakeGithub) => byOperation(fake, 'dependabot/list-alerts-for-org');
const fiveRepos = (alertsPerRepo: number): Population => buildPopulation({ repos: 5, alertsPerRepo, dependabotDisabledRepos: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 0, missingPerInstance: 0 });

describe('GitHub source: the small population', () => {
  let s: Setup;
  beforeEach(async () => (s = await setup(small())));
  afterEach(() => s.fake.close());

  it('maps every repository and every alert, in every state, to exactly what the population holds', async () => {
    const out = await drain(s.source.run(null, NOW));
    const assets = latest(out.assets);
    expect(assets.size).toBe(SMALL_EXPECTED.github.repos);
    expect([...assets.values()].filter((a) => a.attributes.dependabotDisabled === true).map((a) => a.name)).toEqual([SMALL_FACTS.disabledRepo]);
    expect(assets.get('github:acme/api')).toEqual({
      id: 'github:acme/api', kind: 'repository', name: 'acme/api', source: 'github', environment: null, owner: null, inScope: true,
      lastSeenAt: NOW.toISOString(), lastScannedAt: NOW.toISOString(), attributes: { archived: false, defaultBranch: 'main', dependabotDisabled: false },
    });
    expect(assets.get(`github:${SMALL_FACTS.disabledRepo}`)?.lastScannedAt).toBeNull();

    expect(out.findings).toHaveLength(SMALL_EXPECTED.github.alerts);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(SMALL_EXPECTED.github.alerts);
    const states = { open: 0, fixed: 0, dismissed: 0 };
    for (const f of out.findings) states[f.state] += 1;
    const { open, fixed, dismissed, auto_dismissed } = SMALL_EXPECTED.github.alertsByState;
    expect(states).toEqual({ open, fixed, dismissed: dismissed + auto_dismissed });
    const severities = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const f of out.findings.filter((x) => x.state === 'open')) severities[f.severity] += 1;
    expect(severities).toEqual(SMALL_EXPECTED.github.openAlertsBySeverity);
    for (const f of out.findings) expect(assets.has(f.assetId)).toBe(true);

    const [overlap] = SMALL_FACTS.overlaps;
    const lodash = out.findings.find((f) => f.id === `github:${overlap.repo}:alert:${overlap.alertNumber}`);
    expect(lodash).toMatchObject({
      source: 'github', assetId: 'github:acme/api', package: overlap.package, ecosystem: 'npm', cves: [overlap.cve], severity: 'critical', state: 'open',
      fixedIn: expect.stringMatching(/^\d+\.\d+\.\d+$/), ghsas: [expect.stringMatching(/^GHSA-/)], url: 'https://github.com/acme/api/security/dependabot/1',
      detectedAt: '2025-11-29T10:50:46.000Z', fixedAt: null, dismissedAt: null, kevDueAt: null, remediationId: null,
    });
    expect(lodash?.cvss).toBeGreaterThan(0);
    expect(lodash?.epss).toBeGreaterThan(0);
    const fixedOne = out.findings.find((f) => f.state === 'fixed');
    expect(fixedOne?.fixedAt).toEqual(expect.any(String));
    for (const f of out.findings.filter((x) => x.state === 'dismissed')) expect(f.dismissedAt).toEqual(expect.any(String));
  });

  it('asks for every state, newest-updated first, 100 a page, and probes only the repository without alerts', async () => {
    await drain(s.source.run(null, NOW));
    expect(alertPages(s.fake).map((r) => r.query)).toEqual([{ state: 'auto_dismissed,dismissed,fixed,open', sort: 'updated', direction: 'desc', per_page: '100' }]);
    expect(byOperation(s.fake, 'repos/list-for-org')).toHaveLength(1);
    expect(byOperation(s.fake, 'dependabot/list-alerts-for-repo').map((r) => [r.path, r.query, r.status])).toEqual([['/repos/acme/payments/dependabot/alerts', { per_page: '1' }, 403]]);
  });

  it('re-syncs an unchanged organisation with one conditional request answered 304 and no probe', async () => {
    const first = await drain(s.source.run(null, NOW));
    s.fake.requests.length = 0;
    const second = await drain(s.source.run(first.cursor, new Date(NOW.getTime() + HOUR)));
    expect(alertPages(s.fake).map((r) => [r.status, r.headers['if-none-match']])).toEqual([[304, (first.cursor as { etag: string }).etag]]);
    expect(byOperation(s.fake, 'dependabot/list-alerts-for-repo')).toHaveLength(0);
    expect(second.findings).toHaveLength(0);
    expect(latest(second.assets).get(`github:${SMALL_FACTS.disabledRepo}`)?.attributes.dependabotDisabled).toBe(true);
    expect(second.cursor).toEqual(first.cursor);
  });

  it('returns an alert flipped to fixed on the next run, and only what changed', async () => {
    const first = await drain(s.source.run(null, NOW));
    s.fake.updateAlert('acme/api', 1, { state: 'fixed', at: '2026-11-01T10:00:00Z' });
    s.fake.requests.length = 0;
    const second = await drain(s.source.run(first.cursor, new Date(NOW.getTime() + 2 * HOUR)));
    expect(second.findings.map((f) => [f.id, f.state, f.fixedAt])).toEqual([['github:acme/api:alert:1', 'fixed', '2026-11-01T10:00:00.000Z']]);
    expect(alertPages(s.fake)).toHaveLength(1);
    expect((second.cursor as { highWater: string }).highWater).toBe('2026-11-01T10:00:00.000Z');
    s.fake.requests.length = 0;
    const third = await drain(s.source.run(second.cursor, new Date(NOW.getTime() + 3 * HOUR)));
    expect([third.findings.length, alertPages(s.fake)[0]?.status]).toEqual([0, 304]);
  });

  it('probes again after a day, and notices alerts switched back on', async () => {
    const first = await drain(s.source.run(null, NOW));
    s.fake.setDependabotAlerts(SMALL_FACTS.disabledRepo, true);
    s.fake.requests.length = 0;
    const later = await drain(s.source.run(first.cursor, new Date(NOW.getTime() + 25 * HOUR)));
    expect(byOperation(s.fake, 'dependabot/list-alerts-for-repo').map((r) => r.status)).toEqual([200]);
    expect(later.assets.filter((a) => a.name === SMALL_FACTS.disabledRepo).map((a) => a.attributes.dependabotDisabled)).toEqual([true, false]);
  });

  it('never writes the token to the logs', async () => {
    s.fake.knobs.failNext({ status: 500 });
    await drain(s.source.run(null, NOW));
    s.fake.knobs.staysDown({ status: 401 });
    await rejectionOf(drain(s.source.run(null, NOW)));
    expect(s.logs()).toContain('retrying');
    expect(s.logs()).not.toContain(TOKEN);
  });
});

describe('GitHub source: pagination and faults (250 alerts over 5 repositories)', () => {
  let s: Setup;
  beforeEach(async () => (s = await setup(fiveRepos(50))));
  afterEach(() => s.fake.close());

  it('reads 250 alerts in exactly ceil(250/100) = 3 alert-page requests, each alert once', async () => {
    const out = await drain(s.source.run(null, NOW));
    expect(out.findings).toHaveLength(250);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(250);
    expect(alertPages(s.fake).map((r) => r.page)).toEqual([1, 2, 3]);
    expect(s.fake.requests.map((r) => r.operation)).toEqual(['repos/list-for-org', 'dependabot/list-alerts-for-org', 'dependabot/list-alerts-for-org', 'dependabot/list-alerts-for-org']);
  });

  it.each([
    ['a 500', { status: 500 }],
    ['a 429 with retry-after', { throttle: true, status: 429, retryAfter: 7 }],
    ['a 403 secondary limit with retry-after', { throttle: true, status: 403, retryAfter: 7 }],
  ])('retries %s in the middle of pagination: complete, nothing doubled', async (_name, failure) => {
    s.fake.knobs.failNext({ ...failure, operation: 'dependabot/list-alerts-for-org', page: 2 });
    const out = await drain(s.source.run(null, NOW));
    expect(out.findings).toHaveLength(250);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(250);
    expect(alertPages(s.fake).map((r) => [r.page, r.status])).toEqual([[1, 200], [2, (failure as { status: number }).status], [2, 200], [3, 200]]);
    expect(s.sleeper.sleeps).toHaveLength(1);
    if ('retryAfter' in failure) expect(s.sleeper.sleeps[0]).toBe(7000);
  });

  it('waits for the reset when the primary limit is spent, then goes on', async () => {
    await s.fake.close();
    s = await setup(fiveRepos(50), { onSleep: () => s.fake.knobs.setRateLimit({ remaining: 5000, resetInSeconds: 3600 }) });
    s.fake.knobs.setRateLimit({ limit: 5000, remaining: 2, resetInSeconds: 600 });
    const out = await drain(s.source.run(null, NOW));
    expect(out.findings).toHaveLength(250);
    expect(s.sleeper.sleeps).toHaveLength(1);
    expect(s.sleeper.sleeps[0]).toBeGreaterThan(500_000);
    expect(alertPages(s.fake).every((r) => r.status === 200)).toBe(true);
  });

  it('surfaces a GitHub that stays down as ExternalServiceError after a bounded number of attempts', async () => {
    s.fake.knobs.staysDown({ status: 503 });
    const e = await rejectionOf(drain(s.source.run(null, NOW)));
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e).toMatchObject({ service: 'github', status: 503, retryable: true });
    expect(e.message).toMatch(/^github: GET \/orgs\/acme\/repos answered 503/);
    expect(s.fake.requests).toHaveLength(TEST_RETRY.maxAttempts);
  });

  it('keeps the old cursor when a run fails half-way, so the next run reads everything again', async () => {
    s.fake.knobs.failNext({ status: 404, operation: 'dependabot/list-alerts-for-org', page: 2 });
    const run = s.source.run(null, NOW);
    await rejectionOf(drain(run));
    expect(run.cursor()).toMatchObject({ highWater: null, etag: null });
  });
});

describe('GitHub source: malformed responses', () => {
  it('refuses an alert page of the wrong shape with a clear message, and yields nothing of it', async () => {
    const corrupt: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/dependabot/alerts') || res.status !== 200) return res;
      const alerts = (await res.json()) as Record<string, unknown>[];
      alerts[3] = { ...alerts[3], number: 'four' };
      return new Response(JSON.stringify(alerts), { status: 200, headers: res.headers });
    };
    const s = await setup(small(), { fetch: corrupt });
    try {
      const run = s.source.run(null, NOW);
      const pages: unknown[] = [];
      const e = await rejectionOf((async () => { for await (const p of run.pages) pages.push(p); })());
      expect(e).toBeInstanceOf(ExternalServiceError);
      expect(e.message).toBe('github: malformed response to GET /orgs/acme/dependabot/alerts: [3].number: Invalid input: expected number, received string');
      expect(pages).toHaveLength(1);
    } finally {
      await s.fake.close();
    }
  });
});
