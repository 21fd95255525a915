/** Not applicable submitted: an empty reason is refused inline; else the review is recorded with what it owes, and done. */
import { advisorySubject } from '../../app/advisories/advisory-messages.js';
import { createReviewAdvisory } from '../../app/advisories/review-advisory.js';
import { ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { textOf } from '../workflow/view-state.js';
import { reviewFollowUp } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';

export const notApplicableSubmitted = (deps: SlackDeps) => {
  const review = createReviewAdvisory({ store: deps.store, now: deps.now, followUp: reviewFollowUp(() => deps.policy.timezone) });
  return onAdvisorySubmit(deps, {
    read: (values, meta) => ok({ advisoryId: meta.a ?? '', reason: textOf(values, INPUT.reason) }),
    check: (f, actor) => review.check(f.advisoryId, { decision: 'not_applicable', reason: f.reason }, actor),
    run: (f, actor) => review.run(f.advisoryId, { decision: 'not_applicable', reason: f.reason }, actor),
    done: (r) => deps.outbox.drain([advisorySubject(r.advisoryId)]),
  });
};
