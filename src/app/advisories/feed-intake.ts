/**
 * The advisory feeds' part of a sync: every feed read at once, each on its own. An unchanged feed (304) writes
 * nothing; a changed one stores its new and changed items (each once, keyed by feed and guid or link) with an
 * audit event each, in batches, and only then keeps the feed's validators for the next conditional request. A
 * feed that fails (no answer, an HTML page, broken XML) is a warning naming it: what is stored stays as it is,
 * and the other feeds and sources carry on.
 */
import { sameAdvisory, type Advisory } from '../../domain/advisory.js';
import { instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { AdvisoryFeed, FeedValidators, Store } from '../ports.js';

/** kv namespace of each feed's validators (ETag, Last-Modified), keyed by feed name. */
export const FEED_VALIDATORS = 'advisory-feeds';
const BATCH = 200;

export interface AdvisoryFeedReport {
  readonly feed: string;
  /** unchanged: the feed answered 304; failed: see `error` (nothing stored was touched). */
  readonly status: 'ok' | 'unchanged' | 'failed';
  /** Items the document listed, and those read (the newest, at most the reader's limit). */
  readonly listed: number;
  readonly read: number;
  readonly new: number;
  readonly changed: number;
  readonly requests: number;
  readonly error: string | null;
}

export interface FeedIntakeDeps {
  readonly store: Pick<Store, 'advisories' | 'kv' | 'commit'>;
  readonly feeds: readonly AdvisoryFeed[];
  readonly now: () => Date;
  readonly actor: string;
}

const event = (action: 'advisory.received' | 'advisory.changed', a: Advisory, at: string, actor: string): AuditEventInput => ({
  at, actor, action, subject: a.id, data: { feed: a.feed, itemKey: a.itemKey, title: a.title, link: a.link, cves: [...a.cves], publishedAt: a.publishedAt },
});

export function createFeedIntake({ store, feeds, now, actor }: FeedIntakeDeps): (warn: (w: string) => void) => Promise<AdvisoryFeedReport[]> {
  async function intake(feed: AdvisoryFeed): Promise<AdvisoryFeedReport> {
    const base = { feed: feed.name, listed: 0, read: 0, new: 0, changed: 0, error: null };
    const last = await store.kv.get<FeedValidators>(FEED_VALIDATORS, feed.name);
    const result = await feed.read(last, now());
    const requests = feed.stats().requests;
    if (result.status === 'unchanged') return { ...base, status: 'unchanged', requests };
    const at = instant(now());
    const stored = new Map((await store.advisories.getMany(result.advisories.map((a) => a.id))).map((a) => [a.id, a]));
    const writes: { advisory: Advisory; event: AuditEventInput }[] = [];
    let fresh = 0;
    for (const item of result.advisories) {
      const before = stored.get(item.id);
      if (!before) {
        fresh += 1;
        writes.push({ advisory: item, event: event('advisory.received', item, at, actor) });
      } else if (!sameAdvisory(before, item)) {
        const next = { ...item, firstSeenAt: before.firstSeenAt };
        writes.push({ advisory: next, event: event('advisory.changed', next, at, actor) });
      }
    }
    for (let i = 0; i < writes.length; i += BATCH) {
      const batch = writes.slice(i, i + BATCH);
      await store.commit({ advisories: batch.map((w) => w.advisory), events: batch.map((w) => w.event) });
    }
    await store.kv.put(FEED_VALIDATORS, feed.name, result.validators);
    return { ...base, status: 'ok', listed: result.listed, read: result.advisories.length, new: fresh, changed: writes.length - fresh, requests };
  }

  return async (warn) =>
    Promise.all(
      feeds.map(async (feed) => {
        try {
          const report = await intake(feed);
          if (report.listed > report.read) warn(`Advisory feed “${feed.name}” lists ${report.listed.toLocaleString('en-US')} items; only the newest ${report.read.toLocaleString('en-US')} were read.`);
          return report;
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          // The adapter's message names the feed and says what went wrong (ExternalServiceError).
          warn(`Advisory ${error.startsWith('feed “') ? error : `feed “${feed.name}”: ${error}`}. Nothing stored from it was changed.`);
          return { feed: feed.name, status: 'failed' as const, listed: 0, read: 0, new: 0, changed: 0, requests: feed.stats().requests, error };
        }
      }),
    );
}
