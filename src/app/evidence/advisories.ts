/**
 * The advisories of the period (AWS Security Bulletins and the other feeds of the policy): every advisory read in it,
 * or read before and still awaiting review when it began, with its review as it stood at the cut-off, the
 * remediations it is linked to, and whether its review came later than the policy's `reviewWithinDays`.
 */
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import type { CsvValue } from '../csv.js';
import type { Store } from '../ports.js';
import type { Window } from './judgements.js';

export interface AdvisoryRow {
  readonly advisory: Advisory;
  /** Its review, if given before the cut-off. */
  readonly review: AdvisoryReview | null;
  readonly links: readonly AdvisoryLink[];
  /** Reviewed after its deadline, or still unreviewed past it at the cut-off. */
  readonly late: boolean;
}

const DAY_MS = 86_400_000;
const BATCH = 200;

export async function advisoriesOf(store: Pick<Store, 'advisories'>, w: Window, reviewWithinDays: number): Promise<AdvisoryRow[]> {
  const seen = await store.advisories.list({ seenBefore: w.cutOff });
  const rows: AdvisoryRow[] = [];
  for (let i = 0; i < seen.length; i += BATCH) {
    const batch = seen.slice(i, i + BATCH);
    const ids = batch.map((a) => a.id);
    const [reviews, links] = await Promise.all([store.advisories.reviews(ids), store.advisories.links({ advisoryIds: ids })]);
    for (const advisory of batch) {
      const found = reviews.find((r) => r.advisoryId === advisory.id && r.at < w.cutOff) ?? null;
      const linked = links.filter((l) => l.advisoryId === advisory.id && l.at < w.cutOff);
      // Reviewed, or covered by a remediation sharing its CVE, before the period began: settled then, not the period's.
      const settledBefore = (found !== null && found.at < w.from) || linked.some((l) => l.via === 'cve' && l.at < w.from);
      if (advisory.firstSeenAt < w.from && settledBefore) continue;
      const deadline = new Date(Date.parse(advisory.firstSeenAt) + reviewWithinDays * DAY_MS).toISOString();
      // An advisory linked by CVE is covered by that remediation: it awaits no review.
      const late = found ? found.at > deadline : linked.length === 0 && deadline < w.cutOff;
      rows.push({ advisory, review: found, links: linked, late });
    }
  }
  return rows.sort((a, b) => a.advisory.firstSeenAt.localeCompare(b.advisory.firstSeenAt) || a.advisory.id.localeCompare(b.advisory.id));
}

export const ADVISORIES_HEADER = [
  'advisory', 'feed', 'title', 'link', 'cves', 'first_seen', 'published', 'review', 'reviewed_by', 'reviewed_at', 'reason', 'remediations', 'review_late',
] as const;

export const advisoryRow = ({ advisory: a, review, links, late }: AdvisoryRow): CsvValue[] => [
  a.id, a.feed, a.title, a.link, a.cves.join(' '), a.firstSeenAt, a.publishedAt, review?.decision ?? (links.length > 0 ? 'covered_by_cve' : 'awaiting_review'),
  review?.by ?? null, review?.at ?? null, review?.reason ?? null, [...new Set(links.map((l) => l.remediationId))].join(' '), late ? 'yes' : 'no',
];
