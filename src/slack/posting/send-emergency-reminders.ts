/**
 * Reminds the leads of an emergency change still waiting for its retroactive approval: in the remediation's thread,
 * naming every lead but the one who made it, a day before the approval is due and once overdue. Each reminder is
 * claimed on the remediation before it goes out (src/app/deploy/emergencies.ts), so none is sent twice.
 */
import { claimEmergencyReminders, type EmergencyReminder } from '../../app/deploy/emergencies.js';
import { otherLeads } from '../deploy/announce.js';
import { principal } from '../deploy/deploy-notes.js';
import { remediationEffects } from './publish-remediation.js';
import type { SlackDeps } from '../deps.js';
import { escapeText, formatDateTime, mention, truncate } from '../views/format.js';

export function emergencyReminderNote(x: EmergencyReminder, leads: readonly string[], timeZone: string): string {
  const e = x.deployment.emergency!;
  const who = leads.map(principal).join(' ') || 'Leads';
  const when = x.kind === 'overdue' ? `was due ${formatDateTime(e.approvalDueAt, timeZone)} and is *overdue*` : `is due ${formatDateTime(e.approvalDueAt, timeZone)}`;
  return `:rotating_light: ${who}: the emergency change ${mention(e.by)} made on ${formatDateTime(e.at, timeZone)} (_${escapeText(truncate(e.reason, 300))}_) still needs another lead’s approval, which ${when}. Use “Approve emergency change” on the message.`;
}

export function createEmergencyReminderSender(deps: Pick<SlackDeps, 'store' | 'outbox' | 'policy' | 'now'>): () => Promise<number> {
  return async () => {
    const say = (x: EmergencyReminder) => remediationEffects(x.remediation.id, emergencyReminderNote(x, otherLeads(deps.policy.roles.lead, x.deployment.emergency!.by), deps.policy.timezone));
    const owed = await claimEmergencyReminders(deps.store, deps.now(), say);
    if (owed.length > 0) await deps.outbox.drain(owed.map((x) => x.remediation.id));
    return owed.length;
  };
}
