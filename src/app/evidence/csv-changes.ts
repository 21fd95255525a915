/**
 * `change-approvals.csv`: every decision on a remediation of the period up to the cut-off (approved or rejected,
 * with the window it went into and when it was deployed), and every emergency change with its retroactive approval.
 */
import type { Remediation } from '../../domain/remediation.js';
import type { CsvValue } from '../csv.js';
import { judgeEmergencies, type Window } from './judgements.js';

export const CHANGE_APPROVALS_HEADER = ['remediation', 'decision', 'approver', 'decided_at', 'change_ticket', 'window', 'window_starts_at', 'deployed_at', 'reason'] as const;

/** The first successful deployment that started at or after `at`. */
const deployedAfter = (r: Remediation, at: string): string | null =>
  r.deployments.find((d) => d.startedAt >= at && d.status === 'succeeded')?.finishedAt ?? null;

export function changeRows(r: Remediation, w: Window): CsvValue[][] {
  const lastApproval = r.decisions.filter((d) => d.decision === 'approved').at(-1);
  const decisions = r.decisions.map((d): CsvValue[] => {
    // The record keeps the latest window only: it belongs to the latest approval, if it was booked after it.
    const window = d === lastApproval && r.schedule && r.schedule.at >= d.at ? r.schedule : null;
    const deployed = d.decision === 'approved' ? deployedAfter(r, d.at) : null;
    return [r.id, d.decision, d.by, d.at, d.changeTicket, window?.windowName ?? null, window?.startsAt ?? null, deployed, d.reason];
  });
  const emergencies = judgeEmergencies(r, w).map((e): CsvValue[] => [
    r.id,
    e.approval ? 'retroactive_approval' : 'emergency_not_yet_approved',
    e.approval?.by ?? null,
    e.approval?.at ?? null,
    null,
    `emergency change by ${e.by}`,
    e.deployment.startedAt,
    e.deployment.finishedAt,
    e.approval ? e.approval.note : `${e.reason} (approval due ${e.approvalDueAt})`,
  ]);
  return [...decisions, ...emergencies];
}
