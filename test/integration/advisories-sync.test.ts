/**
 * The advisory feeds in the sync, through the real axios reader against the feed fake (RSS and Atom at once): each
 * item stored once with its CVEs, an unchanged feed one 304, a finding's CVE linking its remediation, and every way
 * a feed host breaks said as a warning naming the feed while everything else syncs.
 */
import type { Store } from '../../src/app/ports.js';
import { createSync } from '../../src/app/sync/sync.js';
import { createLogger } from '../../src/logger.js';
import { createSources } from '../../src/sources/create-sources.js';
import { aFinding, aRemediation } from '../support/builders.js';
import { generateAdvisories } from '../support/feeds/advisory-xml.js';
import { startFakeAdvisoryFeed, type FakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { parseBaseConfig } from '../../src/config.js';
import { stringify } from 'yaml';
import { recordingSleep } from './sources-support.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');

/** A sync reading the RSS feed of `rss` and, when given, the Atom feed of `atom` (another host, so one can break alone). */
function syncFor(store: Store, rss: FakeAdvisoryFeed, atom: FakeAdvisoryFeed | null, opts: { timeoutMs?: number } = {}) {
  const listed = [{ name: 'AWS Security Bulletins', url: rss.rssUrl }, ...(atom ? [{ name: 'Vendor Atom', url: atom.atomUrl }] : [])];
  const policy = stringify({ advisories: { feeds: listed } });
  const parsed = parseBaseConfig({ KEV_URL: '', EPSS_URL: '', PATCHWARDEN_CONFIG: 'policy.yaml' }, () => policy);
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  const logger = createLogger('silent');
  const now = () => NOW;
  const { sources, feeds, advisoryFeeds } = createSources(parsed.value, {
    kv: store.kv, logger, now, sleep: recordingSleep().sleep,
    clientOverrides: { retry: { maxAttempts: 1 }, ...(opts.timeoutMs ? { httpTimeoutMs: opts.timeoutMs } : {}) },
  });
  return createSync({ store, sources, feeds, advisoryFeeds, sla: parsed.value.policy.sla, now, logger });
}

const actions = async (store: Store): Promise<string[]> => {
  const out: string[] = [];
  for await (const e of store.audit.stream()) out.push(e.action);
  return out;
};

