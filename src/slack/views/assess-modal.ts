/**
 * The Assess modal (leads): what is behind the remediation (its findings in short, or a patch run's patches and
 * hosts), severity (pre-filled; changing it updates the due date shown, via dispatch_action),
 * exploitability (CISA KEV, EPSS) and whether an exploit is known, business impact, rationale and owner.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { BUSINESS_IMPACTS, type Remediation } from '../../domain/remediation.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import type { SlaPolicy } from '../../domain/sla.js';
import { INPUT, VIEW } from '../ids.js';
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import { findingsBlocks } from './findings.js';
import { escapeText, formatDate, SEVERITY_LABEL, truncate } from './format.js';
import { heading, initialOf, input, md, modalTitle, option, plain } from './modal-parts.js';

export interface AssessModalInput {
  readonly r: Remediation;
  /** The severity to show selected (the remediation's own unless the lead just changed it). */
  readonly severity: Severity;
  /** The due date that severity gives. */
  readonly dueAt: string;
  readonly epss: number | null;
  /** What is behind it: shown in short, `/patch show PW-12 findings` has the rest. */
  readonly detail: FindingsDetail;
  readonly sla: SlaPolicy;
  readonly timeZone: string;
  readonly privateMetadata: string;
}

/** Findings lines (a patch run: patches and hosts) a modal shows. */
export const MODAL_FINDINGS = 6;

export const YES_NO = [option('Yes, an exploit is known', 'yes'), option('No known exploit', 'no')];
const IMPACT_TEXT = { high: 'High: customer-facing or regulated data', medium: 'Medium: internal service', low: 'Low: little business effect' } as const;
const SEVERITY_TEXT = (s: Severity): string => SEVERITY_LABEL[s].replace(/^:[a-z_]+: /, '');

function exploitability(r: Remediation, epss: number | null, timeZone: string): KnownBlock {
  const kev = r.kevDueAt ? `:rotating_light: *On CISA’s KEV catalogue*, CISA due ${formatDate(r.kevDueAt, timeZone)}` : 'Not on CISA’s KEV catalogue';
  const score = epss === null ? 'EPSS score unknown' : `EPSS ${(epss * 100).toFixed(1)}% (chance of exploitation in the next 30 days)`;
  const cves = r.cves.length > 0 ? truncate(r.cves.slice(0, 10).join(', ') + (r.cves.length > 10 ? ` +${r.cves.length - 10} more` : ''), 600) : 'no CVE';
  return { type: 'section', block_id: 'exploitability', text: md(`*Exploitability*\n${kev}\n${score}\n${escapeText(cves)}`) };
}

function dueLine(m: AssessModalInput): KnownBlock {
  const days = m.sla.days[m.severity];
  const kev = m.r.kevDueAt ? ', or CISA’s KEV date if earlier' : '';
  return {
    type: 'context',
    block_id: 'due',
    elements: [md(`Due *${formatDate(m.dueAt, m.timeZone)}* for ${SEVERITY_TEXT(m.severity).toLowerCase()} severity (${days} days from detection${kev}). Changing the severity recomputes it.`)],
  };
}

export function assessModal(m: AssessModalInput): ModalView {
  const { r } = m;
  const severities = SEVERITIES.map((s) => option(SEVERITY_TEXT(s), s));
  const impacts = BUSINESS_IMPACTS.map((i) => option(IMPACT_TEXT[i], i));
  const a = r.assessment;
  const blocks: KnownBlock[] = [
    heading(r, m.timeZone),
    ...findingsBlocks(m.detail, { limit: MODAL_FINDINGS, rest: `\`/patch show ${r.id} findings\` lists every one`, timeZone: m.timeZone }),
    exploitability(r, m.epss, m.timeZone),
    input(INPUT.severity, 'Severity', { type: 'static_select', options: severities, ...initialOf(severities, m.severity) }, { dispatch: true, hint: `The sources say ${SEVERITY_TEXT(r.sourceSeverity).toLowerCase()}.` }),
    dueLine(m),
    input(INPUT.knownExploit, 'Known exploit', { type: 'radio_buttons', options: YES_NO, ...initialOf(YES_NO, (a?.knownExploit ?? r.kevDueAt !== null) ? 'yes' : 'no') }),
    input(INPUT.businessImpact, 'Business impact', { type: 'radio_buttons', options: impacts, ...initialOf(impacts, a?.businessImpact) }),
    input(INPUT.rationale, 'Rationale', { type: 'plain_text_input', multiline: true, max_length: 3000, ...(a ? { initial_value: a.rationale } : {}), placeholder: plain('Why this severity and impact: exposure, reachability, mitigations…', 150) }),
    input(INPUT.owner, 'Owner', { type: 'users_select', ...(r.owner && /^[UW]/.test(r.owner) ? { initial_user: r.owner } : {}) }, { optional: true, hint: 'Who sees it through; reminders go to them.' }),
  ];
  return {
    type: 'modal',
    callback_id: VIEW.assess,
    title: modalTitle('Assess', r.id),
    submit: plain('Save assessment', 24),
    close: plain('Cancel', 24),
    private_metadata: m.privateMetadata,
    blocks,
  };
}
