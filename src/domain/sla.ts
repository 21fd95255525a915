import type { Severity } from './severity.js';
import { addDays, earliest, instant, type Instant } from './time.js';

export interface SlaPolicy {
  /** Days from detection to the due date, per severity. */
  readonly days: Readonly<Record<Severity, number>>;
  /** How many days before the due date the owner is reminded. */
  readonly reminderLeadDays: number;
  /** The longest a risk acceptance may run before the remediation reopens. */
  readonly riskAcceptanceMaxDays: number;
}

export const DEFAULT_SLA: SlaPolicy = {
  days: { critical: 7, high: 30, medium: 90, low: 180 },
  reminderLeadDays: 3,
  riskAcceptanceMaxDays: 90,
};

/**
 * The due date: `start` plus the policy's days for the severity; a CVE on CISA's KEV catalogue is due by the
 * earlier of that and CISA's own due date.
 */
export function dueDate(policy: SlaPolicy, severity: Severity, start: Date, kevDueAt?: Instant | null): Instant {
  return earliest(instant(addDays(start, policy.days[severity])), kevDueAt);
}

/** When the owner is reminded: the lead time before the due date (never before the clock started). */
export function reminderAt(policy: SlaPolicy, dueAt: Instant, start: Instant): Instant {
  const at = instant(addDays(new Date(dueAt), -policy.reminderLeadDays));
  return at < start ? start : at;
}

export type SlaStatus = 'on_track' | 'due_soon' | 'overdue';

export function slaStatus(policy: SlaPolicy, dueAt: Instant, now: Date): SlaStatus {
  const n = instant(now);
  if (dueAt < n) return 'overdue';
  if (instant(addDays(now, policy.reminderLeadDays)) >= dueAt) return 'due_soon';
  return 'on_track';
}
