/**
 * The CISA Known Exploited Vulnerabilities catalogue as CISA publishes it: one JSON file at
 * /sites/default/files/feeds/known_exploited_vulnerabilities.json with {title, catalogVersion,
 * dateReleased, count, vulnerabilities[...]}, served with ETag and Last-Modified, answering 304 to a
 * matching If-None-Match or a not-older If-Modified-Since. The body is built once per catalogue version.
 */
import { createHash } from 'node:crypto';
import { json, startFakeServer, type FakeServer, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { KevEntry, Population } from '../population/types.js';

export const KEV_PATH = '/sites/default/files/feeds/known_exploited_vulnerabilities.json';

export interface FakeKev extends FakeServer {
  /** Full URL of the catalogue (what KEV_URL would be). */
  feedUrl: string;
  /** Publish a new catalogue version with this entry added (ETag, Last-Modified, count and catalogVersion change). */
  addEntry(entry: KevEntry, releasedAt?: string): void;
  readonly entries: readonly KevEntry[];
}

/** CISA writes dateReleased with four fractional digits, e.g. 2024-05-20T17:47:21.6328Z. */
const released = (iso: string): string => new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$10Z');

export async function startFakeKev(population: Population, opts: { path?: string } = {}): Promise<FakeKev> {
  const path = opts.path ?? KEV_PATH;
  const entries = population.kev.entries.map((e) => ({ ...e, cwes: [...e.cwes] }));
  let catalogVersion = population.kev.catalogVersion;
  let releasedAt = population.kev.dateReleased;
  let built: { body: string; etag: string; lastModified: string } | null = null;

  const build = (): { body: string; etag: string; lastModified: string } => {
    if (!built) {
      const body = JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion, dateReleased: released(releasedAt), count: entries.length, vulnerabilities: entries });
      built = { body, etag: `"${createHash('sha1').update(body).digest('hex')}"`, lastModified: new Date(releasedAt).toUTCString() };
    }
    return built;
  };

  function route(req: ParsedRequest): Route | Reply {
    if (req.path !== path) return json(404, { message: 'Not Found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { message: 'Method Not Allowed' });
    return {
      operation: 'kev',
      handle: () => {
        const { body, etag, lastModified } = build();
        const headers = { etag, 'last-modified': lastModified, 'cache-control': 'max-age=3600', 'content-type': 'application/json' };
        const since = req.headers['if-modified-since'];
        const notModified = req.headers['if-none-match'] !== undefined
          ? req.headers['if-none-match'] === etag
          : since !== undefined && Date.parse(since) >= Date.parse(lastModified);
        if (notModified) return { status: 304, headers };
        return { status: 200, headers, body: req.method === 'HEAD' ? undefined : body };
      },
    };
  }

  const server = await startFakeServer({
    route,
    failure: (f) => (f.throttle ? json(429, { message: 'Too Many Requests' }, { 'retry-after': f.retryAfter }) : json(f.status, { message: 'Service Unavailable' })),
  });
  return {
    ...server,
    feedUrl: `${server.url}${path}`,
    addEntry: (entry, at) => {
      entries.push(entry);
      releasedAt = at ?? new Date(Math.max(Date.now(), Date.parse(releasedAt) + 1000)).toISOString();
      catalogVersion = releasedAt.slice(0, 10).replace(/-/g, '.');
      built = null;
    },
    entries,
  };
}
