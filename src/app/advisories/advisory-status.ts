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
  /** Unreviewed, of all ages. */
  readonly unreviewed: number;
  /** Unreviewed and first seen more than reviewWithinDays ago. */
  readonly overdue: number;
  /** The oldest overdue ones (at most `limit`). */
  readonly oldest: readonly Advisory[];
}

/** How advisory reviews stand against the policy; indexed counts, a short list. */
export async function overdueReviews(store: Pick<Store, 'advisories'>, reviewWithinDays: number, now: Date, limit = 10): Promise<OverdueReviews> {
  const seenBefore = instant(addDays(now, -reviewWithinDays));
  const [unreviewed, overdue] = await Promise.all([store.advisories.count({ reviewed: false }), store.advisories.list({ reviewed: false, seenBefore })]);
  return { reviewWithinDays, unreviewed, overdue: overdue.length, oldest: [...overdue].reverse().slice(0, limit) };
}
