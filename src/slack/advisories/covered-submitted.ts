/** Covered by submitted: the remediation picked (or typed) must exist; the review is recorded and linked. */
import { createReviewAdvisory } from '../../app/advisories/review-advisory.js';
import { err, ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import type { AdvisoryPublisher } from '../posting/publish-advisory.js';
import { option, textOf } from '../workflow/view-state.js';
import { reviewNote } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';

export const coveredSubmitted = (deps: SlackDeps, advisories: AdvisoryPublisher) => {
  const review = createReviewAdvisory({ store: deps.store, now: deps.now });
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
    done: async (r) => {
      await advisories.publish(r.advisoryId, reviewNote(r, deps.policy.timezone));
      const covering = r.remediationId ? await deps.store.remediations.get(r.remediationId) : null;
      const advisory = await deps.store.advisories.get(r.advisoryId);
      if (covering && advisory) await deps.publisher.publish(covering, `:mega: <@${r.by}> recorded that ${covering.id} covers the advisory “${advisory.title}”.`);
    },
  });
};
