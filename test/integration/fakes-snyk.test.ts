/** The Snyk fake, driven by the real axios client: JSON:API bodies, version and limit rules, links.next, 429. */
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { buildPopulation } from '../support/population/build-population.js';
import { countsOf } from '../support/population/counts.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { Population } from '../support/population/types.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';

const VERSION = '2024-10-15';
interface Doc { jsonapi: { version: string }; data: { id: string; type: string; attributes: Record<string, unknown>; relationships: Record<string, { data: { id: string; type: string } }>; meta?: Record<string, unknown> }[]; links: { next?: string; prev?: string; self: string; first: string } }
interface ErrorDoc { jsonapi: { version: string }; errors: { status: string; detail: string; source?: { parameter?: string } }[] }

const client = (fake: FakeSnyk, token = 'snyk-test-token'): AxiosInstance => axios.create({ baseURL: fake.url, headers: { Authorization: `token ${token}` } });

async function rejection(p: Promise<unknown>): Promise<AxiosResponse<ErrorDoc>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AxiosError && e.response) return e.response as AxiosResponse<ErrorDoc>;
    throw e;
  }
  throw new Error('expected the request to fail');
}

/** Follows links.next from the first page; returns every item and the number of requests made. */
async function walk(http: AxiosInstance, first: string): Promise<{ items: Doc['data']; pages: number }> {
  const items: Doc['data'] = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const res: AxiosResponse<Doc> = await http.get<Doc>(next);
    items.push(...res.data.data);
    pages += 1;
    next = res.data.links.next;
  }
  return { items, pages };
}

