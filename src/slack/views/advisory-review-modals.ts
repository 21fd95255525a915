/** The two review modals of an advisory: Not applicable (the reason required) and Covered by a remediation (pick it). */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import type { Remediation } from '../../domain/remediation.js';
import { INPUT, VIEW } from '../ids.js';
import { advisoryTitle } from './advisory-message.js';
import { escapeText, truncate } from './format.js';
import { input, md, option, plain } from './modal-parts.js';

const heading = (s: AdvisoryStatus): KnownBlock => ({
  type: 'section', block_id: 'advisory', text: md(`*${advisoryTitle(s)}*\n${escapeText(s.advisory.feed)} · ${escapeText(s.advisory.cves.slice(0, 8).join(', ') || 'no CVE named')}`),
});

export function notApplicableModal(s: AdvisoryStatus, privateMetadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.advisoryNotApplicable,
    title: plain('Not applicable', 24),
    submit: plain('Record review', 24),
    close: plain('Cancel', 24),
    private_metadata: privateMetadata,
    blocks: [
      heading(s),
      input(INPUT.reason, 'Why it does not apply to us', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('We run no Amazon Linux 2; the affected service is not used…', 150) }, {
        hint: 'Kept with your name as the review an auditor reads. Required.',
        optional: true,
      }),
    ],
  };
}

/** Options: the remediations linked to it by CVE first, then open ones by due date (Slack takes at most 100). */
export function coveredModal(s: AdvisoryStatus, linked: readonly Remediation[], open: readonly Remediation[], privateMetadata: string): ModalView {
  const label = (r: Remediation): PlainTextOption => option(truncate(`${r.id} · ${r.title}`, 75), r.id);
  const linkedIds = new Set(linked.map((r) => r.id));
  const others = open.filter((r) => !linkedIds.has(r.id)).slice(0, Math.max(0, 100 - linked.length));
  const groups = [
    ...(linked.length > 0 ? [{ label: plain('Linked by a CVE', 75), options: linked.slice(0, 100).map(label) }] : []),
    ...(others.length > 0 ? [{ label: plain('Open remediations', 75), options: others.map(label) }] : []),
  ];
  const blocks: KnownBlock[] = [heading(s)];
  if (groups.length > 0) {
    blocks.push(input(INPUT.remediation, 'Remediation that covers it', { type: 'static_select', option_groups: groups, placeholder: plain('Pick PW-…', 150) }, { optional: true }));
  }
  blocks.push(
    input(INPUT.remediationTyped, groups.length > 0 ? 'Or its id' : 'Remediation that covers it', { type: 'plain_text_input', max_length: 20, placeholder: plain('PW-12', 150) }, { optional: true, hint: 'Any remediation, open or closed.' }),
    input(INPUT.reason, 'How it covers it', { type: 'plain_text_input', multiline: true, max_length: 3000 }, { optional: true }),
  );
  return { type: 'modal', callback_id: VIEW.advisoryCovered, title: plain('Covered by', 24), submit: plain('Record review', 24), close: plain('Cancel', 24), private_metadata: privateMetadata, blocks };
}
