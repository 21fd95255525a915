/**
 * `remediations.csv`: one row per remediation of the period, as it stood at the cut-off, with a column per
 * population the findings speak of (so an auditor can filter the rows behind each answer and sample from them).
 */
import type { CsvValue } from '../csv.js';
import type { AsOfRecord } from './as-of.js';
import { judgeChanges, judgeEmergencies, judgeSla, overdueAt, type Window } from './judgements.js';

export const REMEDIATIONS_HEADER = [
  'id', 'title', 'severity', 'state_at_period_end', 'record_from', 'audit_trail_state', 'owner', 'detected_at', 'sla_start_at',
  'due_at', 'closed_at', 'resolution', 'overdue_at_period_end', 'sla_in_scope', 'sla_missed', 'days_late', 'risk_accepted_until',
  'tests_passed', 'approved_by', 'approved_at', 'change_ticket', 'window_starts_at', 'changes_in_period', 'changes_without_passing_test',
  'emergency_changes', 'verified_at', 'kev_due_at', 'cves', 'assets', 'findings',
] as const;

const yes = (b: boolean): string => (b ? 'yes' : 'no');

export function remediationRow({ remediation: r, source, trailState }: AsOfRecord, w: Window): CsvValue[] {
  const sla = judgeSla(r, w);
  const changes = judgeChanges(r, w);
  const approval = r.decisions.filter((d) => d.decision === 'approved').at(-1) ?? null;
  return [
    r.id, r.title, r.severity, r.state, source, trailState, r.owner, r.detectedAt, r.slaStartAt,
    r.dueAt, r.closedAt, r.resolution, yes(overdueAt(r, w.cutOff)), yes(sla.inScope), yes(sla.missed), sla.missed ? sla.daysLate.toFixed(1) : null,
    r.riskAcceptance?.expiresAt ?? null,
    r.tests.filter((t) => t.result === 'pass').length, approval?.by ?? null, approval?.at ?? null, approval?.changeTicket ?? null, r.schedule?.startsAt ?? null,
    changes.length, changes.filter((c) => !c.tested).length,
    judgeEmergencies(r, w).length, r.state === 'verified' ? (r.verification?.at ?? r.closedAt) : null, r.kevDueAt, r.cves.join(' '), r.assetIds.join(' '), r.findingIds.length,
  ];
}
