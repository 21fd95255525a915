/**
 * An advisory's ONE message in the patch channel: what it says (title linked to the bulletin, feed, date, CVEs),
 * the remediations it is linked to, and either its review (who decided what, and why) or the three ways to review
 * it: Not applicable, Covered by PW-…, Create remediation. Rebuilt and updated in place after the review.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import type { AdvisoryReview } from '../../domain/advisory.js';
import { ACTION, encodeAdvisoryValue } from '../ids.js';
import { context, section } from './blocks.js';
import { escapeText, formatDate, mention, truncate } from './format.js';
import type { SlackMessage } from './remediation-message.js';

const button = (text: string, actionId: string, id: string, style?: 'primary'): Button => ({
  type: 'button', text: { type: 'plain_text', text }, action_id: actionId, value: encodeAdvisoryValue({ a: id }), ...(style ? { style } : {}),
});

export function reviewLine(r: AdvisoryReview, timeZone: string): string {
  const when = formatDate(r.at, timeZone);
  const why = r.reason ? ` “${escapeText(truncate(r.reason, 500))}”` : '';
  switch (r.decision) {
    case 'not_applicable':
      return `:white_check_mark: *Not applicable*, reviewed by ${mention(r.by)} on ${when}:${why}`;
    case 'covered':
      return `:white_check_mark: *Covered by ${r.remediationId}*, reviewed by ${mention(r.by)} on ${when}.${why}`;
    case 'remediation_created':
      return `:white_check_mark: *Remediation ${r.remediationId} created* from it by ${mention(r.by)} on ${when}; it follows the normal workflow.`;
  }
}

/** `<link|title>` (escaped), or the title alone. */
export const advisoryTitle = (s: Pick<AdvisoryStatus, 'advisory'>): string => {
  const title = escapeText(truncate(s.advisory.title, 200));
  return s.advisory.link ? `<${s.advisory.link}|${title}>` : title;
};

export function advisoryMessage(s: AdvisoryStatus, timeZone: string): SlackMessage {
  const a = s.advisory;
  const when = a.publishedAt ? `published ${formatDate(a.publishedAt, timeZone)}` : `seen ${formatDate(a.firstSeenAt, timeZone)}`;
  const cves = a.cves.length > 0 ? truncate(a.cves.slice(0, 10).join(', ') + (a.cves.length > 10 ? ` +${a.cves.length - 10} more` : ''), 600) : 'no CVE named';
  const linked = [...new Set(s.links.map((l) => l.remediationId))];
  const blocks: KnownBlock[] = [
    section(`:mega: *Advisory* · ${advisoryTitle(s)}`, 'advisory'),
    context(`${escapeText(a.feed)} · ${when} · ${escapeText(cves)}`, 'advisory-facts'),
    ...(a.summary ? [section(escapeText(truncate(a.summary, 600)), 'advisory-summary')] : []),
    ...(linked.length > 0 ? [section(`:link: Linked to ${linked.map((id) => `*${id}*`).join(', ')} (a CVE we have open): see \`/patch show ${linked[0]}\`.`, 'advisory-links')] : []),
  ];
  if (s.review) blocks.push(section(reviewLine(s.review, timeZone), 'advisory-review'));
  else {
    blocks.push(context('A lead reviews each advisory: does it apply to us, and what are we doing about it?', 'advisory-ask'));
    blocks.push({
      type: 'actions',
      block_id: 'advisory-review-actions',
      elements: [button('Create remediation', ACTION.advisoryCreate, a.id, 'primary'), button('Covered by PW-…', ACTION.advisoryCovered, a.id), button('Not applicable', ACTION.advisoryNotApplicable, a.id)],
    });
  }
  const state = s.review ? 'reviewed' : 'awaiting review';
  return { text: truncate(`Advisory: ${a.title} (${a.feed}), ${state}`, 3000), blocks };
}
