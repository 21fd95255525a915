/** What the reminders say: the owner's DM before the due date, the thread note at breach, the note at risk expiry. */
import type { Remediation, RemediationState } from '../../domain/remediation.js';
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
  risk_accepted: 'its risk is accepted',
};

const title = (r: Remediation): string => `*${r.id}* ${escapeText(truncate(r.title, 200))}`;

/** The owner's DM when a remediation reaches its reminder time. */
export function dueSoonReminder(r: Remediation, ctx: MessageContext, permalink: string | null): SlackMessage {
  const due = `${formatDate(r.dueAt, ctx.timeZone)} (${relativeDays(r.dueAt, ctx.now)})`;
  const text = `Reminder: ${r.id} ${r.title} is due ${due}; it is ${STATE_LABEL[r.state].toLowerCase()}.`;
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

/** When a risk acceptance runs out and the remediation is open again. */
export function riskExpiredNote(r: Remediation, ctx: MessageContext): string {
  const until = r.riskAcceptance ? ` on ${formatDate(r.riskAcceptance.expiresAt, ctx.timeZone)}` : '';
  return `:hourglass: The risk acceptance expired${until}, so ${r.id} is open again, due ${formatDate(r.dueAt, ctx.timeZone)}. ${r.owner ? mention(r.owner) : 'It has no owner'}: it needs an assessment.`;
}
