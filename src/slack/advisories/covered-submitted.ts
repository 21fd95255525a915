/** Covered by submitted: the remediation picked (or typed) must exist; the review is recorded and linked, with what it owes. */
import { advisorySubject } from '../../app/advisories/advisory-messages.js';
import { createReviewAdvisory } from '../../app/advisories/review-advisory.js';
import { err, ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { option, textOf } from '../workflow/view-state.js';
import { reviewFollowUp } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';

export const coveredSubmitted = (deps: SlackDeps) => {
  const review = createReviewAdvisory({ store: deps.store, now: deps.now, followUp: reviewFollowUp(() => deps.policy.timezone) });
  const form = (f: { remediationId: string; reason: string }) => ({ decision: 'covered' as const, ...f });
  return onAdvisorySubmit(deps, {
    read: (values, meta) => {
      const typed = textOf(values, INPUT.remediationTyped).trim().toUpperCase();
      const remediationId = typed || option(values, INPUT.remediation) || '';
      if (!/^PW-\d{1,9}$/.test(remediationId)) {
        const at = typed || !values[INPUT.remediation] ? INPUT.remediationTyped : INPUT.remediation;
        return err({ [at]: typed ? 'A remediation id looks like PW-12.' : 'Pick the remediation that covers it, or type its id.' });
      }
      return ok({ advisoryId: meta.a ?? '', remediationId, reason: textOf(values, INPUT.reason) });
    },
    check: (f, actor) => review.check(f.advisoryId, form(f), actor),
    run: (f, actor) => review.run(f.advisoryId, form(f), actor),
    done: (r) => deps.outbox.drain([advisorySubject(r.advisoryId), ...(r.remediationId ? [r.remediationId] : [])]),
  });
};
