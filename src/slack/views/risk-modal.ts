/**
 * The Accept risk modal (leads): justification, compensating control and an expiry date, capped by the
 * policy's riskAcceptanceMaxDays (the hint says the cap; the domain enforces it). It reopens on that date. The same
 * form confirms a dismissal at the source as a risk acceptance, showing what the source said.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Remediation } from '../../domain/remediation.js';
import type { UpstreamDismissal } from '../../domain/upstream-dismissal.js';
import { addDays } from '../../domain/time.js';
import { INPUT, VIEW } from '../ids.js';
import { formatDate } from './format.js';
import { heading, input, md, modalTitle, plain } from './modal-parts.js';
import { dismissalSummary } from './remediation-message.js';

export interface RiskModalInput {
  readonly r: Remediation;
  readonly maxDays: number;
  readonly now: Date;
  readonly timeZone: string;
  readonly privateMetadata: string;
  /** Confirming a dismissal at the source as a risk acceptance: the source's words are shown and prefill the justification. */
  readonly dismissal?: UpstreamDismissal;
}

/** What the source said, as a starting point for the lead's justification. */
const sourceJustification = (d: UpstreamDismissal): string =>
  d.findings.map((f) => [f.reason, f.comment].filter(Boolean).join(': ')).filter(Boolean).filter((x, i, all) => all.indexOf(x) === i).join('\n').slice(0, 3000);

/** `YYYY-MM-DD` of an instant in a time zone (what Slack's datepicker speaks). */
export function isoDay(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export function riskModal(m: RiskModalInput): ModalView {
  const latest = addDays(m.now, m.maxDays);
  const suggested = addDays(m.now, Math.min(30, m.maxDays));
  const prefill = m.dismissal ? sourceJustification(m.dismissal) : '';
  const blocks: KnownBlock[] = [
    heading(m.r, m.timeZone),
    ...(m.dismissal ? [{ type: 'section', block_id: 'dismissal', text: md(`${dismissalSummary(m.dismissal)}.`) } satisfies KnownBlock] : []),
    { type: 'context', block_id: 'risk_note', elements: [md(`${m.dismissal ? 'Confirming records the dismissal as your risk acceptance: it closes the remediation' : 'Accepting the risk closes the remediation'} until the expiry date; it reopens then, with a new SLA clock.`)] },
    input(INPUT.justification, 'Justification', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('Why the risk is acceptable for now', 150), ...(prefill ? { initial_value: prefill } : {}) }),
    input(INPUT.compensatingControl, 'Compensating control', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('What limits the exposure meanwhile (WAF rule, network isolation…)', 150) }),
    input(INPUT.expiry, 'Expires on', { type: 'datepicker', initial_date: isoDay(suggested, m.timeZone) }, {
      hint: `At most ${m.maxDays} days under the policy: no later than ${formatDate(latest.toISOString(), m.timeZone)}. It reopens at the start of that day (${m.timeZone}).`,
    }),
  ];
  return {
    type: 'modal',
    callback_id: m.dismissal ? VIEW.confirmDismissal : VIEW.riskAcceptance,
    title: modalTitle(m.dismissal ? 'Confirm dismissal' : 'Accept risk', m.r.id),
    submit: plain('Accept risk', 24),
    close: plain('Cancel', 24),
    private_metadata: m.privateMetadata,
    blocks,
  };
}
