/**
 * A lead's review of an advisory: not applicable here (the reason is required) or covered by a remediation we
 * already have. Each is ONE record (who, when, what, why) written with its audit event `advisory.reviewed` and the
 * Slack effects it owes (its `followUp`: the advisory's message updated, a note) in one unit; the store lets exactly
 * one review stand, so of two leads the second is told who decided, and only the first one's effects exist.
 */
import type { Advisory, AdvisoryReview } from '../../domain/advisory.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, rolesFor, type Actor } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import { TEXT_MAX } from '../../domain/transitions.js';
import type { AuditEventInput } from '../audit.js';
import type { AppError } from '../errors.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Store } from '../ports.js';

export type ReviewForm =
  | { readonly decision: 'not_applicable'; readonly reason: string }
  | { readonly decision: 'covered'; readonly remediationId: string; readonly reason: string }
  | { readonly decision: 'remediation_created'; readonly remediationId: string };

/** What a review owes in Slack, given the review about to be written and its advisory. */
export type ReviewFollowUp = (review: AdvisoryReview, advisory: Advisory) => readonly EffectInput[];

export interface ReviewDeps {
  readonly store: Pick<Store, 'advisories' | 'remediations'>;
  readonly now: () => Date;
  readonly followUp?: ReviewFollowUp;
}

export interface ReviewAdvisory {
  /** What submitting would be refused for, without recording anything. */
  check(advisoryId: string, form: ReviewForm, actor: Actor): Promise<AppError | null>;
  run(advisoryId: string, form: ReviewForm, actor: Actor): Promise<Result<AdvisoryReview, AppError>>;
}

export const reviewEvent = (r: AdvisoryReview, title: string): AuditEventInput => ({
  at: r.at, actor: r.by, action: 'advisory.reviewed', subject: r.advisoryId,
  data: { decision: r.decision, reason: r.reason, remediationId: r.remediationId, title },
});

export function createReviewAdvisory({ store, now, followUp = () => [] }: ReviewDeps): ReviewAdvisory {
  async function refusal(advisoryId: string, form: ReviewForm, actor: Actor): Promise<AppError | null> {
    if (!can(actor, 'review_advisory')) return { code: 'auth.forbidden', permission: 'review_advisory', required: rolesFor('review_advisory') };
    if (!(await store.advisories.get(advisoryId))) return { code: 'advisory.not_found', id: advisoryId };
    const [done] = await store.advisories.reviews([advisoryId]);
    if (done) return { code: 'advisory.already_reviewed', by: done.by, decision: done.decision, remediationId: done.remediationId };
    if (form.decision === 'not_applicable' && form.reason.trim() === '') return { code: 'input.required', field: 'reason' };
    if ('reason' in form && form.reason.length > TEXT_MAX) return { code: 'input.too_long', field: 'reason', max: TEXT_MAX };
    if (form.decision !== 'not_applicable' && !(await store.remediations.get(form.remediationId))) return { code: 'remediation.not_found', id: form.remediationId };
    return null;
  }

  return {
    check: refusal,
    async run(advisoryId, form, actor) {
      const refused = await refusal(advisoryId, form, actor);
      if (refused) return err(refused);
      const advisory = await store.advisories.get(advisoryId);
      if (!advisory) return err({ code: 'advisory.not_found', id: advisoryId });
      const review: AdvisoryReview = {
        advisoryId,
        decision: form.decision,
        by: actorId(actor),
        at: instant(now()),
        reason: 'reason' in form && form.reason.trim() !== '' ? form.reason.trim() : null,
        remediationId: form.decision === 'not_applicable' ? null : form.remediationId,
      };
      const written = await store.advisories.review(review, [reviewEvent(review, advisory.title)], followUp(review, advisory));
      if (written.ok) return ok(written.value);
      const [done] = await store.advisories.reviews([advisoryId]);
      return err(done ? { code: 'advisory.already_reviewed', by: done.by, decision: done.decision, remediationId: done.remediationId } : written.error);
    },
  };
}
