/**
 * The pack's summary and the policy's four common audit findings, gathered one remediation at a time (`observe`),
 * keeping per remediation only what a finding lists: a short reference, never the record.
 */
import type { Remediation } from '../../domain/remediation.js';
import { isClosed, REMEDIATION_STATES, type RemediationState } from '../../domain/remediation-state.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import { daysBetween } from '../../domain/time.js';
import type { RemediationFacts } from '../ports.js';
import { closedStats, type StatusReport } from '../reports/status-report.js';
import type { AsOfRecord } from './as-of.js';
import { closedIn, judgeChanges, judgeEmergencies, judgeSla, overdueAt, unresolvedHigh, type ChangeJudgement, type EmergencyJudgement, type SlaJudgement, type Window } from './judgements.js';

/** What a finding shows of a remediation. */
export type Ref = Pick<Remediation, 'id' | 'title' | 'severity' | 'state' | 'owner' | 'dueAt' | 'closedAt'>;

export interface SeverityCounts {
  readonly open: number;
  readonly closed: number;
  readonly overdue: number;
}

export interface Analysis {
  readonly population: number;
  readonly byState: readonly { readonly state: RemediationState; readonly count: number }[];
  /** Open and overdue at the cut-off, closed during the period. */
  readonly bySeverity: Readonly<Record<Severity, SeverityCounts>>;
  readonly closed: Pick<StatusReport, 'sla' | 'mttr'>;
  readonly sla: { readonly inScope: number; readonly missed: readonly (SlaJudgement & { readonly ref: Ref })[] };
  readonly changes: { readonly total: number; readonly untested: readonly (ChangeJudgement & { readonly ref: Ref })[]; readonly unapproved: readonly (ChangeJudgement & { readonly ref: Ref })[] };
  readonly unresolved: readonly { readonly ref: Ref; readonly owner: string | null; readonly overdue: boolean }[];
  readonly emergencies: readonly (EmergencyJudgement & { readonly ref: Ref })[];
  /** Records rolled back from their current version (no stored version before the cut-off). */
  readonly rewound: readonly string[];
  /** Records whose state disagrees with the audit trail's at the cut-off. */
  readonly disagreements: readonly { readonly id: string; readonly record: RemediationState; readonly trail: RemediationState }[];
}

const refOf = (r: Remediation): Ref => ({ id: r.id, title: r.title, severity: r.severity, state: r.state, owner: r.owner, dueAt: r.dueAt, closedAt: r.closedAt });

export function createAnalysis(w: Window) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, closed: 0, overdue: 0 }])) as Record<Severity, { open: number; closed: number; overdue: number }>;
  const byState = new Map<RemediationState, number>();
  const closedFacts: RemediationFacts[] = [];
  const missed: (SlaJudgement & { ref: Ref })[] = [];
  const untested: (ChangeJudgement & { ref: Ref })[] = [];
  const unapproved: (ChangeJudgement & { ref: Ref })[] = [];
  const unresolved: { ref: Ref; owner: string | null; overdue: boolean }[] = [];
  const emergencies: (EmergencyJudgement & { ref: Ref })[] = [];
  const rewound: string[] = [];
  const disagreements: { id: string; record: RemediationState; trail: RemediationState }[] = [];
  let population = 0;
  let slaInScope = 0;
  let changes = 0;

  return {
    observe({ remediation: r, source, trailState }: AsOfRecord): void {
      population += 1;
      byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
      const counts = bySeverity[r.severity];
      if (closedIn(r, w)) {
        counts.closed += 1;
        closedFacts.push({ id: r.id, state: r.state, severity: r.severity, owner: r.owner, dueAt: r.dueAt, closedAt: r.closedAt, createdAt: r.createdAt, slaStartAt: r.slaStartAt, resolution: r.resolution });
      }
      if (!isClosed(r.state)) counts.open += 1;
      if (overdueAt(r, w.cutOff)) counts.overdue += 1;
      const ref = refOf(r);
      const sla = judgeSla(r, w);
      if (sla.inScope) slaInScope += 1;
      if (sla.missed) missed.push({ ...sla, ref });
      for (const c of judgeChanges(r, w)) {
        changes += 1;
        if (!c.tested) untested.push({ ...c, ref });
        if (!c.approved && !c.deployment.emergency) unapproved.push({ ...c, ref });
      }
      const high = unresolvedHigh(r, w.cutOff);
      if (high) unresolved.push({ ref, ...high });
      for (const e of judgeEmergencies(r, w)) emergencies.push({ ...e, ref });
      if (source === 'rewound') rewound.push(r.id);
      if (trailState) disagreements.push({ id: r.id, record: r.state, trail: trailState });
    },
    result(): Analysis {
      const days = Math.round(daysBetween(new Date(w.from), new Date(w.cutOff)));
      return {
        population,
        byState: REMEDIATION_STATES.filter((s) => byState.has(s)).map((state) => ({ state, count: byState.get(state) ?? 0 })),
        bySeverity,
        closed: closedStats(closedFacts, days),
        sla: { inScope: slaInScope, missed: missed.sort((a, b) => b.daysLate - a.daysLate) },
        changes: { total: changes, untested, unapproved },
        unresolved: unresolved.sort((a, b) => Number(a.owner !== null) - Number(b.owner !== null) || a.ref.dueAt.localeCompare(b.ref.dueAt)),
        emergencies,
        rewound,
        disagreements,
      };
    },
  };
}
