/**
 * Advisory items and the two documents the advisory-feed fake serves: an RSS 2.0 channel modelled on the AWS
 * Security Bulletins feed (items with title, link, guid, pubDate and a description naming the CVE ids) and a
 * generic Atom 1.0 feed (entries with id, title, link href, published, updated, summary and content). Text is
 * entity-escaped (`&amp;`, `&lt;`...), so the description's HTML arrives escaped, as most generators write it.
 */

export interface AdvisoryItem {
  /** Bulletin id, e.g. `AWS-2026-001`; the RSS guid and the tail of the Atom entry id. */
  id: string;
  title: string;
  /** The bulletin page, e.g. https://aws.amazon.com/security/security-bulletins/AWS-2026-001/ */
  link: string;
  /** ISO 8601. RSS pubDate and Atom published. */
  published: string;
  /** ISO 8601, not before `published`. Atom updated. */
  updated: string;
  cves: string[];
  /** Plain text; the RSS description and Atom content wrap it with the CVE list. */
  summary: string;
}

export const BULLETINS_PAGE = 'https://aws.amazon.com/security/security-bulletins/';
const PRODUCTS = ['Amazon Linux 2023 kernel', 'Amazon ECS agent', 'AWS CLI v2', 'Amazon EKS optimized AMI', 'OpenSSL in Amazon Linux 2', 'AWS SDK for JavaScript v3'];

/**
 * `count` deterministic bulletins, newest first: item i is AWS-<year>-<i+1> published `i` hours before `newest`,
 * naming CVE-<year>-<12345+i> (every third item names a second CVE).
 */
export function generateAdvisories(count: number, opts: { newest?: string; year?: number } = {}): AdvisoryItem[] {
  const newest = Date.parse(opts.newest ?? '2026-11-01T09:00:00.000Z');
  const year = opts.year ?? 2026;
  return Array.from({ length: count }, (_, i) => {
    const id = `AWS-${year}-${String(i + 1).padStart(3, '0')}`;
    const cves = [`CVE-${year}-${12345 + i}`, ...(i % 3 === 2 ? [`CVE-${year}-${52345 + i}`] : [])];
    const product = PRODUCTS[i % PRODUCTS.length] as string;
    const at = new Date(newest - i * 3_600_000).toISOString();
    return {
      id, link: `${BULLETINS_PAGE}${id}/`, published: at, updated: at, cves,
      title: `${cves[0]} - Issue with ${product}`,
      summary: `AWS is aware of an issue in ${product} (${cves.join(', ')}). Customers should update to the latest version & restart affected instances.`,
    };
  });
}

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** RFC 822 date as RSS 2.0 wants it: `Sun, 01 Nov 2026 09:00:00 GMT`. */
export const rfc822 = (iso: string): string => new Date(iso).toUTCString();

const bulletinHtml = (item: AdvisoryItem): string =>
  `<p>Publication Date: ${item.published.slice(0, 10)}</p><p>CVE Identifiers: ${item.cves.join(', ')}</p><p>${item.summary}</p>`;

export interface ChannelInfo {
  /** Absolute URL of the document itself (atom:link rel=self / Atom link rel=self). */
  selfUrl: string;
  /** ISO time of the last change (lastBuildDate / feed updated). */
  builtAt: string;
}

export function renderRss(items: readonly AdvisoryItem[], channel: ChannelInfo): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    '<title>Security Bulletins</title>',
    `<link>${BULLETINS_PAGE}</link>`,
    '<description>The latest security bulletins from Amazon Web Services</description>',
    '<language>en-us</language>',
    `<lastBuildDate>${rfc822(channel.builtAt)}</lastBuildDate>`,
    `<atom:link href="${escapeXml(channel.selfUrl)}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const item of items) {
    out.push(
      '<item>',
      `<title>${escapeXml(item.title)}</title>`,
      `<link>${escapeXml(item.link)}</link>`,
      `<guid isPermaLink="false">${escapeXml(item.id)}</guid>`,
      `<pubDate>${rfc822(item.published)}</pubDate>`,
      `<description>${escapeXml(bulletinHtml(item))}</description>`,
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

export function renderAtom(items: readonly AdvisoryItem[], channel: ChannelInfo): string {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '<id>tag:advisories.example.com,2026:feed</id>',
    '<title>Security advisories</title>',
    `<updated>${channel.builtAt}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(channel.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${BULLETINS_PAGE}"/>`,
    '<author><name>Security Team</name></author>',
  ];
  for (const item of items) {
    out.push(
      '<entry>',
      `<id>tag:advisories.example.com,2026:${escapeXml(item.id)}</id>`,
      `<title type="text">${escapeXml(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${escapeXml(item.link)}"/>`,
      `<published>${item.published}</published>`,
      `<updated>${item.updated}</updated>`,
      `<summary type="text">${escapeXml(item.summary)}</summary>`,
      `<content type="html">${escapeXml(bulletinHtml(item))}</content>`,
      '</entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/** What a broken upstream sends: the real document cut off inside an item, so it never closes. */
export function truncate(document: string): string {
  const cut = document.indexOf('</title>', Math.floor(document.length / 2));
  return document.slice(0, cut > 0 ? cut : Math.floor(document.length / 2));
}

/** A CDN / proxy error page served with status 200 where the feed should be. */
export const HTML_ERROR_PAGE = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>503 Service Temporarily Unavailable</title></head>'
  + '<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>\n';
