/**
 * What is known about advisories at a glance, for their messages, the digest, `/patch status` and the reminders:
 * each with its review (if any) and the remediations it is linked to; and the unreviewed ones past the policy's
 * `advisories.reviewWithinDays`.
 */
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import { addDays, instant } from '../../domain/time.js';
import type { Store } from '../ports.js';

export interface AdvisoryStatus {
  readonly advisory: Advisory;
  readonly review: AdvisoryReview | null;
  readonly links: readonly AdvisoryLink[];
}

export async function advisoryStatuses(store: Pick<Store, 'advisories'>, advisories: readonly Advisory[]): Promise<AdvisoryStatus[]> {
  if (advisories.length === 0) return [];
  const ids = advisories.map((a) => a.id);
  const [reviews, links] = await Promise.all([store.advisories.reviews(ids), store.advisories.links({ advisoryIds: ids })]);
  const reviewOf = new Map(reviews.map((r) => [r.advisoryId, r]));
  return advisories.map((advisory) => ({ advisory, review: reviewOf.get(advisory.id) ?? null, links: links.filter((l) => l.advisoryId === advisory.id) }));
}

export async function advisoryStatus(store: Pick<Store, 'advisories'>, id: string): Promise<AdvisoryStatus | null> {
  const advisory = await store.advisories.get(id);
  return advisory ? ((await advisoryStatuses(store, [advisory]))[0] ?? null) : null;
}

export interface OverdueReviews {
  readonly reviewWithinDays: number;
  /**
   * Awaiting review, of all ages (an advisory linked by CVE is covered by that remediation, and the baseline of a
   * feed was never to be reviewed one by one: they await nothing).
   */
  readonly unreviewed: number;
  /** Awaiting review and first seen more than reviewWithinDays ago. */
  readonly overdue: number;
  /** The oldest overdue ones (at most `limit`). */
  readonly oldest: readonly Advisory[];
}

/** How advisory reviews stand against the policy: those without a review or a link (not the baseline), and the overdue among them. */
export async function overdueReviews(store: Pick<Store, 'advisories'>, reviewWithinDays: number, now: Date, limit = 10): Promise<OverdueReviews> {
  const seenBefore = instant(addDays(now, -reviewWithinDays));
  const unreviewed = await store.advisories.list({ reviewed: false, baseline: false });
  const linked = new Set((await store.advisories.links({ advisoryIds: unreviewed.map((a) => a.id) })).map((l) => l.advisoryId));
  const waiting = unreviewed.filter((a) => !linked.has(a.id));
  const overdue = waiting.filter((a) => a.firstSeenAt < seenBefore);
  return { reviewWithinDays, unreviewed: waiting.length, overdue: overdue.length, oldest: [...overdue].reverse().slice(0, limit) };
}
