/** The KEV and EPSS feeds with real axios against their fakes: cached in the store, refreshed daily, down is survivable. */
import { ExternalServiceError } from '../../src/app/errors.js';
import type { EnrichmentFeeds, KeyValue } from '../../src/app/ports.js';
import { createSources } from '../../src/sources/create-sources.js';
import { MAX_CVE_PARAM } from '../../src/sources/feeds/epss.js';
import { startFakeEpss, type FakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { KevEntry, Population } from '../support/population/types.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { captureLogger, configFrom, memoryKv, recordingSleep, rejectionOf, TEST_RETRY } from './sources-support.js';

const T0 = new Date('2026-11-01T09:00:00.000Z');
const HOUR = 3_600_000;

function feedsOf(env: Record<string, string>, kv: KeyValue, clock: { now: Date }): EnrichmentFeeds {
  return createSources(configFrom(env), { kv, logger: captureLogger().logger, now: () => clock.now, sleep: recordingSleep().sleep, clientOverrides: { retry: TEST_RETRY } }).feeds;
}

describe('KEV feed', () => {
  let population: Population;
  let fake: FakeKev;
  let temp: TempStore;
  let clock: { now: Date };
  let feeds: EnrichmentFeeds;
  beforeEach(async () => {
    population = small();
    fake = await startFakeKev(population);
    temp = await tempStore();
    clock = { now: T0 };
    feeds = feedsOf({ KEV_URL: fake.feedUrl }, temp.store.kv, clock);
  });
  afterEach(async () => {
    await fake.close();
    await temp.dispose();
  });

  it('lists every KEV CVE with CISA’s due date, the overlap and the missing patch among them', async () => {
    const due = await feeds.kevDueDates();
    expect(due.size).toBe(SMALL_EXPECTED.kev.entries);
    expect(due.get(SMALL_FACTS.overlaps[0].cve)).toBe('2026-11-15T00:00:00.000Z');
    expect(due.get(SMALL_FACTS.kevListedMissingPatch.cve)).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
    expect(await temp.store.kv.get('feeds', 'kev')).toMatchObject({ url: fake.feedUrl, etag: expect.any(String), catalogVersion: '2026.11.01' });
  });

  it('asks CISA at most once a day, then conditionally, and picks up a new version', async () => {
    await feeds.kevDueDates();
    clock.now = new Date(T0.getTime() + 23 * HOUR);
    await feeds.kevDueDates();
    expect(fake.requests).toHaveLength(1);
    clock.now = new Date(T0.getTime() + 25 * HOUR);
    const again = feedsOf({ KEV_URL: fake.feedUrl }, temp.store.kv, clock);
    expect((await again.kevDueDates()).size).toBe(SMALL_EXPECTED.kev.entries);
    expect(fake.requests.map((r) => [r.status, r.headers['if-none-match'] !== undefined])).toEqual([[200, false], [304, true]]);
    fake.addEntry({ ...(population.kev.entries[0] as KevEntry), cveID: 'CVE-2026-99999', dueDate: '2026-12-01' });
    clock.now = new Date(T0.getTime() + 50 * HOUR);
    expect((await again.kevDueDates()).get('CVE-2026-99999')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('uses the cached catalogue when CISA is down, and fails clearly when there is none', async () => {
    fake.knobs.staysDown({ status: 503 });
    const e = await rejectionOf(feeds.kevDueDates());
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e.message).toBe('kev: GET the KEV catalogue answered 503: Service Unavailable');
    fake.knobs.recover();
    await feeds.kevDueDates();
    fake.knobs.staysDown({ status: 503 });
    clock.now = new Date(T0.getTime() + 48 * HOUR);
    const fresh = feedsOf({ KEV_URL: fake.feedUrl }, temp.store.kv, clock);
    expect((await fresh.kevDueDates()).size).toBe(SMALL_EXPECTED.kev.entries);
  });

  it('refuses a catalogue of the wrong shape', async () => {
    const bad = { ...population, kev: { ...population.kev, entries: [{ ...(population.kev.entries[0] as KevEntry), cveID: 'not-a-cve' }] } };
    const other = await startFakeKev(bad);
    try {
      const e = await rejectionOf(feedsOf({ KEV_URL: other.feedUrl }, memoryKv(), clock).kevDueDates());
      expect(e.message).toBe('kev: malformed response to GET the KEV catalogue: vulnerabilities[0].cveID: expected a CVE id');
    } finally {
      await other.close();
    }
  });
});

describe('EPSS feed', () => {
  let population: Population;
  let fake: FakeEpss;
  let clock: { now: Date };
  let kv: ReturnType<typeof memoryKv>;
  let feeds: EnrichmentFeeds;
  let cves: string[];
  beforeEach(async () => {
    population = small();
    fake = await startFakeEpss(population);
    clock = { now: T0 };
    kv = memoryKv();
    feeds = feedsOf({ EPSS_URL: fake.apiUrl }, kv, clock);
    cves = population.epss.scores.map((s) => s.cve);
  });
  afterEach(() => fake.close());

  it('looks up every score in batches within FIRST’s 2000-character limit, parsed from strings', async () => {
    const scores = await feeds.epssScores([...cves, 'CVE-1999-0001', 'not-a-cve']);
    expect(scores.size).toBe(SMALL_EXPECTED.epssScores);
    const kev = population.epss.scores.find((s) => s.cve === SMALL_FACTS.overlaps[0].cve);
    expect(scores.get(SMALL_FACTS.overlaps[0].cve)).toBe(kev?.epss);
    expect(fake.requests.length).toBeGreaterThan(1);
    for (const r of fake.requests) {
      expect(r.status).toBe(200);
      expect((r.query.cve ?? '').length).toBeLessThanOrEqual(MAX_CVE_PARAM);
      expect(Number(r.query.limit)).toBe((r.query.cve ?? '').split(',').length);
    }
  });

  it('answers from the cache for a day, unknown CVEs included', async () => {
    await feeds.epssScores([...cves, 'CVE-1999-0001']);
    const asked = fake.requests.length;
    clock.now = new Date(T0.getTime() + 23 * HOUR);
    expect((await feeds.epssScores(cves.slice(0, 10))).size).toBe(10);
    expect(await feeds.epssScores(['CVE-1999-0001'])).toEqual(new Map());
    expect(fake.requests).toHaveLength(asked);
    clock.now = new Date(T0.getTime() + 25 * HOUR);
    await feeds.epssScores(cves.slice(0, 10));
    expect(fake.requests).toHaveLength(asked + 1);
  });

  it('retries a 429 with retry-after; uses the cache when FIRST is down, fails clearly without one', async () => {
    fake.knobs.failNext({ throttle: true, retryAfter: 2 });
    expect((await feeds.epssScores(cves.slice(0, 5))).size).toBe(5);
    fake.knobs.staysDown({ status: 503 });
    clock.now = new Date(T0.getTime() + 48 * HOUR);
    expect((await feeds.epssScores(cves.slice(0, 5))).size).toBe(5);
    const e = await rejectionOf(feeds.epssScores(cves.slice(100, 105)));
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e.message).toBe('epss: GET EPSS scores answered 503: Service Unavailable');
  });
});

describe('feeds switched off', () => {
  it('answers empty without asking anyone', async () => {
    const feeds = feedsOf({}, memoryKv(), { now: T0 });
    expect(await feeds.kevDueDates()).toEqual(new Map());
    expect(await feeds.epssScores(['CVE-2021-44228'])).toEqual(new Map());
  });
});
