/**
 * The advisory feeds' part of a sync: every feed read at once, each on its own. An unchanged feed (304) writes
 * nothing; a changed one stores its new and changed items (each once, keyed by feed and guid or link) with an
 * audit event each, in batches, the last of which keeps the feed's validators for the next conditional request. A
 * feed that fails (no answer, an HTML page, broken XML) is a warning naming it: what is stored stays as it is,
 * and the other feeds and sources carry on.
 *
 * A feed's first read begins its monitoring (kv `advisory-feed-monitoring`, event `advisory.monitoring_started`):
 * of what it already lists, only the newest items published shortly before are reviewed one by one; the rest are
 * recorded as its baseline (`firstReadBaseline` in src/domain/advisory.ts). The mark is written with the first
 * batch and completed with the last, so a first read cut short by a crash is finished as a first read.
 */
import { DEFAULT_FIRST_READ, firstReadBaseline, sameAdvisory, type Advisory, type FirstReadRule } from '../../domain/advisory.js';
import { instant, type Instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { AdvisoryFeed, AdvisoryFeedRead, FeedValidators, KeyValueEntry, Store } from '../ports.js';
import type { SyncProgress } from '../sync/report.js';

/** kv namespace of each feed's validators (ETag, Last-Modified), keyed by feed name. */
export const FEED_VALIDATORS = 'advisory-feeds';
/** kv namespace of when monitoring of each feed began, keyed by feed name. */
export const FEED_MONITORING = 'advisory-feed-monitoring';
const BATCH = 200;

export interface FeedMonitoring {
  readonly url: string;
  /** The first read: items published long before it are the baseline. */
  readonly since: Instant;
  /** The first read is stored whole. */
  readonly complete: boolean;
}

export interface AdvisoryFeedReport {
  readonly feed: string;
  /** unchanged: the feed answered 304; failed: see `error` (nothing stored was touched). */
  readonly status: 'ok' | 'unchanged' | 'failed';
  /** Items the document listed, and those read (the newest, at most the reader's limit). */
  readonly listed: number;
  readonly read: number;
  readonly new: number;
  readonly changed: number;
  /** Of the new ones, those recorded as the feed's baseline (its first read only). */
  readonly baseline: number;
  readonly requests: number;
  readonly error: string | null;
}

export interface FeedIntakeDeps {
  readonly store: Pick<Store, 'advisories' | 'kv' | 'commit'>;
  readonly feeds: readonly AdvisoryFeed[];
  readonly now: () => Date;
  readonly actor: string;
  /** The policy's `advisories.firstRead`. */
  readonly firstRead?: FirstReadRule;
}

type Changed = Extract<AdvisoryFeedRead, { status: 'changed' }>;

const event = (action: 'advisory.received' | 'advisory.changed', a: Advisory, at: string, actor: string): AuditEventInput => ({
  at, actor, action, subject: a.id, data: { feed: a.feed, itemKey: a.itemKey, title: a.title, link: a.link, cves: [...a.cves], publishedAt: a.publishedAt, ...(a.baseline ? { baseline: true } : {}) },
});

const progressNote = (r: AdvisoryFeedReport): string =>
  r.status === 'unchanged' ? 'unchanged since the last read' : [`${r.new - r.baseline} new`, ...(r.changed > 0 ? [`${r.changed} changed`] : []), ...(r.baseline > 0 ? [`${r.baseline} recorded as the baseline`] : [])].join(', ');

export function createFeedIntake({ store, feeds, now, actor, firstRead = DEFAULT_FIRST_READ }: FeedIntakeDeps) {
  /** When monitoring began, and whether this read is (still) the first. */
  async function monitoring(feed: AdvisoryFeed, at: Instant): Promise<{ since: Instant; first: boolean }> {
    const mark = await store.kv.get<FeedMonitoring>(FEED_MONITORING, feed.name);
    if (mark) return { since: mark.since, first: !mark.complete };
    // Advisories stored before monitoring was marked: it began with the oldest of them.
    const [oldest] = (await store.advisories.list({ feed: feed.name })).slice(-1);
    return oldest ? { since: oldest.firstSeenAt, first: false } : { since: at, first: true };
  }

  async function storeRead(feed: AdvisoryFeed, result: Changed): Promise<Omit<AdvisoryFeedReport, 'requests' | 'status' | 'error'>> {
    const at = instant(now());
    const { since, first } = await monitoring(feed, at);
    const baseline = first ? firstReadBaseline(result.advisories, new Date(since), firstRead) : new Set<string>();
    const stored = new Map((await store.advisories.getMany(result.advisories.map((a) => a.id))).map((a) => [a.id, a]));
    const writes: { advisory: Advisory; event: AuditEventInput }[] = [];
    let fresh = 0;
    for (const item of result.advisories) {
      const before = stored.get(item.id);
      if (!before) {
        fresh += 1;
        const next: Advisory = baseline.has(item.id) ? { ...item, baseline: true } : item;
        writes.push({ advisory: next, event: event('advisory.received', next, at, actor) });
      } else if (!sameAdvisory(before, item)) {
        const next: Advisory = { ...item, firstSeenAt: before.firstSeenAt, ...(before.baseline ? { baseline: true as const } : {}) };
        writes.push({ advisory: next, event: event('advisory.changed', next, at, actor) });
      }
    }
    const counted = writes.filter((w) => w.event.action === 'advisory.received' && w.advisory.baseline).length;
    const mark = (complete: boolean): KeyValueEntry => ({ ns: FEED_MONITORING, key: feed.name, value: { url: feed.url, since, complete } satisfies FeedMonitoring });
    const started: AuditEventInput[] = first
      ? [{ at, actor, action: 'advisory.monitoring_started', subject: `feed:${feed.name}`, data: { url: feed.url, since, reviewDays: firstRead.reviewDays, reviewAtMost: firstRead.reviewAtMost, listed: result.listed, baseline: counted, forReview: fresh - counted } }]
      : [];
    const batches = writes.length > 0 ? Math.ceil(writes.length / BATCH) : 1;
    for (let b = 0; b < batches; b += 1) {
      const batch = writes.slice(b * BATCH, (b + 1) * BATCH);
      const last = b === batches - 1;
      await store.commit({
        advisories: batch.map((w) => w.advisory),
        events: [...batch.map((w) => w.event), ...(last ? started : [])],
        kv: last ? [{ ns: FEED_VALIDATORS, key: feed.name, value: result.validators }, ...(first ? [mark(true)] : [])] : first ? [mark(false)] : [],
      });
    }
    return { feed: feed.name, listed: result.listed, read: result.advisories.length, new: fresh, changed: writes.length - fresh, baseline: counted };
  }

  async function intake(feed: AdvisoryFeed, onProgress: (p: SyncProgress) => void): Promise<AdvisoryFeedReport> {
    const base = { feed: feed.name, listed: 0, read: 0, new: 0, changed: 0, baseline: 0, error: null };
    const progress = (p: Partial<SyncProgress>): void => onProgress({ source: 'advisories', feed: feed.name, state: 'running', done: 0, total: null, unit: 'advisories', ...p });
    progress({});
    const last = await store.kv.get<FeedValidators>(FEED_VALIDATORS, feed.name);
    const result = await feed.read(last, now());
    const requests = feed.stats().requests;
    const report: AdvisoryFeedReport = result.status === 'unchanged' ? { ...base, status: 'unchanged', requests } : { ...(await storeRead(feed, result)), status: 'ok', requests, error: null };
    progress({ state: 'done', ...(report.status === 'ok' ? { done: report.read, total: report.listed } : {}), note: progressNote(report) });
    return report;
  }

  return async (warn: (w: string) => void, onProgress: (p: SyncProgress) => void = () => undefined): Promise<AdvisoryFeedReport[]> =>
    Promise.all(
      feeds.map(async (feed) => {
        try {
          const report = await intake(feed, onProgress);
          if (report.listed > report.read) warn(`Advisory feed “${feed.name}” lists ${report.listed.toLocaleString('en-US')} items; only the newest ${report.read.toLocaleString('en-US')} were read.`);
          return report;
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          // The adapter's message names the feed and says what went wrong (ExternalServiceError).
          warn(`Advisory ${error.startsWith('feed “') ? error : `feed “${feed.name}”: ${error}`}. Nothing stored from it was changed.`);
          onProgress({ source: 'advisories', feed: feed.name, state: 'failed', done: 0, total: null, unit: 'advisories', note: 'could not be read; nothing from it changed' });
          return { feed: feed.name, status: 'failed' as const, listed: 0, read: 0, new: 0, changed: 0, baseline: 0, requests: feed.stats().requests, error };
        }
      }),
    );
}
