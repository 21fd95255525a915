/**
 * The advisories of the period (AWS Security Bulletins and the other feeds of the policy): every advisory read in it,
 * or read before and still awaiting review when it began, with its review as it stood at the cut-off, the
 * remediations it is linked to, and whether its review came later than the policy's `reviewWithinDays`. A feed's
 * baseline (what its first read recorded without posting) awaits no review: it is listed, never late.
 */
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import type { CsvValue } from '../csv.js';
import type { Store } from '../ports.js';
import type { Window } from './judgements.js';

/** How an advisory stood at the cut-off: a lead's review, a remediation sharing its CVE, its feed's baseline, or nothing yet. */
export type AdvisoryStanding = 'reviewed' | 'covered_by_cve' | 'baseline' | 'awaiting_review';

export interface AdvisoryRow {
  readonly advisory: Advisory;
  /** Its review, if given before the cut-off. */
  readonly review: AdvisoryReview | null;
  readonly links: readonly AdvisoryLink[];
  readonly standing: AdvisoryStanding;
  /** Reviewed after its deadline, or still awaiting review past it at the cut-off. */
  readonly late: boolean;
}

const DAY_MS = 86_400_000;
const BATCH = 200;

function standingOf(advisory: Advisory, review: AdvisoryReview | null, links: readonly AdvisoryLink[]): AdvisoryStanding {
  if (review) return 'reviewed';
  if (links.some((l) => l.via === 'cve')) return 'covered_by_cve';
  return advisory.baseline ? 'baseline' : 'awaiting_review';
}

export async function advisoriesOf(store: Pick<Store, 'advisories'>, w: Window, reviewWithinDays: number): Promise<AdvisoryRow[]> {
  const seen = await store.advisories.list({ seenBefore: w.cutOff });
  const rows: AdvisoryRow[] = [];
  for (let i = 0; i < seen.length; i += BATCH) {
    const batch = seen.slice(i, i + BATCH);
    const ids = batch.map((a) => a.id);
    const [reviews, links] = await Promise.all([store.advisories.reviews(ids), store.advisories.links({ advisoryIds: ids })]);
    const reviewOf = new Map(reviews.filter((r) => r.at < w.cutOff).map((r) => [r.advisoryId, r]));
    for (const advisory of batch) {
      const review = reviewOf.get(advisory.id) ?? null;
      const linked = links.filter((l) => l.advisoryId === advisory.id && l.at < w.cutOff);
      // Reviewed before the period, or (not reviewed in it) covered by a remediation sharing its CVE or its feed's
      // baseline before it: settled then, not the period's.
      const settledBefore = review ? review.at < w.from : advisory.baseline === true || linked.some((l) => l.via === 'cve' && l.at < w.from);
      if (advisory.firstSeenAt < w.from && settledBefore) continue;
      const standing = standingOf(advisory, review, linked);
      const deadline = new Date(Date.parse(advisory.firstSeenAt) + reviewWithinDays * DAY_MS).toISOString();
      const late = standing === 'reviewed' ? review!.at > deadline : standing === 'awaiting_review' && deadline < w.cutOff;
      rows.push({ advisory, review, links: linked, standing, late });
    }
  }
  return rows.sort((a, b) => a.advisory.firstSeenAt.localeCompare(b.advisory.firstSeenAt) || a.advisory.id.localeCompare(b.advisory.id));
}

export const ADVISORIES_HEADER = [
  'advisory', 'feed', 'title', 'link', 'cves', 'first_seen', 'published', 'review', 'reviewed_by', 'reviewed_at', 'reason', 'remediations', 'review_late',
] as const;

export const advisoryRow = ({ advisory: a, review, links, standing, late }: AdvisoryRow): CsvValue[] => [
  a.id, a.feed, a.title, a.link, a.cves.join(' '), a.firstSeenAt, a.publishedAt, review?.decision ?? standing,
  review?.by ?? null, review?.at ?? null, review?.reason ?? null, [...new Set(links.map((l) => l.remediationId))].join(' '), late ? 'yes' : 'no',
];
