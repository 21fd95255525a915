/**
 * The daily reminder for advisory reviews: advisories unreviewed past the policy's `advisories.reviewWithinDays`
 * (the baseline and those a CVE links to a remediation await none) are named once each, in one message to the leads
 * in the patch channel, recorded with `reminder.sent` and its delivery in one commit
 * (src/app/advisories/review-reminders.ts), then delivered by the outbox at once.
 */
import { randomUUID } from 'node:crypto';
import { overdueReviews } from '../../app/advisories/advisory-status.js';
import { createReviewReminderLog } from '../../app/advisories/review-reminders.js';
import type { SlackDeps } from '../deps.js';
import { reviewReminder } from '../views/advisory-reminder.js';

/** Overdue advisories looked at per run (the oldest first); more wait for the next day's run. */
const PER_RUN = 1000;

export function createAdvisoryReviewReminder(deps: SlackDeps): () => Promise<number> {
  const { store, policy } = deps;
  const log = createReviewReminderLog({ store, now: deps.now });
  return async () => {
    const due = await overdueReviews(store, policy.advisories.reviewWithinDays, deps.now(), PER_RUN);
    if (due.overdue === 0) return 0;
    const leads = await deps.roles.usersWith('lead');
    const subject = `reminders:advisories:${randomUUID().slice(0, 8)}`;
    const named = await log(due.oldest, due.overdue, (fresh) => {
      const { text } = reviewReminder(fresh, due, leads);
      return { to: leads, effects: [{ kind: 'slack.post', subject, data: { text } }] };
    });
    if (named.length > 0) await deps.outbox.drain([subject]);
    return named.length;
  };
}
