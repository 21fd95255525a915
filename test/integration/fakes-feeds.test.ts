/** The KEV and EPSS fakes, driven by axios: CISA's catalogue file with conditional GETs, FIRST's EPSS API with paging. */
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { startFakeEpss, type FakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { KevEntry, Population } from '../support/population/types.js';

interface Catalogue { title: string; catalogVersion: string; dateReleased: string; count: number; vulnerabilities: Record<string, unknown>[] }
interface EpssPage { status: string; 'status-code': number; version: string; access: string; total: number; offset: number; limit: number; data: { cve: string; epss: string; percentile: string; date: string }[] }

async function rejection(p: Promise<unknown>): Promise<AxiosResponse> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AxiosError && e.response) return e.response;
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('KEV fake', () => {
  let population: Population;
  let fake: FakeKev;
  beforeEach(async () => {
    population = small();
    fake = await startFakeKev(population);
  });
  afterEach(() => fake.close());

  it('serves the catalogue exactly as CISA publishes it', async () => {
    const res = await axios.get<Catalogue>(fake.feedUrl);
    expect(fake.feedUrl).toBe(`${fake.url}/sites/default/files/feeds/known_exploited_vulnerabilities.json`);
    expect(Object.keys(res.data)).toEqual(['title', 'catalogVersion', 'dateReleased', 'count', 'vulnerabilities']);
    expect(res.data).toMatchObject({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2026.11.01', dateReleased: '2026-11-01T09:00:00.0000Z', count: SMALL_EXPECTED.kev.entries });
    expect(res.data.vulnerabilities).toHaveLength(SMALL_EXPECTED.kev.entries);
    expect(Object.keys(res.data.vulnerabilities[0] ?? {})).toEqual(['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate', 'knownRansomwareCampaignUse', 'notes', 'cwes']);
    expect(res.data.vulnerabilities[0]).toMatchObject({ cveID: SMALL_FACTS.overlaps[0].cve, vendorProject: 'lodash', product: 'lodash', dateAdded: '2026-10-25', dueDate: '2026-11-15', knownRansomwareCampaignUse: 'Known', cwes: ['CWE-1321'] });
    expect(res.data.vulnerabilities.map((v) => v.cveID)).toContain(SMALL_FACTS.kevListedMissingPatch.cve);
    expect(res.headers['last-modified']).toBe('Sun, 01 Nov 2026 09:00:00 GMT');
  });

  it('answers 304 to If-None-Match and If-Modified-Since until a new version is published', async () => {
    const first = await axios.get<Catalogue>(fake.feedUrl);
    const etag = first.headers.etag as string;
    const byEtag = await axios.get(fake.feedUrl, { headers: { 'If-None-Match': etag }, validateStatus: () => true });
    expect([byEtag.status, byEtag.data]).toEqual([304, '']);
    const byDate = await axios.get(fake.feedUrl, { headers: { 'If-Modified-Since': first.headers['last-modified'] as string }, validateStatus: () => true });
    expect(byDate.status).toBe(304);
    fake.addEntry({ ...(population.kev.entries[0] as KevEntry), cveID: 'CVE-2026-99999' }, '2026-11-02T10:00:00.000Z');
    const changed = await axios.get<Catalogue>(fake.feedUrl, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect([changed.data.count, changed.data.catalogVersion, changed.headers.etag === etag]).toEqual([SMALL_EXPECTED.kev.entries + 1, '2026.11.02', false]);
  });

  it('fails on demand', async () => {
    fake.knobs.failNext({ status: 503 });
    expect((await rejection(axios.get(fake.feedUrl))).status).toBe(503);
    expect((await axios.get(fake.feedUrl)).status).toBe(200);
  });
});

describe('EPSS fake', () => {
  let population: Population;
  let fake: FakeEpss;
  beforeEach(async () => {
    population = small();
    fake = await startFakeEpss(population);
  });
  afterEach(() => fake.close());

  it('answers a comma list of CVEs with string scores in FIRST\'s envelope', async () => {
    const kev = SMALL_FACTS.overlaps[0].cve;
    const res = await axios.get<EpssPage>(fake.apiUrl, { params: { cve: `${kev},CVE-2020-20001,CVE-1999-0001` } });
    expect(res.data).toMatchObject({ status: 'OK', 'status-code': 200, version: '1.0', access: 'private, no-cache', total: 2, offset: 0, limit: 100 });
    const expected = population.epss.scores.find((s) => s.cve === kev);
    expect(res.data.data[0]).toEqual({ cve: kev, epss: expected?.epss.toFixed(9), percentile: '1.000000000', date: '2026-11-01' });
    expect(res.data.data[1]?.epss).toMatch(/^0\.\d{9}$/);
  });

  it('pages with offset and limit over every score', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const res = await axios.get<EpssPage>(fake.apiUrl, { params: { offset, limit: 100 } });
      seen.push(...res.data.data.map((d) => d.cve));
      if (offset + 100 >= res.data.total) break;
    }
    expect(seen).toHaveLength(SMALL_EXPECTED.epssScores);
    expect(new Set(seen).size).toBe(SMALL_EXPECTED.epssScores);
    expect(fake.requests.map((r) => r.page)).toEqual([1, 2, 3]);
    const top = await axios.get<EpssPage>(fake.apiUrl, { params: { order: '!epss', limit: 3, 'epss-gt': 0.4 } });
    expect(top.data.data.map((d) => Number(d.epss))).toEqual([...top.data.data.map((d) => Number(d.epss))].sort((a, b) => b - a));
    expect(top.data.total).toBeGreaterThanOrEqual(SMALL_EXPECTED.kev.entries);
  });

  it('refuses a cve list over 2000 characters, and throttles with 429 on demand', async () => {
    const cves = population.epss.scores.map((s) => s.cve).join(',');
    expect(cves.length).toBeGreaterThan(2000);
    const tooLong = await rejection(axios.get(fake.apiUrl, { params: { cve: cves } }));
    expect(tooLong.status).toBe(400);
    fake.knobs.failNext({ throttle: true, retryAfter: 2 });
    const throttled = await rejection(axios.get(fake.apiUrl, { params: { cve: 'CVE-2020-20001' } }));
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '2']);
    fake.setScore('CVE-2020-20001', 0.5, 0.97);
    const after = await axios.get<EpssPage>(fake.apiUrl, { params: { cve: 'CVE-2020-20001' } });
    expect(after.data.data[0]).toMatchObject({ epss: '0.500000000', percentile: '0.970000000' });
  });
});
