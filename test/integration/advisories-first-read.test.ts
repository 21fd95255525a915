/**
 * A feed with years of history, as a lead meets it over real HTTP: `/patch sync` shows the feed as it is read, the
 * first read posts only the recent bulletins and records the rest as the feed's baseline, `/patch status`, the
 * reminders and the digest count only the recent ones as awaiting review, the digest's advisories CSV lists all of
 * them; and two replicas syncing and posting the digest at once, then a restart, post each bulletin once.
 */
import { createLogger } from '../../src/logger.js';
import { startPatchwarden, type Running } from '../../src/main.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { parseCsv } from '../support/csv-parse.js';
import { generateAdvisories } from '../support/feeds/advisory-xml.js';
import { startFakeAdvisoryFeed, type FakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';
import { patch } from '../support/patch-command.js';
import { refusedCalls, settled, until } from './workflow-support.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const DAY = 86_400_000;
/** 300 bulletins, one every third day: the ten published within the 30 days before the first read are reviewed. */
const history = () =>
  generateAdvisories(300).map((item, i) => {
    const at = new Date(NOW.getTime() - (i * 3 + 0.5) * DAY).toISOString();
    return { ...item, published: at, updated: at };
  });

describe('a feed’s first read is calm', () => {
  let h: Harness;
  let feed: FakeAdvisoryFeed;
  beforeAll(async () => {
    feed = await startFakeAdvisoryFeed({ items: history() });
    h = await startHarness({ now: NOW, policy: { advisories: { feeds: [{ name: 'AWS Security Bulletins', url: feed.rssUrl }], reviewWithinDays: 7 } } });
  });
  afterAll(async () => {
    await h.close();
    await feed.close();
  });
  afterEach(() => expect(refusedCalls(h)).toEqual([]));

  const advisoryMessages = () => h.fake.messages(CHANNEL).filter((m) => JSON.stringify(m.blocks ?? []).includes('*Advisory*'));

  it('/patch sync shows the feed as it is read; the first read posts the ten recent bulletins and records 290 as the baseline', async () => {
    await patch(h, PEOPLE.lead.id, 'sync');
    const message = await until(() => h.fake.messages(CHANNEL).find((m) => m.text.startsWith('Sync complete')), 'the sync summary');
    const versions = message.versions.map((v) => JSON.stringify(v.blocks ?? []));
    expect(versions.some((v) => v.includes('Sync in progress') && v.includes('*AWS Security Bulletins* (advisory feed)'))).toBe(true);
    expect(JSON.stringify(message.blocks)).toContain('290 recorded as its baseline');
    await settled(h);
    expect(advisoryMessages()).toHaveLength(10);
    expect(advisoryMessages().map((m) => JSON.stringify(m.blocks).match(/AWS-2026-(\d+)/)?.[1]).sort()).toEqual(['001', '002', '003', '004', '005', '006', '007', '008', '009', '010']);
    await expect(h.store.advisories.count({ baseline: true })).resolves.toBe(290);
    const started = (await h.store.audit.bySubject('feed:AWS Security Bulletins')).map((e) => [e.action, e.data['baseline'], e.data['forReview']]);
    expect(started).toEqual([['advisory.monitoring_started', 290, 10]]);
  });

  it('only the ten await review: /patch status, and past the deadline the reminder', async () => {
    const status = await patch(h, PEOPLE.manager.id, 'status');
    expect(JSON.stringify(status.responses[0]?.blocks)).toContain('10 awaiting review, none past the 7-day deadline');
    h.setNow(new Date(NOW.getTime() + 8 * DAY));
    const late = await patch(h, PEOPLE.manager.id, 'status');
    expect(JSON.stringify(late.responses[0]?.blocks)).toContain('10 unreviewed advisories past the 7-day review deadline* (10 awaiting review in all)');
    await h.running.jobs.runNow('reminders');
    await settled(h);
    const reminders = h.fake.messages(CHANNEL).filter((m) => m.text.includes('awaiting review past the 7-day deadline'));
    expect(reminders.map((m) => m.text.split('\n').filter((l) => l.startsWith('• ')).length)).toEqual([10]);
    expect(reminders[0]!.text).toContain('10 advisories awaiting review');
  });

  it('the digest counts the baseline apart and lists every bulletin in its advisories CSV', async () => {
    await h.running.jobs.runNow('digest');
    await settled(h);
    const digest = h.fake.messages(CHANNEL).find((m) => m.text.startsWith('Patch digest'))!;
    const text = JSON.stringify(digest.blocks);
    expect(text).toContain('*Advisories since patchwarden started: 10*');
    expect(text).toContain('290 advisories recorded as the baseline of AWS Security Bulletins');
    const file = h.fake.files().find((f) => f.name === 'patchwarden-advisories-2026-11.csv' && f.completed);
    const [header, ...rows] = parseCsv(file!.bytes!.toString('utf8'));
    const status = header!.indexOf('status');
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r[status] === 'baseline')).toHaveLength(290);
    expect(rows.filter((r) => r[status] === 'overdue')).toHaveLength(10);
    expect(advisoryMessages()).toHaveLength(10);
  });
});

describe('two replicas and a restart on one store', () => {
  let h: Harness;
  let feed: FakeAdvisoryFeed;
  const replicas: Running[] = [];
  beforeAll(async () => {
    feed = await startFakeAdvisoryFeed({ items: history() });
    h = await startHarness({ now: NOW, policy: { advisories: { feeds: [{ name: 'AWS Security Bulletins', url: feed.rssUrl }], firstRead: { reviewDays: 30, reviewAtMost: 8 } } } });
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await h.close();
    await feed.close();
  });
  const start = async () => {
    const r = await startPatchwarden(h.config, createLogger('silent'), { clientOptions: { retryConfig: { retries: 0 } }, now: h.now, scheduleJobs: false });
    replicas.push(r);
    return r;
  };
  /** The advisories' messages in the channel, by the advisory their metadata names. */
  const posted = () => h.fake.messages(CHANNEL).map((m) => (m.metadata as { event_payload?: { advisory?: string } } | undefined)?.event_payload?.advisory).filter((a) => a !== undefined);

  it('syncing, posting the digest and draining at once on both, then restarting: each bulletin posted once', async () => {
    const b = await start();
    const both = (job: 'sync' | 'digest' | 'outbox') => Promise.all([h.running.jobs.runNow(job), b.jobs.runNow(job)]);
    await both('sync');
    await both('digest');
    await both('outbox');
    await settled(h);
    expect(posted()).toHaveLength(8);
    expect(new Set(posted()).size).toBe(8);

    // A restart of the second replica: its start drains what is owed (nothing), the feed answers 304, nothing posts.
    await b.stop();
    const c = await start();
    await c.jobs.runNow('outbox');
    await Promise.all([c.jobs.runNow('sync'), h.running.jobs.runNow('outbox')]);
    await settled(h);
    expect(posted()).toHaveLength(8);
    expect(feed.knobs.feedCounts.rss.notModified).toBeGreaterThanOrEqual(1);
    await expect(h.store.outbox.list()).resolves.toEqual([]);
    expect(h.fake.deleted()).toEqual([]);
  });
});
