/** The advisory feed fake, driven by axios: RSS and Atom documents, conditional GETs, and the ways a feed host breaks. */
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { generateAdvisories } from '../support/feeds/advisory-xml.js';
import { startFakeAdvisoryFeed, type FakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';

const text = { responseType: 'text' as const, validateStatus: () => true };

/** Tags nest and close, entities are escaped: enough to tell a whole document from a broken one. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const [, close, name, , self] of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>/g)) {
    if (self) continue;
    if (!close) stack.push(name as string);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0 && !/&(?!(amp|lt|gt|quot|apos);)/.test(xml) && xml.trimEnd().endsWith('>');
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const field = (block: string, tag: string): string | undefined => {
  const m = new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`).exec(block);
  return m ? unescape(m[1] as string) : undefined;
};
const blocks = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] as string);

describe('advisory feed fake', () => {
  let fake: FakeAdvisoryFeed;
  beforeEach(async () => {
    fake = await startFakeAdvisoryFeed({ items: 5 });
  });
  afterEach(() => fake.close());

  it('serves the bulletins as RSS 2.0 at the AWS Security Bulletins path', async () => {
    const res = await axios.get<string>(fake.rssUrl, text);
    expect(fake.rssUrl).toBe(`${fake.url}/security/security-bulletins/rss/feed/`);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/rss+xml; charset=utf-8']);
    expect(wellFormed(res.data)).toBe(true);
    expect(res.data).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(field(res.data, 'title')).toBe('Security Bulletins');
    const items = blocks(res.data, 'item');
    expect(items.map((b) => field(b, 'guid'))).toEqual(fake.items.map((i) => i.id));
    const first = items[0] as string;
    expect(field(first, 'title')).toBe('CVE-2026-12345 - Issue with Amazon Linux 2023 kernel');
    expect(field(first, 'link')).toBe('https://aws.amazon.com/security/security-bulletins/AWS-2026-001/');
    expect(field(first, 'pubDate')).toBe('Sun, 01 Nov 2026 09:00:00 GMT');
    expect(field(items[2] as string, 'description')).toContain('<p>CVE Identifiers: CVE-2026-12347, CVE-2026-52347</p>');
    expect(first).toContain('&amp; restart');
  });

  it('serves the same bulletins as Atom entries with id, link href, updated and content', async () => {
    const res = await axios.get<string>(fake.atomUrl, text);
    expect([res.status, res.headers['content-type'], wellFormed(res.data)]).toEqual([200, 'application/atom+xml; charset=utf-8', true]);
    const entries = blocks(res.data, 'entry');
    expect(entries).toHaveLength(5);
    expect(field(entries[1] as string, 'id')).toBe('tag:advisories.example.com,2026:AWS-2026-002');
    expect(entries[1]).toContain('<link rel="alternate" type="text/html" href="https://aws.amazon.com/security/security-bulletins/AWS-2026-002/"/>');
    expect(field(entries[1] as string, 'updated')).toBe('2026-11-01T08:00:00.000Z');
    expect(field(entries[1] as string, 'content')).toContain('CVE Identifiers: CVE-2026-12346');
  });

  it('answers 304 with no body to If-None-Match or If-Modified-Since, until something is published', async () => {
    const first = await axios.get<string>(fake.rssUrl, text);
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    expect([etag, lastModified]).toEqual([fake.validators('rss').etag, 'Sun, 01 Nov 2026 09:00:00 GMT']);
    const byEtag = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': `"other", W/${etag}` } });
    expect([byEtag.status, byEtag.data, byEtag.headers.etag]).toEqual([304, '', etag]);
    const byDate = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-Modified-Since': lastModified } });
    expect(byDate.status).toBe(304);
    const older = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-Modified-Since': 'Sun, 01 Nov 2026 08:59:59 GMT' } });
    expect(older.status).toBe(200);
    const wrongEtagGoodDate = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified } });
    expect(wrongEtagGoodDate.status).toBe(200); // If-None-Match wins over If-Modified-Since
    expect(fake.knobs.feedCounts.rss).toEqual({ requests: 5, ok: 3, notModified: 2 });

    fake.knobs.addItems(...generateAdvisories(1, { newest: '2026-11-02T10:00:00.000Z', year: 2027 }));
    const changed = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(Date.parse(changed.headers['last-modified'] as string)).toBeGreaterThan(Date.parse(lastModified));
    expect(blocks(changed.data, 'item').map((b) => field(b, 'guid'))[0]).toBe('AWS-2027-001');
    const again = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-Modified-Since': lastModified } });
    expect(again.status).toBe(200);
  });

  it('moves an updated entry\'s Atom updated time and the document ETag', async () => {
    const before = fake.validators('atom').etag;
    const item = fake.knobs.updateItem('AWS-2026-003', { summary: 'Revised: a fix is available.' });
    const res = await axios.get<string>(fake.atomUrl, { ...text, headers: { 'If-None-Match': before } });
    expect(res.status).toBe(200);
    const entry = blocks(res.data, 'entry')[2] as string;
    expect([field(entry, 'summary'), field(entry, 'updated')]).toEqual(['Revised: a fix is available.', item.updated]);
    expect(Date.parse(item.updated)).toBeGreaterThan(Date.parse(item.published));
  });

  it('serves malformed XML on demand, 200 with its own ETag, then the feed again', async () => {
    const good = fake.validators('rss').etag;
    fake.knobs.serveMalformed(1);
    const broken = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': good } });
    expect([broken.status, broken.headers['content-type'], wellFormed(broken.data)]).toEqual([200, 'application/rss+xml; charset=utf-8', false]);
    expect(broken.data).not.toContain('</rss>');
    expect(broken.headers.etag).not.toBe(good);
    const healed = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': broken.headers.etag as string } });
    expect([healed.status, wellFormed(healed.data)]).toEqual([200, true]);
  });

  it('serves an HTML error page with status 200 instead of the feed, ignoring conditionals', async () => {
    fake.knobs.serveHtmlErrorPage();
    for (const url of [fake.rssUrl, fake.atomUrl]) {
      const res = await axios.get<string>(url, { ...text, headers: { 'If-None-Match': fake.validators('rss').etag } });
      expect([res.status, res.headers['content-type'], res.headers.etag]).toEqual([200, 'text/html; charset=utf-8', undefined]);
      expect(res.data).toMatch(/^<!DOCTYPE html>/);
    }
    fake.knobs.healthy();
    expect((await axios.get<string>(fake.atomUrl, text)).headers['content-type']).toBe('application/atom+xml; charset=utf-8');
  });

  it('answers slowly on demand, so a client timeout fires', async () => {
    fake.knobs.slow(2000, 1);
    const timedOut = await axios.get(fake.rssUrl, { timeout: 100 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(AxiosError);
    expect((timedOut as AxiosError).code).toBe('ECONNABORTED');
    expect((await axios.get<string>(fake.rssUrl, { ...text, timeout: 1000 })).status).toBe(200);
  });

  it('fails with the shared knobs: failNext and staysDown', async () => {
    fake.knobs.failNext({ status: 503, path: '.atom' });
    const failed: AxiosResponse<string> = await axios.get<string>(fake.atomUrl, text);
    expect([failed.status, failed.headers['content-type']]).toEqual([503, 'text/html']);
    expect((await axios.get<string>(fake.atomUrl, text)).status).toBe(200);
    fake.knobs.staysDown({ throttle: true, retryAfter: 30 });
    const throttled = await axios.get<string>(fake.rssUrl, text);
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '30']);
    fake.knobs.recover();
    expect((await axios.get<string>(fake.rssUrl, text)).status).toBe(200);
    expect(fake.knobs.counters.failed).toBe(2);
  });
});

describe('advisory feed fake: 10,000 items', () => {
  it('serves every item once per full fetch and revalidates with 304', async () => {
    const fake = await startFakeAdvisoryFeed({ items: 10_000 });
    try {
      const res = await axios.get<string>(fake.rssUrl, text);
      const guids = blocks(res.data, 'item').map((b) => field(b, 'guid'));
      expect([guids.length, new Set(guids).size, guids[9999]]).toEqual([10_000, 10_000, 'AWS-2026-10000']);
      expect(wellFormed(res.data)).toBe(true);
      const revalidated = await axios.get<string>(fake.rssUrl, { ...text, headers: { 'If-None-Match': res.headers.etag as string } });
      expect([revalidated.status, revalidated.data]).toEqual([304, '']);
      expect(fake.knobs.feedCounts.rss.notModified).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