describe('advisory feeds in the sync', () => {
  let fake: FakeAdvisoryFeed;
  let vendor: FakeAdvisoryFeed;
  let temp: TempStore;
  beforeEach(async () => {
    [fake, vendor] = await Promise.all([startFakeAdvisoryFeed({ items: 5 }), startFakeAdvisoryFeed({ items: 5 })]);
    temp = await tempStore();
  });
  afterEach(async () => {
    await Promise.all([fake.close(), vendor.close()]);
    await temp.dispose();
  });

  it('stores each item once with the CVEs of its title and text; an unchanged feed then costs one 304 and writes nothing', async () => {
    const first = await syncFor(temp.store, fake, vendor)();
    expect(first.advisories.map((f) => [f.feed, f.status, f.read, f.new])).toEqual([['AWS Security Bulletins', 'ok', 5, 5], ['Vendor Atom', 'ok', 5, 5]]);
    const stored = await temp.store.advisories.list({ feed: 'AWS Security Bulletins' });
    expect(stored).toHaveLength(5);
    const third = stored.find((a) => a.itemKey === 'AWS-2026-003');
    expect(third).toMatchObject({ title: 'CVE-2026-12347 - Issue with AWS CLI v2', cves: ['CVE-2026-12347', 'CVE-2026-52347'], link: 'https://aws.amazon.com/security/security-bulletins/AWS-2026-003/', publishedAt: '2026-11-01T07:00:00.000Z', firstSeenAt: NOW.toISOString() });
    expect(third?.summary).toContain('Customers should update to the latest version & restart affected instances.');
    const atom = await temp.store.advisories.list({ feed: 'Vendor Atom' });
    expect(atom.map((a) => a.itemKey)).toContain('tag:advisories.example.com,2026:AWS-2026-002');
    expect((await actions(temp.store)).filter((a) => a === 'advisory.received')).toHaveLength(10);

    const before = await actions(temp.store);
    const counts = { rss: { ...fake.knobs.feedCounts.rss }, atom: { ...vendor.knobs.feedCounts.atom } };
    const second = await syncFor(temp.store, fake, vendor)();
    expect(second.advisories.map((f) => [f.status, f.requests])).toEqual([['unchanged', 1], ['unchanged', 1]]);
    expect(fake.knobs.feedCounts.rss.requests - counts.rss.requests).toBe(1);
    expect(fake.knobs.feedCounts.rss.notModified - counts.rss.notModified).toBe(1);
    expect(vendor.knobs.feedCounts.atom.notModified - counts.atom.notModified).toBe(1);
    expect((await actions(temp.store)).slice(before.length)).toEqual(['sync.completed']);
  });

  it('a new bulletin is stored as new, a changed one as changed, keeping when it was first seen', async () => {
    await syncFor(temp.store, fake, vendor)();
    const [fresh] = generateAdvisories(1, { newest: '2026-11-02T08:00:00.000Z', year: 2027 });
    for (const f of [fake, vendor]) {
      f.knobs.addItems({ ...fresh!, cves: [...fresh!.cves] });
      f.knobs.updateItem('AWS-2026-002', { title: 'CVE-2026-12346 - Updated: Issue with Amazon ECS agent' });
    }
    const report = await syncFor(temp.store, fake, vendor)();
    expect(report.advisories.map((f) => [f.new, f.changed])).toEqual([[1, 1], [1, 1]]);
    const changed = (await temp.store.advisories.list({ feed: 'AWS Security Bulletins' })).find((a) => a.itemKey === 'AWS-2026-002');
    expect(changed).toMatchObject({ title: 'CVE-2026-12346 - Updated: Issue with Amazon ECS agent', firstSeenAt: NOW.toISOString() });
  });

  it('links an advisory to the remediation whose open finding shares its CVE, once', async () => {
    const r = aRemediation({ id: 'PW-7', cves: ['CVE-2026-12345'] });
    await temp.store.remediations.create(r, []);
    await temp.store.commit({ findings: [aFinding({ cves: ['CVE-2026-12345'], remediationId: 'PW-7' }), aFinding({ cves: ['CVE-2026-12346'], remediationId: 'PW-8', state: 'fixed' })], events: [] });
    const report = await syncFor(temp.store, fake, vendor)();
    expect(report.advisoryLinks).toBe(2);
    const links = await temp.store.advisories.links({ remediationId: 'PW-7' });
    expect(links.map((l) => [l.via, l.cves])).toEqual([['cve', ['CVE-2026-12345']], ['cve', ['CVE-2026-12345']]]);
    await expect(temp.store.advisories.links({ remediationId: 'PW-8' })).resolves.toEqual([]);
    expect((await syncFor(temp.store, fake, vendor)()).advisoryLinks).toBe(0);
  });

  it.each([
    ['malformed XML', (f: FakeAdvisoryFeed) => f.knobs.serveMalformed(), /not well-formed XML \(line \d+, column \d+/],
    ['an HTML error page', (f: FakeAdvisoryFeed) => f.knobs.serveHtmlErrorPage(1), /answered with an HTML page \(text\/html\), not an RSS or Atom feed/],
    ['an HTTP 503', (f: FakeAdvisoryFeed) => f.knobs.failNext({ status: 503, operation: 'rss' }), /answered 503/],
  ])('%s: a warning naming the feed, nothing stored lost, the other feed read', async (_what, breakIt, says) => {
    await syncFor(temp.store, fake, vendor)();
    for (const f of [fake, vendor]) f.knobs.addItems(...generateAdvisories(1, { newest: '2026-11-02T08:00:00.000Z', year: 2027 }));
    breakIt(fake);
    const report = await syncFor(temp.store, fake, vendor)();
    const rss = report.advisories.find((f) => f.feed === 'AWS Security Bulletins');
    expect(rss?.status).toBe('failed');
    expect(report.warnings.find((w) => w.includes('AWS Security Bulletins'))).toMatch(says);
    expect(report.warnings.join('\n')).toContain('Nothing stored from it was changed.');
    await expect(temp.store.advisories.count({ feed: 'AWS Security Bulletins' })).resolves.toBe(5);
    expect(report.advisories.find((f) => f.feed === 'Vendor Atom')).toMatchObject({ status: 'ok', new: 1 });
    expect(report.status).toBe('ok');
    fake.knobs.healthy();
    const after = await syncFor(temp.store, fake, vendor)();
    expect(after.advisories.find((f) => f.feed === 'AWS Security Bulletins')).toMatchObject({ status: 'ok', new: 1 });
  });

  it('a feed that does not answer in time is a warning naming it', async () => {
    fake.knobs.slow(2000, 1);
    const report = await syncFor(temp.store, fake, vendor, { timeoutMs: 300 })();
    const failed = report.advisories.filter((f) => f.status === 'failed');
    expect(failed.map((f) => f.feed)).toEqual(['AWS Security Bulletins']);
    expect(report.warnings.join('\n')).toMatch(/feed “AWS Security Bulletins”: .*(ECONNABORTED|timeout)/);
  });
});

describe('a feed’s first read', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  it('cut short by a crash is finished as a first read: the rest of the history is the baseline, not 440 messages owed', async () => {
    // 450 bulletins, one a week: the five published within 30 days of the first read are reviewed.
    const items = generateAdvisories(450).map((item, i) => {
      const at = new Date(NOW.getTime() - (i * 7 + 0.5) * 86_400_000).toISOString();
      return { ...item, published: at, updated: at };
    });
    const fake = await startFakeAdvisoryFeed({ items });
    try {
      const commit = temp.store.commit.bind(temp.store);
      let writes = 0;
      temp.store.commit = async (change) => {
        if (change.advisories?.length && (writes += 1) === 2) throw new Error('the process died');
        return commit(change);
      };
      const cut = await syncFor(temp.store, fake, null)();
      temp.store.commit = commit;
      expect(cut.advisories.map((f) => f.status)).toEqual(['failed']);
      await expect(temp.store.advisories.count()).resolves.toBe(200);

      const again = await syncFor(temp.store, fake, null)();
      expect(again.advisories.map((f) => [f.status, f.new, f.baseline])).toEqual([['ok', 250, 250]]);
      await expect(temp.store.advisories.count({ baseline: false })).resolves.toBe(5);
      await expect(temp.store.advisories.count({ baseline: true })).resolves.toBe(445);
      expect(again.advisoryMessages).toEqual({ recorded: 0, waiting: 0 });
      expect((await temp.store.audit.bySubject('feed:AWS Security Bulletins')).map((e) => [e.action, e.data['since']])).toEqual([['advisory.monitoring_started', NOW.toISOString()]]);

      // After the first read, a bulletin published long ago but new to the feed is reviewed like any other.
      fake.knobs.addItems({ ...generateAdvisories(1, { year: 2019 })[0]!, published: '2019-05-01T00:00:00.000Z', updated: '2019-05-01T00:00:00.000Z' });
      const later = await syncFor(temp.store, fake, null)();
      expect(later.advisories.map((f) => [f.new, f.baseline])).toEqual([[1, 0]]);
      expect(later.advisoryMessages).toEqual({ recorded: 1, waiting: 0 });
    } finally {
      await fake.close();
    }
  });
});

describe('a feed of 10,000 items', () => {
  it('is cut to its newest 1,000, with a warning saying so', async () => {
    const fake = await startFakeAdvisoryFeed({ items: 10_000 });
    const temp = await tempStore();
    try {
      const report = await syncFor(temp.store, fake, null)();
      expect(report.advisories.map((f) => [f.status, f.listed, f.read, f.new])).toEqual([['ok', 10_000, 1000, 1000]]);
      expect(report.warnings).toContain('Advisory feed “AWS Security Bulletins” lists 10,000 items; only the newest 1,000 were read.');
      const newest = await temp.store.advisories.list({ feed: 'AWS Security Bulletins', limit: 1000 });
      expect(newest.map((a) => a.itemKey)).toContain('AWS-2026-001');
      expect(newest.map((a) => a.itemKey)).not.toContain('AWS-2026-1001');
    } finally {
      await fake.close();
      await temp.dispose();
    }
  });
});
