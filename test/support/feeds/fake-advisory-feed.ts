/**
 * An advisory feed host: the same bulletins as RSS 2.0 at the AWS Security Bulletins path and as Atom 1.0 at a
 * generic path. Every answer carries a strong ETag (per document) and Last-Modified; a matching If-None-Match
 * (weak comparison, lists and `*`), or else an If-Modified-Since not older than Last-Modified, gets 304 with no
 * body. Knobs publish new items (new ETag, later Last-Modified), break the feed (truncated XML, an HTML error
 * page with status 200), slow answers down, and count 304s; failNext / staysDown come from the shared harness.
 */
import { createHash } from 'node:crypto';
import { mergeKnobs, startFakeServer, type FakeServer, type Knobs, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import { generateAdvisories, HTML_ERROR_PAGE, renderAtom, renderRss, truncate, type AdvisoryItem } from './advisory-xml.js';

export const RSS_PATH = '/security/security-bulletins/rss/feed/';
export const ATOM_PATH = '/feeds/security-advisories.atom';

export interface FakeAdvisoryFeedOptions {
  /** The bulletins, newest first, or how many to generate with generateAdvisories (10_000 for a big feed). Default 5. */
  items?: AdvisoryItem[] | number;
  /** Clock (ms) for Last-Modified after a change. Default Date.now. */
  now?: () => number;
}

export interface FeedCount { requests: number; ok: number; notModified: number }

export interface AdvisoryFeedKnobs extends Knobs {
  /** Publish bulletins (put first, newest first). ETag and Last-Modified change. */
  addItems(...items: AdvisoryItem[]): void;
  replaceItems(items: AdvisoryItem[]): void;
  /** Change a bulletin (Atom `updated` moves to the change time unless given). */
  updateItem(id: string, patch: Partial<Omit<AdvisoryItem, 'id'>>): AdvisoryItem;
  /** The next `times` answers (default: until healthy()) are the feed cut off mid-item, 200 with its own ETag. */
  serveMalformed(times?: number): void;
  /** The next `times` answers are an HTML error page with status 200 and `text/html`, conditionals ignored. */
  serveHtmlErrorPage(times?: number): void;
  /** The next `times` answers wait `delayMs` before the status line (for client timeouts). */
  slow(delayMs: number, times?: number): void;
  /** Ends serveMalformed, serveHtmlErrorPage and slow. */
  healthy(): void;
  readonly feedCounts: { rss: FeedCount; atom: FeedCount };
}

export interface FakeAdvisoryFeed extends FakeServer {
  rssUrl: string;
  atomUrl: string;
  knobs: AdvisoryFeedKnobs;
  /** The fake's own list, newest first. */
  readonly items: readonly AdvisoryItem[];
  /** Current validators of a document, as a client would have stored them. */
  validators(kind: 'rss' | 'atom'): { etag: string; lastModified: string };
}

type Kind = 'rss' | 'atom';
interface Built { body: string; etag: string }
const CONTENT_TYPE: Record<Kind, string> = { rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml; charset=utf-8' };
const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('hex')}"`;
const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison; `*` matches any current representation. */
function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => opaque(t) === opaque(etag));
}

