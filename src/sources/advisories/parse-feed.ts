/**
 * An advisory feed's document -> its items, for RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 alike. fast-xml-parser reads
 * the XML (its validator first, so a document cut off or otherwise broken is refused with the line and column,
 * never half read); zod then checks the shape of what we use. Entity expansion stays within the parser's default
 * limits, and no DTD is fetched.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { describeZodError } from '../shared/parse.js';

/** One item as the feed gives it, text still as written (HTML in descriptions kept). */
export interface FeedItem {
  /** guid / Atom id / rdf:about, else null. */
  readonly id: string | null;
  readonly title: string;
  readonly link: string | null;
  /** description, content:encoded, Atom summary and content, joined. */
  readonly text: string;
  readonly published: string | null;
  readonly updated: string | null;
}

export type FeedFormat = 'rss' | 'atom' | 'rdf';

export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly items: readonly FeedItem[];
}

/** Why a document is not a feed we can read; the message is said as it is, after the feed's name. */
export class FeedDocumentError extends Error {
  override name = 'FeedDocumentError';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

/** A text node as fast-xml-parser gives it: a string, or `{ '#text', '@_…' }` when it has attributes. */
const text = z
  .union([z.string(), z.number(), z.looseObject({ '#text': z.union([z.string(), z.number()]).optional() })])
  .transform((v) => (typeof v === 'object' ? String(v['#text'] ?? '') : String(v)));
const optionalText = text.optional().transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));
const linkElement = z.union([z.string(), z.looseObject({ '@_href': z.string().optional(), '@_rel': z.string().optional(), '#text': z.string().optional() })]);
const links = z.array(linkElement).optional();

const rssItem = z.looseObject({
  title: optionalText,
  link: links,
  guid: optionalText,
  pubDate: optionalText,
  date: optionalText,
  description: optionalText,
  encoded: optionalText,
  '@_about': z.string().optional(),
});
const atomEntry = z.looseObject({
  id: optionalText,
  title: optionalText,
  link: links,
  published: optionalText,
  updated: optionalText,
  summary: optionalText,
  content: optionalText,
});
const container = <T extends z.ZodType>(item: T, key: 'item' | 'entry') => z.looseObject({ [key]: z.array(item).optional() });

/** The alternate link of an Atom entry (or the first), the text of an RSS link. */
function linkOf(list: z.output<typeof links>): string | null {
  if (!list || list.length === 0) return null;
  const hrefs = list.map((l) => (typeof l === 'string' ? { href: l, rel: 'alternate' } : { href: l['@_href'] ?? l['#text'] ?? '', rel: l['@_rel'] ?? 'alternate' }));
  const found = hrefs.find((l) => l.rel === 'alternate' && l.href) ?? hrefs.find((l) => l.href);
  return found?.href.trim() || null;
}

const joined = (...parts: (string | null)[]): string => parts.filter((p): p is string => p !== null).join('\n');

function checked<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new FeedDocumentError(`its ${where} is not as RSS or Atom describe it: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The items of an RSS, RDF or Atom document; a FeedDocumentError saying what is wrong with any other text. */
export function parseFeed(document: string): ParsedFeed {
  const valid = XMLValidator.validate(document);
  if (valid !== true) throw new FeedDocumentError(`it is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
  const root = parser.parse(document) as Record<string, unknown>;
  if ('html' in root) throw new FeedDocumentError('it is an HTML page, not an RSS or Atom feed');
  if ('feed' in root) {
    const feed = checked(container(atomEntry, 'entry'), root['feed'], 'feed element');
    const items = (feed['entry'] as z.output<typeof atomEntry>[] | undefined ?? []).map((e) => ({
      id: e.id, title: e.title ?? '', link: linkOf(e.link), text: joined(e.summary, e.content), published: e.published ?? e.updated, updated: e.updated,
    }));
    return { format: 'atom', items };
  }
  const rss = root['rss'] as Record<string, unknown> | undefined;
  const rdf = root['RDF'] as Record<string, unknown> | undefined;
  if (!rss && !rdf) throw new FeedDocumentError(`its root element is <${Object.keys(root).find((k) => !k.startsWith('?')) ?? 'none'}>, not <rss>, <rdf:RDF> or <feed>`);
  // RSS 2.0 keeps items in its channel; RSS 1.0 (RDF) beside it.
  const holder = rss ? checked(z.looseObject({ channel: z.unknown() }), rss, 'rss element').channel : rdf;
  const channel = checked(container(rssItem, 'item'), holder, rss ? 'channel' : 'rdf:RDF element');
  const items = (channel['item'] as z.output<typeof rssItem>[] | undefined ?? []).map((i) => ({
    id: i.guid ?? i['@_about'] ?? null, title: i.title ?? '', link: linkOf(i.link), text: joined(i.description, i.encoded), published: i.pubDate ?? i.date, updated: null,
  }));
  return { format: rss ? 'rss' : 'rdf', items };
}
