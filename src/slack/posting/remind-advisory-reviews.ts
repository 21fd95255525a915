/**
 * The daily reminder for advisory reviews: advisories unreviewed past the policy's `advisories.reviewWithinDays`
 * are named once each (claimed in the store, so never twice, whatever the replicas), in one message to the leads
 * in the patch channel, audited as `reminder.sent`. A refused message gives the claims back for the next run.
 */
import { overdueReviews } from '../../app/advisories/advisory-status.js';
import { SYSTEM_ID } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { SlackDeps } from '../deps.js';
import { escapeText, mention, plural, truncate } from '../views/format.js';

const LISTED = 10;

export function createAdvisoryReviewReminder(deps: SlackDeps): () => Promise<number> {
  const { store, client, policy } = deps;
  return async () => {
    const at = deps.now();
    const due = await overdueReviews(store, policy.advisories.reviewWithinDays, at, 1000);
    if (due.overdue === 0) return 0;
    const fresh = [];
    for (const a of due.oldest) if (await store.idempotency.claim(`advisory-review-reminder:${a.id}`, at)) fresh.push(a);
    if (fresh.length === 0) return 0;
    const leads = await deps.roles.usersWith('lead');
    const lines = fresh.slice(0, LISTED).map((a) => `• ${a.link ? `<${a.link}|${escapeText(truncate(a.title, 150))}>` : escapeText(truncate(a.title, 150))} (${escapeText(a.feed)})`);
    const more = fresh.length > LISTED ? `\n…and ${fresh.length - LISTED} more.` : '';
    const text = `:alarm_clock: ${leads.length > 0 ? leads.map((u) => mention(u)).join(' ') : 'Leads'}: ${plural(due.overdue, 'advisory', 'advisories')} awaiting review past the ${due.reviewWithinDays}-day deadline. Newly overdue:\n${lines.join('\n')}${more}\nReview each on its message: Not applicable, Covered by PW-…, or Create remediation.`;
    try {
      await client.chat.postMessage({ channel: deps.channel, text, unfurl_links: false });
    } catch (e) {
      for (const a of fresh) await store.idempotency.release(`advisory-review-reminder:${a.id}`);
      throw e;
    }
    await store.audit.append([{ at: instant(at), actor: SYSTEM_ID.reminders, action: 'reminder.sent', subject: 'advisories', data: { kind: 'advisory_review', advisoryIds: fresh.map((a) => a.id), overdue: due.overdue, to: leads } }]);
    return fresh.length;
  };
}
