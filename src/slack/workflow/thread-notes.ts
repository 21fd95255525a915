/** The line each step adds to its remediation's thread: who did what, in a sentence (pure). */
import type { DecisionOutcome } from '../../app/workflow/decide.js';
import type { EvidenceFile, Remediation } from '../../domain/remediation.js';
import { escapeText, formatDate, formatDateTime, mention, plural, STATE_LABEL, truncate } from '../views/format.js';
import { dismissalSummary } from '../views/remediation-message.js';

const quote = (s: string, max = 600): string => (s.trim() ? ` “${escapeText(truncate(s.trim(), max))}”` : '');
const NOTE_MAX = 3000;

export function assessedNote(r: Remediation, by: string, timeZone: string): string {
  const a = r.assessment;
  if (!a) return `${mention(by)} assessed ${r.id}.`;
  return truncate(
    `${mention(by)} assessed ${r.id}: *${a.severity}* severity, business impact ${a.businessImpact}, known exploit ${a.knownExploit ? 'yes' : 'no'}${a.kevListed ? ', KEV listed' : ''}. Due ${formatDate(a.dueAt, timeZone)}, owner ${mention(a.owner)}.${quote(a.rationale)}`,
    NOTE_MAX,
  );
}

const fileText = (f: EvidenceFile): string => `${escapeText(truncate(f.name, 80))} (sha256 ${f.sha256.slice(0, 12)}…)`;

export function testNote(by: string, environment: string, result: 'pass' | 'fail', files: readonly EvidenceFile[], notes: string): string {
  const head = files.length > 0
    ? `${mention(by)} uploaded ${plural(files.length, 'file')} (${result}, ${escapeText(environment)}): ${files.map(fileText).join(', ')}`
    : `${mention(by)} recorded a ${result === 'pass' ? 'passing' : 'failing'} test in ${escapeText(environment)}`;
  return truncate(`${head}.${quote(notes)}`, NOTE_MAX);
}

export function decisionNote(o: DecisionOutcome, by: string, timeZone: string): string {
  const lines: string[] = [];
  const decision = o.after.decisions.at(-1);
  if (o.steps.includes('approved') && decision) {
    lines.push(`${mention(by)} approved it${decision.changeTicket ? ` (${escapeText(decision.changeTicket)})` : ''}.${quote(decision.reason)}`);
  }
  if (o.steps.includes('rejected') && decision) lines.push(`${mention(by)} rejected it; back to testing.${quote(decision.reason)}`);
  if (o.steps.includes('scheduled') && o.slot) {
    const verb = o.before.state === 'scheduled' || o.before.state === 'failed' ? 'rescheduled it into' : o.steps.includes('approved') ? 'Scheduled into' : 'scheduled it into';
    const who = verb === 'Scheduled into' ? '' : `${mention(by)} `;
    lines.push(`${who}${verb} *${escapeText(o.slot.windowName)}*: ${formatDateTime(o.slot.startsAt, timeZone)} to ${formatDateTime(o.slot.endsAt, timeZone)}.`);
  }
  if (o.scheduleRefused) lines.push('It is approved but not scheduled yet: a lead picks the window.');
  return truncate(lines.join('\n'), NOTE_MAX);
}

export function riskNote(r: Remediation, by: string, timeZone: string): string {
  const ra = r.riskAcceptance;
  if (!ra) return `${mention(by)} accepted the risk.`;
  return truncate(
    `${mention(by)} accepted the risk until ${formatDate(ra.expiresAt, timeZone)}.${quote(ra.justification)}\nCompensating control:${quote(ra.compensatingControl) || ' —'}`,
    NOTE_MAX,
  );
}

export function dismissalConfirmedNote(r: Remediation, by: string, timeZone: string): string {
  const ra = r.riskAcceptance;
  if (!ra) return `${mention(by)} confirmed the dismissal at the source as a risk acceptance.`;
  return truncate(
    `${mention(by)} confirmed the dismissal at the source as a risk acceptance until ${formatDate(ra.expiresAt, timeZone)}.${quote(ra.justification)}\nCompensating control:${quote(ra.compensatingControl) || ' —'}`,
    NOTE_MAX,
  );
}

export function dismissalRejectedNote(r: Remediation, by: string): string {
  const reason = r.upstreamDismissal?.decision?.reason ?? '';
  return truncate(`${mention(by)} rejected the dismissal at the source: it stays open and due as before (${STATE_LABEL[r.state].toLowerCase()}).${quote(reason)}`, NOTE_MAX);
}

/** The sync held it for a lead, or the source reopened it before anyone decided. */
export function dismissalHeldNote(r: Remediation): string {
  return r.upstreamDismissal ? truncate(`${dismissalSummary(r.upstreamDismissal)}. A lead confirms it as a risk acceptance or rejects it; until then it is open and counts against the SLA.`, NOTE_MAX) : '';
}

export function dismissalWithdrawnNote(r: Remediation): string {
  return `The source reopened a dismissed finding, so the dismissal is withdrawn: back to ${STATE_LABEL[r.state].toLowerCase()}.`;
}