export async function startFakeAdvisoryFeed(opts: FakeAdvisoryFeedOptions = {}): Promise<FakeAdvisoryFeed> {
  const now = opts.now ?? Date.now;
  const items: AdvisoryItem[] = typeof opts.items === 'number' || opts.items === undefined ? generateAdvisories(opts.items ?? 5) : opts.items.map((i) => ({ ...i, cves: [...i.cves] }));
  const newest = (): number => Math.max(0, ...items.map((i) => Date.parse(i.updated)));
  /** Whole seconds: Last-Modified has no finer precision, and a change must move it. */
  let changedAt = Math.floor((items.length > 0 ? newest() : now()) / 1000) * 1000;
  let built: Partial<Record<Kind, Built>> = {};
  let malformedLeft = 0;
  let htmlLeft = 0;
  let slowness = { ms: 0, left: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const feedCounts = { rss: { requests: 0, ok: 0, notModified: 0 }, atom: { requests: 0, ok: 0, notModified: 0 } };
  let base = '';

  const changed = (): void => {
    changedAt = Math.max(Math.floor(now() / 1000) * 1000, changedAt + 1000);
    built = {};
  };
  const lastModified = (): string => new Date(changedAt).toUTCString();
  const build = (kind: Kind): Built => {
    const cached = built[kind];
    if (cached) return cached;
    const channel = { selfUrl: `${base}${kind === 'rss' ? RSS_PATH : ATOM_PATH}`, builtAt: new Date(changedAt).toISOString() };
    const body = kind === 'rss' ? renderRss(items, channel) : renderAtom(items, channel);
    const fresh = { body, etag: etagOf(body) };
    built[kind] = fresh;
    return fresh;
  };

  function answer(kind: Kind, req: ParsedRequest): Reply {
    const count = feedCounts[kind];
    const head = req.method === 'HEAD';
    if (htmlLeft > 0) {
      htmlLeft -= 1;
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: head ? undefined : HTML_ERROR_PAGE };
    }
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE[kind], 'last-modified': lastModified(), 'cache-control': 'max-age=300' };
    if (malformedLeft > 0) {
      malformedLeft -= 1;
      const broken = truncate(build(kind).body);
      return { status: 200, headers: { ...headers, etag: etagOf(broken) }, body: head ? undefined : broken };
    }
    const { body, etag } = build(kind);
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh = inm !== undefined ? noneMatch(inm, etag) : ims !== undefined && Date.parse(ims) >= changedAt;
    if (fresh) {
      count.notModified += 1;
      return { status: 304, headers: { etag, 'last-modified': headers['last-modified'] as string, 'cache-control': 'max-age=300' } };
    }
    count.ok += 1;
    return { status: 200, headers: { ...headers, etag }, body: head ? undefined : body };
  }

  function route(req: ParsedRequest): Route | Reply {
    const kind: Kind | null = req.path === RSS_PATH ? 'rss' : req.path === ATOM_PATH ? 'atom' : null;
    if (!kind) return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html><body><h1>404 Not Found</h1></body></html>' };
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' }, body: 'Method Not Allowed' };
    return {
      operation: kind,
      handle: () => {
        feedCounts[kind].requests += 1;
        if (slowness.left <= 0) return answer(kind, req);
        slowness.left -= 1;
        return new Promise<Reply>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve(answer(kind, req));
          }, slowness.ms);
          timers.add(t);
        });
      },
    };
  }

  const server = await startFakeServer({
    route,
    failure: (f): Reply => (f.throttle
      ? { status: 429, headers: { 'content-type': 'text/html', 'retry-after': String(f.retryAfter) }, body: '<html><body><h1>429 Too Many Requests</h1></body></html>' }
      : { status: f.status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${f.status} Service Unavailable</h1></body></html>` }),
  });
  base = server.url;

  const knobs = {
    addItems: (...added: AdvisoryItem[]) => {
      items.unshift(...added);
      changed();
    },
    replaceItems: (next: AdvisoryItem[]) => {
      items.splice(0, items.length, ...next);
      changed();
    },
    updateItem: (id: string, patch: Partial<Omit<AdvisoryItem, 'id'>>) => {
      const item = items.find((i) => i.id === id);
      if (!item) throw new Error(`no advisory ${id} in the feed`);
      changed();
      Object.assign(item, { updated: new Date(changedAt).toISOString() }, patch);
      return item;
    },
    serveMalformed: (times = Infinity) => void (malformedLeft = times),
    serveHtmlErrorPage: (times = Infinity) => void (htmlLeft = times),
    slow: (delayMs: number, times = Infinity) => void (slowness = { ms: delayMs, left: times }),
    healthy: () => {
      malformedLeft = 0;
      htmlLeft = 0;
      slowness = { ms: 0, left: 0 };
    },
    get feedCounts() {
      return feedCounts;
    },
  };

  return {
    ...server,
    rssUrl: `${server.url}${RSS_PATH}`,
    atomUrl: `${server.url}${ATOM_PATH}`,
    knobs: mergeKnobs<AdvisoryFeedKnobs>(server.knobs, knobs),
    items,
    validators: (kind) => ({ etag: build(kind).etag, lastModified: lastModified() }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await server.close();
    },
  };
}
