/**
 * The digest's advisories as a CSV file (same rules as src/app/csv.ts): every advisory first read since the last digest,
 * the feeds' baseline among them, and those first read earlier still awaiting review, each with how it stands (its
 * review and who made it, its links, or how long it has waited). What an auditor asks for step 2: each advisory
 * received, and what was decided about it.
 */
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import { reviewOverdue } from '../../domain/advisory.js';
import { toCsv } from '../../app/csv.js';

export const ADVISORY_CSV_HEADER = [
  'advisory_id', 'feed', 'item', 'title', 'link', 'published_at', 'first_seen_at', 'cves', 'status',
  'decision', 'reviewed_by', 'reviewed_at', 'reason', 'remediation', 'linked_remediations',
] as const;

/** `baseline`, `reviewed`, `linked`, `overdue` or `awaiting review`. */
export function advisoryState(s: AdvisoryStatus, reviewWithinDays: number, now: Date): string {
  if (s.review) return 'reviewed';
  if (s.links.length > 0) return 'linked';
  if (s.advisory.baseline) return 'baseline';
  return reviewOverdue(s.advisory, false, reviewWithinDays, now) ? 'overdue' : 'awaiting review';
}

export function advisoriesCsv(statuses: readonly AdvisoryStatus[], reviewWithinDays: number, now: Date): string {
  const rows = statuses.map((s) => {
    const a = s.advisory;
    const r = s.review;
    return [
      a.id, a.feed, a.itemKey, a.title, a.link, a.publishedAt, a.firstSeenAt, a.cves.join(' '), advisoryState(s, reviewWithinDays, now),
      r?.decision, r?.by, r?.at, r?.reason, r?.remediationId, [...new Set(s.links.map((l) => l.remediationId))].join(' '),
    ];
  });
  return toCsv(ADVISORY_CSV_HEADER, rows);
}
