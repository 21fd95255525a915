/**
 * CISA's Known Exploited Vulnerabilities catalogue: CVE -> due date, kept in the store (KeyValue `feeds`/`kev`)
 * and fetched again at most once a day, conditionally (If-None-Match / If-Modified-Since; a 304 costs no body).
 * When CISA cannot be reached the cached catalogue is used however old; without one the call fails.
 */
import { z } from 'zod';
import { ExternalServiceError } from '../../app/errors.js';
import type { KeyValue } from '../../app/ports.js';
import type { Logger } from '../../logger.js';
import type { HttpGet } from '../shared/http-get.js';
import { parseResponse } from '../shared/parse.js';
import { DAY_MS } from '../shared/time.js';

export const FEEDS_NS = 'feeds';
const KEY = 'kev';

const catalogueSchema = z.object({
  catalogVersion: z.string().optional(),
  vulnerabilities: z.array(z.object({ cveID: z.string().regex(/^CVE-\d{4}-\d+$/i, 'expected a CVE id'), dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD') })),
});

const cacheSchema = z.object({
  url: z.string(),
  fetchedAt: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  catalogVersion: z.string().nullable(),
  dueDates: z.record(z.string(), z.string()),
});
type KevCache = z.output<typeof cacheSchema>;

export interface KevOptions {
  readonly url: string;
  readonly kv: KeyValue;
  readonly get: HttpGet;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** CISA's due date (a calendar date) as an Instant: the start of that day, UTC. */
const dueInstant = (date: string): string => `${date}T00:00:00.000Z`;

export function createKev({ url, kv, get, logger, now }: KevOptions): () => Promise<ReadonlyMap<string, string>> {
  let memo: { cache: KevCache; map: Map<string, string> } | null = null;
  const toMap = (c: KevCache): Map<string, string> => new Map(Object.entries(c.dueDates));

  return async () => {
    if (!memo) {
      const stored = cacheSchema.safeParse(await kv.get(FEEDS_NS, KEY));
      if (stored.success && stored.data.url === url) memo = { cache: stored.data, map: toMap(stored.data) };
    }
    const cached = memo?.cache ?? null;
    if (cached && now().getTime() - Date.parse(cached.fetchedAt) < DAY_MS) return memo?.map ?? new Map();
    const headers: Record<string, string> = {};
    if (cached?.etag) headers['If-None-Match'] = cached.etag;
    else if (cached?.lastModified) headers['If-Modified-Since'] = cached.lastModified;
    let res;
    try {
      res = await get(url, 'GET the KEV catalogue', { headers });
    } catch (e) {
      if (!cached || !memo || !(e instanceof ExternalServiceError)) throw e;
      logger.warn({ err: e.message, cachedAt: cached.fetchedAt }, 'KEV catalogue unreachable: using the cached copy');
      return memo.map;
    }
    const at = now().toISOString();
    if (res.status === 304 && cached && memo) {
      memo = { cache: { ...cached, fetchedAt: at }, map: memo.map };
      await kv.put(FEEDS_NS, KEY, memo.cache);
      return memo.map;
    }
    const doc = parseResponse(catalogueSchema, res.data, 'kev', 'GET the KEV catalogue');
    const dueDates = Object.fromEntries(doc.vulnerabilities.map((v) => [v.cveID.toUpperCase(), dueInstant(v.dueDate)]));
    const header = (name: string): string | null => (typeof res.headers[name] === 'string' ? (res.headers[name] as string) : null);
    const cache: KevCache = { url, fetchedAt: at, etag: header('etag'), lastModified: header('last-modified'), catalogVersion: doc.catalogVersion ?? null, dueDates };
    await kv.put(FEEDS_NS, KEY, cache);
    memo = { cache, map: toMap(cache) };
    logger.info({ entries: memo.map.size, catalogVersion: cache.catalogVersion }, 'KEV catalogue refreshed');
    return memo.map;
  };
}
