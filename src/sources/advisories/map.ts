/** A feed's item in the domain's words: an Advisory, keyed by the feed and the item's guid (or link). */
import { createHash } from 'node:crypto';
import { ADVISORY_SUMMARY_MAX, cvesIn, type Advisory } from '../../domain/advisory.js';
import type { FeedItem } from './parse-feed.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML as plain text: tags dropped (block ends become spaces), the common entities decoded, spaces collapsed. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** An ISO instant from an RFC 822 (RSS) or RFC 3339 (Atom) date; null when absent or unreadable. */
export function feedDate(value: string | null): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** What identifies an item in its feed: its guid / id, else its link, else its title. */
export const itemKeyOf = (item: FeedItem): string => (item.id ?? item.link ?? item.title).trim();

export const advisoryId = (feed: string, itemKey: string): string =>
  `adv-${createHash('sha256').update(`${feed.trim().toLowerCase()}\n${itemKey}`).digest('hex').slice(0, 16)}`;

export function toAdvisory(feed: string, item: FeedItem, seenAt: string): Advisory {
  const itemKey = itemKeyOf(item);
  const title = cut(plainText(item.title) || '(untitled advisory)', 500);
  const summary = cut(plainText(item.text), ADVISORY_SUMMARY_MAX);
  return {
    id: advisoryId(feed, itemKey),
    feed,
    itemKey,
    title,
    link: item.link && /^https?:\/\//i.test(item.link) ? item.link : null,
    summary,
    cves: cvesIn(item.title, item.text),
    publishedAt: feedDate(item.published),
    updatedAt: feedDate(item.updated),
    firstSeenAt: seenAt,
  };
}
