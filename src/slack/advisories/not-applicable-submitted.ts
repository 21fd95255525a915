/** Not applicable submitted: an empty reason is refused inline; else the review is recorded and the message updated. */
import { createReviewAdvisory } from '../../app/advisories/review-advisory.js';
import { ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { textOf } from '../workflow/view-state.js';
import type { AdvisoryPublisher } from '../posting/publish-advisory.js';
import { reviewNote } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';

export const notApplicableSubmitted = (deps: SlackDeps, advisories: AdvisoryPublisher) => {
  const review = createReviewAdvisory({ store: deps.store, now: deps.now });
  return onAdvisorySubmit(deps, {
    read: (values, meta) => ok({ advisoryId: meta.a ?? '', reason: textOf(values, INPUT.reason) }),
    check: (f, actor) => review.check(f.advisoryId, { decision: 'not_applicable', reason: f.reason }, actor),
    run: (f, actor) => review.run(f.advisoryId, { decision: 'not_applicable', reason: f.reason }, actor),
    done: (r) => advisories.publish(r.advisoryId, reviewNote(r, deps.policy.timezone)),
  });
};
