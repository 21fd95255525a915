/**
 * Emergency changes (Deploy now) and their retroactive approval. The change itself is recorded on its Deployment
 * (`emergency`: who, why, when, due by, the approval); KeyValue `emergency-changes` indexes the ones still waiting,
 * written before the deployment (a crash in between leaves an entry that readers check against the remediation and
 * drop). `/patch status` counts them; the daily reminders remind the leads a day before the due date and once overdue.
 */
import { approveEmergency } from '../../domain/deploy-transitions.js';
import type { Deployment, Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { SYSTEM_ID, type Actor } from '../../domain/roles.js';
import { addDays, instant } from '../../domain/time.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Applied, ApplyStep, FollowUp, Step } from '../workflow/apply-step.js';
import { writeVersioned } from '../write-versioned.js';

export const EMERGENCIES = 'emergency-changes';

/** An index entry: the remediation, and when the entry was written (before its deployment). */
export interface EmergencyEntry {
  readonly remediationId: string;
  readonly at: string;
}

/** An entry whose deployment is still missing this long after it was written was never written: a crash. */
const UNWRITTEN_AFTER_MS = 10 * 60_000;

export interface PendingEmergency {
  readonly remediation: Remediation;
  readonly deployment: Deployment;
  readonly overdue: boolean;
}

/** Emergency changes still waiting for another lead's approval, oldest first. */
export async function pendingEmergencies(store: Pick<Store, 'remediations' | 'kv'>, now: Date): Promise<PendingEmergency[]> {
  const entries = await store.kv.list<EmergencyEntry>(EMERGENCIES);
  const out: PendingEmergency[] = [];
  for (const [deploymentId, { remediationId, at }] of entries) {
    const r = await store.remediations.get(remediationId);
    const d = r?.deployments.find((x) => x.id === deploymentId);
    if (!r || !d?.emergency || d.emergency.approval) {
      // Approved, or a deployment that was never written (a crash between the entry and it): nothing waits on it.
      const unwritten = !d && Date.parse(at) < now.getTime() - UNWRITTEN_AFTER_MS;
      if (!r || unwritten || d?.emergency?.approval) await store.kv.delete(EMERGENCIES, deploymentId);
      continue;
    }
    out.push({ remediation: r, deployment: d, overdue: d.emergency.approvalDueAt < instant(now) });
  }
  return out.sort((a, b) => a.deployment.startedAt.localeCompare(b.deployment.startedAt));
}

const APPROVE: Step<{ deploymentId: string; note: string }> = { transition: approveEmergency, action: 'remediation.emergency_approved' };

export interface EmergencyApprovals {
  /** The change a person would approve, and whether they may (another lead than the one who made it). */
  pending(id: string, actor: Actor, now: Date): Promise<Result<Deployment, AppError>>;
  approve(id: string, note: string, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

export function createEmergencyApprovals({ store, applyStep, sla }: { store: Store; applyStep: ApplyStep; sla: Parameters<typeof approveEmergency>[2]['sla'] }): EmergencyApprovals {
  const oldest = (r: Remediation): Deployment | null => r.deployments.find((d) => d.emergency && d.emergency.approval === null) ?? null;
  return {
    async pending(id, actor, now) {
      const r = await store.remediations.get(id);
      if (!r) return err({ code: 'remediation.not_found', id });
      const d = oldest(r) ?? r.deployments.findLast((x) => x.emergency) ?? null;
      if (!d) return err({ code: 'deployment.unknown', deploymentId: 'none' });
      const dry = approveEmergency(r, { deploymentId: d.id, note: '' }, { actor, now, sla });
      return dry.ok ? ok(d) : dry;
    },
    async approve(id, note, actor, followUp) {
      const r = await store.remediations.get(id);
      if (!r) return err({ code: 'remediation.not_found', id });
      const d = oldest(r);
      if (!d) return err({ code: 'deployment.unknown', deploymentId: 'none' });
      const applied = await applyStep(id, APPROVE, { deploymentId: d.id, note }, actor, followUp);
      if (applied.ok) await store.kv.delete(EMERGENCIES, d.id);
      return applied;
    },
  };
}

export type EmergencyReminderKind = 'due_soon' | 'overdue';

export interface EmergencyReminder {
  readonly kind: EmergencyReminderKind;
  readonly remediation: Remediation;
  readonly deployment: Deployment;
}

/**
 * The reminders owed now (a day before the approval is due, and once overdue), each recorded on the remediation
 * (`remindersSent`, with its `reminder.sent` event) together with the Slack effects `say` gives it, so none is sent
 * twice and none is lost.
 */
export async function claimEmergencyReminders(store: Pick<Store, 'remediations' | 'kv'>, now: Date, say: (reminder: EmergencyReminder) => readonly EffectInput[]): Promise<EmergencyReminder[]> {
  const out: EmergencyReminder[] = [];
  for (const p of await pendingEmergencies(store, now)) {
    const due = p.deployment.emergency!.approvalDueAt;
    const kind: EmergencyReminderKind | null = p.overdue ? 'overdue' : instant(addDays(now, 1)) >= due ? 'due_soon' : null;
    if (!kind) continue;
    const key = `emergency_${kind}:${p.deployment.id}`;
    const claimed = await writeVersioned(store.remediations, p.remediation.id, (current) =>
      current.remindersSent.includes(key)
        ? err({ code: 'store.duplicate' as const, id: key })
        : ok({
          next: { ...current, remindersSent: [...current.remindersSent, key] },
          events: [{ at: instant(now), actor: SYSTEM_ID.reminders, action: 'reminder.sent' as const, subject: current.id, data: { key, kind: `emergency_${kind}`, deploymentId: p.deployment.id, approvalDueAt: due } }],
          effects: say({ kind, remediation: current, deployment: p.deployment }),
        }));
    if (claimed.ok) out.push({ kind, remediation: claimed.value.after, deployment: p.deployment });
  }
  return out;
}