describe('Snyk fake: small population', () => {
  let population: Population;
  let fake: FakeSnyk;
  let http: AxiosInstance;
  beforeEach(async () => {
    population = small();
    fake = await startFakeSnyk(population, { token: 'snyk-test-token' });
    http = client(fake);
  });
  afterEach(() => fake.close());

  it('serves issues as JSON:API with the version and request-id headers', async () => {
    const res = await http.get<Doc>(`/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION, limit: 10 } });
    expect(res.headers['content-type']).toBe('application/vnd.api+json');
    expect(res.headers['snyk-version-requested']).toBe(VERSION);
    expect(res.headers['snyk-version-served']).toBe('2024-10-15');
    expect(res.headers['snyk-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.data.jsonapi).toEqual({ version: '1.0' });
    expect(res.data.data).toHaveLength(SMALL_EXPECTED.snyk.issues);
    expect(res.data.links.next).toBeUndefined();
    const lodash = res.data.data.find((i) => (i.attributes.problems as { id: string }[]).some((p) => p.id === SMALL_FACTS.overlaps[0].cve));
    const project = population.snyk.projects.find((p) => p.name === SMALL_FACTS.overlaps[0].snykProject);
    expect(lodash).toMatchObject({
      type: 'issue',
      attributes: {
        type: 'package_vulnerability', status: 'open', effective_severity_level: 'critical', ignored: false, title: 'Prototype Pollution',
        key: expect.stringMatching(/^SNYK-JS-LODASH-\d+$/),
        problems: [{ source: 'SNYK', type: 'vulnerability' }, { id: 'CVE-2019-20000', source: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2019-20000' }],
        coordinates: [{ is_upgradeable: true, representations: [{ dependency: { package_name: 'lodash', package_version: expect.stringMatching(/^\d+\.\d+\.\d+$/) } }] }],
      },
      relationships: { scan_item: { data: { id: project?.id, type: 'project' } }, organization: { data: { id: population.snyk.orgId, type: 'organization' } } },
    });
    const resolved = res.data.data.filter((i) => i.attributes.status === 'resolved');
    expect(resolved).toHaveLength(SMALL_EXPECTED.snyk.resolvedIssues);
    expect(resolved[0]?.attributes.resolution).toMatchObject({ type: 'fixed', resolved_at: expect.stringMatching(/Z$/) });
  });

  it('answers 400 with a JSON:API error naming the parameter when version is missing or malformed', async () => {
    const missing = await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/issues`));
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toBe('application/vnd.api+json');
    expect(missing.data).toEqual({ jsonapi: { version: '1.0' }, errors: [expect.objectContaining({ status: '400', detail: expect.stringContaining('version'), source: { parameter: 'version' } })] });
    const malformed = await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: '2024-13-45x' } }));
    expect([malformed.status, malformed.data.errors[0]?.source]).toEqual([400, { parameter: 'version' }]);
    const tooOld = await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: '2021-01-01' } }));
    expect(tooOld.status).toBe(404);
    const beta = await http.get(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: '2025-12-01~beta' } });
    expect([beta.headers['snyk-version-served'], beta.headers['snyk-version-lifecycle-stage']]).toEqual(['2025-11-05~beta', 'beta']);
  });

  it('answers 401 without a token', async () => {
    const res = await rejection(axios.get(`${fake.url}/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION } }));
    expect(res.status).toBe(401);
    expect(res.data.errors[0]?.status).toBe('401');
    expect((await rejection(client(fake, 'wrong').get(`/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION } }))).status).toBe(401);
  });

  it.each([['5'], ['15'], ['110'], ['abc']])('rejects limit=%s with 400 on the limit parameter', async (limit) => {
    const res = await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION, limit } }));
    expect([res.status, res.data.errors[0]?.source]).toEqual([400, { parameter: 'limit' }]);
  });

  it('filters issues by scan item, status, severity and updated_after', async () => {
    const project = population.snyk.projects.find((p) => p.name === SMALL_FACTS.overlaps[0].snykProject);
    const org = population.snyk.orgId;
    const byProject = await http.get<Doc>(`/rest/orgs/${org}/issues`, { params: { version: VERSION, 'scan_item.id': project?.id, 'scan_item.type': 'project' } });
    expect(byProject.data.data.map((i) => i.attributes.key)).toHaveLength(2);
    const half = await rejection(http.get(`/rest/orgs/${org}/issues`, { params: { version: VERSION, 'scan_item.id': project?.id } }));
    expect(half.data.errors[0]?.source).toEqual({ parameter: 'scan_item.type' });
    const resolved = await http.get<Doc>(`/rest/orgs/${org}/issues`, { params: { version: VERSION, status: 'resolved' } });
    expect(resolved.data.data).toHaveLength(1);
    const severe = await http.get<Doc>(`/rest/orgs/${org}/issues`, { params: { version: VERSION, effective_severity_level: 'critical,high', status: 'open' } });
    expect(severe.data.data.every((i) => ['critical', 'high'].includes(i.attributes.effective_severity_level as string))).toBe(true);
    const latest = population.snyk.issues.map((i) => i.updatedAt).sort().at(-2) as string;
    const recent = await http.get<Doc>(`/rest/orgs/${org}/issues`, { params: { version: VERSION, updated_after: latest } });
    expect(recent.data.data).toHaveLength(1);
  });

  it('reflects a resolved issue and a new test time', async () => {
    const issue = population.snyk.issues[0];
    fake.resolveIssue(issue?.id ?? '', '2026-11-03T12:00:00.000Z');
    const one = await http.get<{ data: Doc['data'][number] }>(`/rest/orgs/${population.snyk.orgId}/issues/${issue?.id ?? ''}`, { params: { version: VERSION } });
    expect(one.data.data.attributes).toMatchObject({ status: 'resolved', updated_at: '2026-11-03T12:00:00.000Z', resolution: { type: 'fixed', resolved_at: '2026-11-03T12:00:00.000Z' } });
    fake.setLastTested(SMALL_FACTS.staleSnykProject, '2026-11-03T08:00:00.000Z');
    const projects = await http.get<Doc>(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: VERSION, names: SMALL_FACTS.staleSnykProject, 'meta.latest_issue_counts': true } });
    expect(projects.data.data[0]?.meta).toEqual({ latest_issue_counts: { critical: 1, high: 0, medium: 0, low: 0, updated_at: '2026-11-03T08:00:00.000Z' } });
  });

  it('serves projects with origin, target file and, on request, the latest issue counts with the last test time', async () => {
    const res = await http.get<Doc>(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: VERSION, limit: 100, 'meta.latest_issue_counts': 'true' } });
    expect(res.data.data.map((p) => [p.attributes.name, p.attributes.origin, p.attributes.type, p.attributes.target_file])).toEqual([
      ['acme/api:package.json', 'github', 'npm', 'package.json'],
      ['acme/web:requirements.txt', 'github', 'pip', 'requirements.txt'],
      ['acme/billing:package.json', 'github', 'npm', 'package.json'],
      ['acme/payments:pom.xml', 'github', 'maven', 'pom.xml'],
    ]);
    expect(res.data.data[0]?.meta).toEqual({ latest_issue_counts: { critical: 1, high: 0, medium: 1, low: 0, updated_at: '2026-11-01T08:00:00.000Z' } });
    const plain = await http.get<Doc>(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: VERSION } });
    expect(plain.data.data[0]).not.toHaveProperty('meta');
  });

  it('answers 429 with retry-after, and 5xx, on demand', async () => {
    fake.knobs.failNext({ throttle: true, retryAfter: 30 });
    const throttled = await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION } }));
    expect([throttled.status, throttled.headers['retry-after'], throttled.data.errors[0]?.status]).toEqual([429, '30', '429']);
    fake.knobs.failNext({ status: 503, operation: 'projects/list' });
    expect((await http.get(`/rest/orgs/${population.snyk.orgId}/issues`, { params: { version: VERSION } })).status).toBe(200);
    expect((await rejection(http.get(`/rest/orgs/${population.snyk.orgId}/projects`, { params: { version: VERSION } }))).status).toBe(503);
    expect(fake.requests.map((r) => [r.operation, r.status])).toEqual([['issues/list', 429], ['issues/list', 200], ['projects/list', 503]]);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('Snyk fake: pagination', () => {
  const population = buildPopulation({ repos: 10, alertsPerRepo: 5, snykProjects: 12, snykIssues: 95, cveOverlap: 4, instances: 0, missingPerInstance: 0 });
  const org = population.snyk.orgId;
  let fake: FakeSnyk;
  afterEach(() => fake.close());

  it('walks links.next (/rest/orgs/...) to every issue exactly once in ceil(n/limit) requests', async () => {
    fake = await startFakeSnyk(population);
    const http = client(fake);
    const { items, pages } = await walk(http, `/rest/orgs/${org}/issues?version=${VERSION}&limit=20`);
    expect(items).toHaveLength(95);
    expect(new Set(items.map((i) => i.id)).size).toBe(95);
    expect(pages).toBe(5);
    expect(fake.requests.map((r) => r.page)).toEqual([1, 2, 3, 4, 5]);
    expect(fake.requests[1]?.query).toMatchObject({ version: VERSION, limit: '20', starting_after: expect.stringMatching(/^v1\./) });
    const second = await http.get<Doc>(fake.requests[1]?.path ?? '', { params: fake.requests[1]?.query });
    expect(second.data.links.next).toMatch(new RegExp(`^/rest/orgs/${org}/issues\\?version=${VERSION}&limit=20&starting_after=v1\\.`));
    const back = await http.get<Doc>(second.data.links.prev ?? '');
    expect(back.data.data.map((i) => i.id)).toEqual(items.slice(0, 20).map((i) => i.id));
  });

  it('gives /orgs/... links with linkStyle bare, and a 429 on the K-th page only', async () => {
    fake = await startFakeSnyk(population, { linkStyle: 'bare' });
    const http = client(fake);
    fake.knobs.failNext({ throttle: true, page: 3 });
    const first = await http.get<Doc>(`/rest/orgs/${org}/issues`, { params: { version: VERSION, limit: 40 } });
    expect(first.data.links.next).toMatch(new RegExp(`^/orgs/${org}/issues\\?`));
    const second = await http.get<Doc>(`/rest${first.data.links.next ?? ''}`);
    const third = await rejection(http.get(`/rest${second.data.links.next ?? ''}`));
    expect(third.status).toBe(429);
    const retried = await http.get<Doc>(`/rest${second.data.links.next ?? ''}`);
    expect(retried.data.data).toHaveLength(15);
    expect(retried.data.links.next).toBeUndefined();
  });

  it('serves the benchmark population: 20,000 issues in 200 pages of 100', async () => {
    const big = buildPopulation({ seed: 42, repos: 1000, alerts: 50_000, snykProjects: 1100, snykIssues: 20_000, cveOverlap: 2000, instances: 0, missingPerInstance: 0 });
    fake = await startFakeSnyk(big);
    const { items, pages } = await walk(client(fake), `/rest/orgs/${big.snyk.orgId}/issues?version=${VERSION}&limit=100`);
    expect(items).toHaveLength(countsOf(big).snyk.issues);
    expect(pages).toBe(200);
    expect(items.filter((i) => i.attributes.status === 'open')).toHaveLength(countsOf(big).snyk.openIssues);
  }, 60_000);
});
