/** What the reminders say: the owner's DM before the due date, the thread note at breach, the note at risk expiry. */
import type { Remediation } from '../../domain/remediation.js';
import type { RemediationState } from '../../domain/remediation-state.js';
import { section, context } from './blocks.js';
import { escapeText, formatDate, mention, relativeDays, STATE_LABEL, truncate } from './format.js';
import type { MessageContext, SlackMessage } from './remediation-message.js';

const NEXT: Record<RemediationState, string> = {
  new: 'it needs an assessment',
  reopened: 'it needs an assessment',
  assessed: 'next is testing it in staging and uploading the evidence',
  testing: 'next is passing test evidence',
  tested: 'it needs an approval',
  approved: 'it needs a maintenance window',
  scheduled: 'it is scheduled',
  deploying: 'it is being deployed',
  deployed: 'it awaits verification',
  failed: 'its deployment failed and it needs a new window',
  verified: 'it is closed',
  dismissal_review: 'it was dismissed at the source and a lead confirms that as a risk acceptance or rejects it',
  risk_accepted: 'its risk is accepted',
};

const title = (r: Remediation): string => `*${r.id}* ${escapeText(truncate(r.title, 200))}`;

/** The owner's DM when a remediation reaches its reminder time. */
export function dueSoonReminder(r: Remediation, ctx: MessageContext, permalink: string | null): SlackMessage {
  const due = `${formatDate(r.dueAt, ctx.timeZone)} (${relativeDays(r.dueAt, ctx.now)})`;
  const text = `Reminder: ${r.id} ${escapeText(r.title)} is due ${due}; it is ${STATE_LABEL[r.state].toLowerCase()}.`;
  return {
    text: truncate(text, 3000),
    blocks: [
      section(`:alarm_clock: ${title(r)} is due *${due}*.`, 'reminder'),
      context(`It is ${STATE_LABEL[r.state].toLowerCase()}: ${NEXT[r.state]}.${permalink ? ` <${permalink}|Open its message>` : ''} You own it, so patchwarden reminds you once before the due date.`, 'reminder-next'),
    ],
  };
}

/** Nobody owns it: the reminder goes to its thread, for the leads. */
export function unownedReminder(r: Remediation, ctx: MessageContext, leads: readonly string[]): string {
  const who = leads.length > 0 ? leads.map((u) => mention(u)).join(' ') : 'Leads';
  return `:alarm_clock: ${who}: ${r.id} is due ${formatDate(r.dueAt, ctx.timeZone)} (${relativeDays(r.dueAt, ctx.now)}) and has no owner. It is ${STATE_LABEL[r.state].toLowerCase()}: ${NEXT[r.state]}.`;
}

/** At breach, in the remediation's thread: the owner and every manager. */
export function breachNote(r: Remediation, ctx: MessageContext, managers: readonly string[]): string {
  const owner = r.owner ? `Owner: ${mention(r.owner)}.` : 'It has no owner.';
  const mgrs = managers.length > 0 ? ` Managers: ${managers.map((u) => mention(u)).join(' ')}.` : '';
  return `:rotating_light: *${r.id} is past its due date* (${formatDate(r.dueAt, ctx.timeZone)}, ${r.severity} severity). It is ${STATE_LABEL[r.state].toLowerCase()}: ${NEXT[r.state]}. ${owner}${mgrs}`;
}

/** How many remediations a round-up names; the rest are counted and found with /patch list. */
export const ROUNDUP_LISTED = 20;

/**
 * One message for many reminders at once (a first run after a first sync finds hundreds overdue): the breached
 * ones for the owners and managers, the unowned ones coming due for the leads, the most overdue first.
 */
export function reminderRoundup(breached: readonly Remediation[], unowned: readonly Remediation[], ctx: MessageContext, managers: readonly string[], leads: readonly string[]): SlackMessage {
  const line = (r: Remediation) =>
    `• *${r.id}* ${escapeText(truncate(r.title, 100))}: due ${formatDate(r.dueAt, ctx.timeZone)} (${relativeDays(r.dueAt, ctx.now)}), ${r.severity}, ${STATE_LABEL[r.state].toLowerCase()}, ${r.owner ? mention(r.owner) : 'no owner'}`;
  /** As many lines as fit in a section (3,000 characters), the most overdue first, and always how many more. */
  const list = (rs: readonly Remediation[], more: string) => {
    const lines: string[] = [];
    let used = 0;
    for (const r of [...rs].sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, ROUNDUP_LISTED)) {
      const l = line(r);
      if (used + l.length + 1 > 2800) break;
      lines.push(l);
      used += l.length + 1;
    }
    const rest = rs.length - lines.length;
    return [...lines, ...(rest > 0 ? [`…and ${rest.toLocaleString('en-US')} more: ${more}`] : [])].join('\n');
  };
  const people = (ids: readonly string[], none: string) => (ids.length > 0 ? ids.map((u) => mention(u)).join(' ') : none);
  const blocks = [];
  if (breached.length > 0) {
    blocks.push(section(`:rotating_light: *${breached.length.toLocaleString('en-US')} remediation${breached.length === 1 ? ' is' : 's are'} past the due date.* Owners and managers (${people(managers, 'no managers set')}):`, 'breached-title'));
    blocks.push(section(list(breached, '`/patch list overdue`'), 'breached'));
  }
  if (unowned.length > 0) {
    blocks.push(section(`:alarm_clock: *${unowned.length.toLocaleString('en-US')} coming due with no owner.* ${people(leads, 'Leads')}:`, 'unowned-title'));
    blocks.push(section(list(unowned, '`/patch list open`'), 'unowned'));
  }
  blocks.push(context('Each is also on the App Home of the people who can act on it. patchwarden says this once per due date.', 'roundup-note'));
  const text = `${breached.length} remediations past the due date, ${unowned.length} coming due with no owner.`;
  return { text, blocks };
}

/** When a risk acceptance runs out and the remediation is open again. */
export function riskExpiredNote(r: Remediation, ctx: MessageContext): string {
  const until = r.riskAcceptance ? ` on ${formatDate(r.riskAcceptance.expiresAt, ctx.timeZone)}` : '';
  return `:hourglass: The risk acceptance expired${until}, so ${r.id} is open again, due ${formatDate(r.dueAt, ctx.timeZone)}. ${r.owner ? mention(r.owner) : 'It has no owner'}: it needs an assessment.`;
}
