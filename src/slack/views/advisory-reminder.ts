/** The leads' reminder of advisories awaiting review past the policy's deadline (pure): the newly overdue named, the rest counted. */
import type { OverdueReviews } from '../../app/advisories/advisory-status.js';
import type { Advisory } from '../../domain/advisory.js';
import { escapeText, mention, plural, truncate } from './format.js';

/** Advisories named one by one; the rest are counted. */
export const REMINDER_LISTED = 10;

export function reviewReminder(fresh: readonly Advisory[], due: Pick<OverdueReviews, 'overdue' | 'reviewWithinDays'>, leads: readonly string[]): { text: string } {
  const line = (a: Advisory): string => `• ${a.link ? `<${a.link}|${escapeText(truncate(a.title, 150))}>` : escapeText(truncate(a.title, 150))} (${escapeText(truncate(a.feed, 80))})`;
  const more = fresh.length > REMINDER_LISTED ? `\n…and ${plural(fresh.length - REMINDER_LISTED, 'more', 'more')}.` : '';
  const who = leads.length > 0 ? leads.slice(0, 20).map((u) => mention(u)).join(' ') : 'Leads';
  const text = `:alarm_clock: ${who}: ${plural(due.overdue, 'advisory', 'advisories')} awaiting review past the ${due.reviewWithinDays}-day deadline. Newly overdue:\n${fresh.slice(0, REMINDER_LISTED).map(line).join('\n')}${more}\nReview each on its message: Not applicable, Covered by PW-…, or Create remediation.`;
  return { text };
}
