/**
 * Advisories: what a security-advisory feed publishes (AWS Security Bulletins, an OS vendor's, a database's). An
 * advisory names no asset of ours, so a lead reviews each one: not applicable here (why), covered by a remediation
 * we already have, or a new remediation made for it. Each review is a record (who, when, what, why); an advisory
 * is linked to the remediations whose open findings share one of its CVEs.
 */
import type { Instant } from './time.js';

export interface Advisory {
  /** `adv-<12 hex>`: derived from the feed's name and the item's guid (or link), so an item is stored once. */
  readonly id: string;
  /** The policy's name of the feed it came from. */
  readonly feed: string;
  /** The item's guid (RSS) or id (Atom), else its link: what identifies it within its feed. */
  readonly itemKey: string;
  readonly title: string;
  readonly link: string | null;
  /** Plain text (HTML removed), at most ADVISORY_SUMMARY_MAX characters. */
  readonly summary: string;
  /** CVE ids found in its title and text, upper case, sorted. */
  readonly cves: readonly string[];
  /** As the feed says (RSS pubDate, Atom published), when it says. */
  readonly publishedAt: Instant | null;
  /** Atom `updated` (RSS has none), when given. */
  readonly updatedAt: Instant | null;
  /** When patchwarden first read it: the review clock starts here. */
  readonly firstSeenAt: Instant;
  /**
   * Recorded as its feed's baseline (published before monitoring of the feed began, see `firstReadBaseline`):
   * stored and listed, never posted, awaiting no review. Absent for every other advisory.
   */
  readonly baseline?: true;
}

export const ADVISORY_SUMMARY_MAX = 2000;

export const ADVISORY_DECISIONS = ['not_applicable', 'covered', 'remediation_created'] as const;
export type AdvisoryDecision = (typeof ADVISORY_DECISIONS)[number];

/** A lead's review of one advisory; there is at most one per advisory. */
export interface AdvisoryReview {
  readonly advisoryId: string;
  readonly decision: AdvisoryDecision;
  readonly by: string;
  readonly at: Instant;
  /** Why it does not apply (required for not_applicable), or how the remediation covers it. */
  readonly reason: string | null;
  /** The remediation that covers it, or the one made for it. */
  readonly remediationId: string | null;
}

/** Why an advisory and a remediation belong together: a shared CVE (the sync), or a lead's review. */
export interface AdvisoryLink {
  readonly advisoryId: string;
  readonly remediationId: string;
  readonly via: 'cve' | 'review';
  readonly cves: readonly string[];
  readonly at: Instant;
}

const CVE_PATTERN = /CVE-\d{4}-\d{4,7}/gi;

/** Every CVE id in the texts, upper case, once each, sorted. */
export function cvesIn(...texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(CVE_PATTERN)) found.add(m[0].toUpperCase());
  return [...found].sort();
}

/** Unreviewed and first seen before the review deadline: what `/patch status` and the reminders count. */
export const reviewOverdue = (a: Pick<Advisory, 'firstSeenAt'>, reviewed: boolean, reviewWithinDays: number, now: Date): boolean =>
  !reviewed && Date.parse(a.firstSeenAt) + reviewWithinDays * 86_400_000 <= now.getTime();

/** What the sync compares to decide an item changed (the review clock is never moved). */
export const sameAdvisory = (a: Advisory, b: Advisory): boolean =>
  a.title === b.title && a.link === b.link && a.summary === b.summary && a.publishedAt === b.publishedAt && a.updatedAt === b.updatedAt
  && a.cves.length === b.cves.length && a.cves.every((c, i) => c === b.cves[i]);

/**
 * What a feed's first read reviews one by one: when monitoring of a feed begins, the items published within
 * `reviewDays` before it (at most the newest `reviewAtMost`) are reviewed like new ones; every older item, every
 * undated one and those beyond the cap are recorded as the feed's baseline (stored, listed, awaiting no review).
 * Every item that appears after the first read is reviewed, whatever its date.
 */
export interface FirstReadRule {
  readonly reviewDays: number;
  readonly reviewAtMost: number;
}

export const DEFAULT_FIRST_READ: FirstReadRule = { reviewDays: 30, reviewAtMost: 20 };

/** The ids of `items` (one feed's first read) that are its baseline, given when monitoring began. */
export function firstReadBaseline(items: readonly Pick<Advisory, 'id' | 'publishedAt' | 'updatedAt'>[], since: Date, rule: FirstReadRule): Set<string> {
  const from = since.getTime() - rule.reviewDays * 86_400_000;
  const dated = items.map((a) => ({ id: a.id, at: Date.parse(a.publishedAt ?? a.updatedAt ?? '') }));
  const reviewed = dated
    .filter((a) => Number.isFinite(a.at) && a.at >= from)
    .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1))
    .slice(0, Math.max(0, rule.reviewAtMost));
  const kept = new Set(reviewed.map((a) => a.id));
  return new Set(items.filter((a) => !kept.has(a.id)).map((a) => a.id));
}
