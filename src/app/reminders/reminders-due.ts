/**
 * Step reminders (the daily job): the owner hears when an open remediation reaches its reminder time (the policy's
 * lead time before the due date), and at breach the thread tells the owner and every manager.
 *
 * Never the same reminder twice, never one lost: each reminder has a key (`due_soon:<dueAt>`, `breach:<dueAt>`, so
 * a new due date after a reassessment or a reopening earns new reminders), recorded in `remediation.remindersSent`
 * by a version-checked write carrying the audit event `reminder.sent` AND the Slack effects that deliver it (the
 * outbox, src/app/outbox). Of two replicas only one write wins, a restart sees the key, a crash after the write
 * still delivers, and the audit trail shows who was reminded when. Reminders are the bot's bookkeeping, not a step
 * of the process, so they are written like the message reference (version-checked, retried on a concurrent writer)
 * rather than through applyStep.
 */
import { type Remediation } from '../../domain/remediation.js';
import { OPEN_STATES } from '../../domain/remediation-state.js';
import { err, ok } from '../../domain/result.js';
import { SYSTEM_ID } from '../../domain/roles.js';
import { reminderAt, type SlaPolicy } from '../../domain/sla.js';
import { addDays, instant } from '../../domain/time.js';
import type { AuditAction } from '../audit-actions.js';
import type { AuditEventInput } from '../audit.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Store } from '../ports.js';
import { writeVersioned } from '../write-versioned.js';

export type ReminderKind = 'due_soon' | 'breach';

export interface Reminder {
  readonly kind: ReminderKind;
  readonly key: string;
  readonly remediation: Remediation;
}

export const reminderKey = (kind: ReminderKind, dueAt: string): string => `${kind}:${dueAt}`;

/** The reminder an open remediation is owed at `now`, if any (pure). Past the due date only the breach counts. */
export function reminderDue(r: Remediation, sla: SlaPolicy, now: Date): Reminder | null {
  if (!OPEN_STATES.includes(r.state)) return null;
  const n = instant(now);
  const kind: ReminderKind | null = r.dueAt < n ? 'breach' : reminderAt(sla, r.dueAt, r.slaStartAt) <= n ? 'due_soon' : null;
  if (kind === null) return null;
  const key = reminderKey(kind, r.dueAt);
  return r.remindersSent.includes(key) ? null : { kind, key, remediation: r };
}

export interface ReminderDeps {
  readonly store: Pick<Store, 'remediations'>;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
}

/** Open remediations due within the lead time (or past due) that are owed a reminder, in due-date order. */
export function createFindReminders({ store, sla, now }: ReminderDeps): () => Promise<Reminder[]> {
  return async () => {
    const at = now();
    // reminderAt is never later than dueAt - lead days, so nothing due after now + lead days is owed one yet.
    const horizon = instant(new Date(addDays(at, sla.reminderLeadDays).getTime() + 1));
    const candidates = await store.remediations.list({ states: OPEN_STATES, dueBefore: horizon });
    return candidates.map((r) => reminderDue(r, sla, at)).filter((x): x is Reminder => x !== null);
  };
}

export interface ReminderLog {
  /**
   * Records the reminder as sent to `to`, with the effects that deliver it (given the remediation as stored);
   * the remediation as stored after, or null if it is no longer owed (sent already, closed, gone).
   */
  claim(reminder: Reminder, to: readonly string[], deliver: (r: Remediation) => readonly EffectInput[]): Promise<Remediation | null>;
}

export function createReminderLog({ store, sla, now }: ReminderDeps): ReminderLog {
  const event = (r: Remediation, action: AuditAction, data: Record<string, unknown>): AuditEventInput => ({
    at: instant(now()),
    actor: SYSTEM_ID.reminders,
    action,
    subject: r.id,
    data,
  });

  return {
    claim: async (reminder, to, deliver) => {
      const written = await writeVersioned(store.remediations, reminder.remediation.id, (r) => {
        // Still owed, against the record as it is now (the due date may have moved, it may have closed).
        const due = reminderDue(r, sla, now());
        if (due?.key !== reminder.key) return err({ code: 'reminder.not_owed' as const });
        return ok({
          next: { ...r, remindersSent: [...r.remindersSent, reminder.key] },
          events: [event(r, 'reminder.sent', { kind: reminder.kind, key: reminder.key, dueAt: r.dueAt, to: [...to] })],
          effects: deliver(r),
        });
      });
      return written.ok ? written.value.after : null;
    },
  };
}
