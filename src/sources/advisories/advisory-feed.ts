/**
 * One advisory feed (RSS 2.0 / 1.0 or Atom) over axios: a conditional GET (If-None-Match and If-Modified-Since
 * from the last answer, for the same URL only), so an unchanged feed costs one 304 and no body; else the document
 * parsed whole (parse-feed.ts) into advisories, each item once, newest first, at most `maxItems`. Whatever goes
 * wrong is ONE ExternalServiceError whose message names the feed and says what happened in words: no answer in
 * time, an HTTP error, an HTML page where the feed should be, XML that is cut off or broken.
 */
import type { AxiosResponse } from 'axios';
import { ExternalServiceError } from '../../app/errors.js';
import type { AdvisoryFeed, AdvisoryFeedRead, FeedValidators } from '../../app/ports.js';
import type { Advisory } from '../../domain/advisory.js';
import type { HttpGet } from '../shared/http-get.js';
import { itemKeyOf, toAdvisory } from './map.js';
import { FeedDocumentError, parseFeed } from './parse-feed.js';

/** Items kept per read: a feed of 10,000 is cut to its newest, and the sync says so. */
export const MAX_FEED_ITEMS = 1000;

export interface AdvisoryFeedOptions {
  readonly name: string;
  readonly url: string;
  readonly get: HttpGet;
  readonly maxItems?: number;
}

const header = (res: AxiosResponse<unknown>, name: string): string | null => {
  const v: unknown = res.headers[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
};

/** The URL without its query (a private feed's token never reaches an error or a log). */
const shown = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the feed';
  }
};

/** Newest first (by date; undated ones after, in document order), each key once. */
function newestFirst(advisories: Advisory[]): Advisory[] {
  const seen = new Set<string>();
  const once = advisories.filter((a) => !seen.has(a.id) && seen.add(a.id));
  return once
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (y.a.publishedAt ?? '').localeCompare(x.a.publishedAt ?? '') || x.i - y.i)
    .map((x) => x.a);
}

export function createAdvisoryFeed({ name, url, get, maxItems = MAX_FEED_ITEMS }: AdvisoryFeedOptions): AdvisoryFeed {
  const where = shown(url);
  const fail = (message: string, status: number | null = null): ExternalServiceError => new ExternalServiceError(`feed “${name}”`, `${where} ${message}`, status);

  return {
    name,
    url,
    stats: () => ({ ...get.stats }),
    async read(last, now): Promise<AdvisoryFeedRead> {
      const headers: Record<string, string> = {};
      if (last?.url === url && last.etag) headers['If-None-Match'] = last.etag;
      if (last?.url === url && last.lastModified) headers['If-Modified-Since'] = last.lastModified;
      const res = await get(url, `GET ${where}`, { headers });
      const validators: FeedValidators = { url, etag: header(res, 'etag') ?? (res.status === 304 ? (last?.etag ?? null) : null), lastModified: header(res, 'last-modified') ?? (res.status === 304 ? (last?.lastModified ?? null) : null) };
      if (res.status === 304) return { status: 'unchanged', validators };
      const type = header(res, 'content-type') ?? '';
      if (/^text\/html|^application\/xhtml/i.test(type)) throw fail(`answered with an HTML page (${type.split(';')[0]}), not an RSS or Atom feed`, res.status);
      if (typeof res.data !== 'string' || res.data.trim() === '') throw fail('answered with an empty body, not an RSS or Atom feed', res.status);
      let items;
      try {
        items = parseFeed(res.data).items;
      } catch (e) {
        if (e instanceof FeedDocumentError) throw fail(`answered, but ${e.message}`, res.status);
        throw e;
      }
      const seenAt = now.toISOString();
      const advisories = newestFirst(items.filter((i) => itemKeyOf(i) !== '').map((i) => toAdvisory(name, i, seenAt)));
      return { status: 'changed', advisories: advisories.slice(0, maxItems), listed: advisories.length, validators };
    },
  };
}
