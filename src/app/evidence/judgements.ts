/**
 * The auditor's questions asked of ONE remediation as it stood at the cut-off (pure). The pack's findings, its
 * summary and the CSV columns that mark each population all come from these, so they cannot disagree.
 */
import type { Deployment, Remediation, RiskAcceptance } from '../../domain/remediation.js';
import type { EmergencyApproval } from '../../domain/run-records.js';
import { isClosed } from '../../domain/remediation-state.js';
import { daysBetween, type Instant } from '../../domain/time.js';

export interface Window {
  readonly from: Instant;
  readonly cutOff: Instant;
}

const inside = (at: Instant | null | undefined, w: Window): boolean => at !== null && at !== undefined && at >= w.from && at < w.cutOff;

export interface SlaJudgement {
  /** Its SLA was put to the test: due before the cut-off, or closed in the period. */
  readonly inScope: boolean;
  readonly missed: boolean;
  /** Days past the due date when closed, or at the cut-off while still open. */
  readonly daysLate: number;
  /** The documented exception: a risk acceptance on record at the cut-off. */
  readonly exception: RiskAcceptance | null;
}

export function judgeSla(r: Remediation, w: Window): SlaJudgement {
  const open = !isClosed(r.state);
  const closedInPeriod = !open && inside(r.closedAt, w);
  const inScope = closedInPeriod || (open && r.dueAt < w.cutOff);
  const end = open ? w.cutOff : (r.closedAt ?? w.cutOff);
  const missed = inScope && end > r.dueAt;
  return { inScope, missed, daysLate: missed ? daysBetween(new Date(r.dueAt), new Date(end)) : 0, exception: missed ? r.riskAcceptance : null };
}

export interface ChangeJudgement {
  readonly deployment: Deployment;
  /** A passing test recorded before the deployment started (an upload, a staging run, a pull request's checks). */
  readonly tested: boolean;
  /** Approved before it started (an emergency change is approved afterwards instead). */
  readonly approved: boolean;
}

/** The production changes of the period: deployments that started in it. */
export function judgeChanges(r: Remediation, w: Window): ChangeJudgement[] {
  return r.deployments
    .filter((d) => inside(d.startedAt, w))
    .map((d) => ({
      deployment: d,
      tested: r.tests.some((t) => t.result === 'pass' && t.at <= d.startedAt),
      approved: r.decisions.some((x) => x.decision === 'approved' && x.at <= d.startedAt),
    }));
}

/** Still open at the cut-off, high or critical: who owns it (null: nobody, which the policy does not allow). */
export function unresolvedHigh(r: Remediation, cutOff: Instant): { readonly owner: string | null; readonly overdue: boolean } | null {
  if (isClosed(r.state) || (r.severity !== 'high' && r.severity !== 'critical')) return null;
  return { owner: r.owner ?? r.assessment?.owner ?? null, overdue: overdueAt(r, cutOff) };
}

export interface EmergencyJudgement {
  readonly deployment: Deployment;
  /** The lead who made it. */
  readonly by: string;
  readonly reason: string;
  readonly approvalDueAt: Instant;
  readonly approval: EmergencyApproval | null;
  /** No approval by its due date (or none yet and the due date is past the cut-off's). */
  readonly late: boolean;
}

export function judgeEmergencies(r: Remediation, w: Window): EmergencyJudgement[] {
  return r.deployments.flatMap((d) => {
    if (!d.emergency || !inside(d.startedAt, w)) return [];
    const approval = d.emergency.approval;
    const late = approval ? approval.at > d.emergency.approvalDueAt : d.emergency.approvalDueAt < w.cutOff;
    return [{ deployment: d, by: d.emergency.by, reason: d.emergency.reason, approvalDueAt: d.emergency.approvalDueAt, approval, late }];
  });
}

/** Open at the cut-off and past its due date. */
export const overdueAt = (r: Remediation, cutOff: Instant): boolean => !isClosed(r.state) && r.dueAt < cutOff;

export const closedIn = (r: Remediation, w: Window): boolean => isClosed(r.state) && inside(r.closedAt, w);
