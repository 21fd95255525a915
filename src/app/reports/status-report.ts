/**
 * `/patch status`: where the patch process stands, for managers. Every number comes from an indexed store query
 * (counts, facts, short lists), so it stays fast on a large store.
 *
 * - SLA compliance: of the remediations closed in the last `windowDays`, the share closed by their due date
 *   (a risk acceptance is a closure under the policy, so it counts, a dismissal at the source confirmed by a lead
 *   among them). A dismissal at the source is not a closure: until a lead decides, the remediation is open
 *   (`dismissal_review`), overdue when its due date passes; records closed by a dismissal alone before that rule
 *   (resolution `dismissed_upstream`) are left out of the closures.
 * - Mean time to remediate: over the same closed ones, excluding risk acceptances (nothing was remediated), from
 *   when the SLA clock started (detection, or the last reopening) to closure, in days.
 */
import type { MaintenanceWindowDef } from '../../domain/maintenance.js';
import { upcomingSlots } from '../../domain/maintenance.js';
import { type Deployment, type MaintenanceSlot, type Remediation } from '../../domain/remediation.js';
import { OPEN_STATES, type RemediationState } from '../../domain/remediation-state.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import { addDays, daysBetween, instant, type Instant } from '../../domain/time.js';
import { overdueReviews, type OverdueReviews } from '../advisories/advisory-status.js';
import type { InventoryReport, InventoryReporter } from './inventory-report.js';
import type { OwnerCount, RemediationFacts, Store } from '../ports.js';

export const STATUS_WINDOW_DAYS = 90;
export const DUE_SOON_DAYS = 7;
/** How many overdue / due-soon remediations the report names (the counts cover all of them). */
export const STATUS_LIST_LIMIT = 10;

export interface SeverityTime {
  readonly count: number;
  readonly meanDays: number | null;
}

export interface StatusReport {
  readonly at: Instant;
  readonly open: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** Open states that have remediations, in process order. */
    readonly byState: readonly { readonly state: RemediationState; readonly count: number }[];
    /** Dismissed at the source and waiting for a lead's decision (open, counted above). */
    readonly dismissalReview: number;
  };
  readonly overdue: { readonly count: number; readonly byOwner: readonly OwnerCount[]; readonly oldest: readonly Remediation[] };
  readonly dueSoon: { readonly days: number; readonly count: number; readonly soonest: readonly Remediation[] };
  readonly sla: { readonly windowDays: number; readonly closed: number; readonly onTime: number; readonly compliance: number | null };
  readonly mttr: { readonly windowDays: number; readonly bySeverity: Readonly<Record<Severity, SeverityTime>> };
  readonly nextWindow: MaintenanceSlot | null;
  readonly coverage: InventoryReport;
  /** Advisory reviews against the policy's deadline (absent when the report was built without it). */
  readonly advisories?: OverdueReviews;
  /** Emergency changes (Deploy now) still waiting for another lead's approval. */
  readonly emergencies: { readonly count: number; readonly overdue: number; readonly oldest: readonly EmergencyFact[] };
}

export interface EmergencyFact {
  readonly remediationId: string;
  readonly by: string;
  readonly at: Instant;
  readonly approvalDueAt: Instant;
  readonly overdue: boolean;
}

const zeroBySeverity = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });

/** The store's counts per owner in the report's order: most overdue work first, ties by id, no owner last (pure). */
export function ownerOrder(counts: readonly OwnerCount[]): OwnerCount[] {
  return [...counts].sort((a, b) => Number(a.owner === null) - Number(b.owner === null) || b.count - a.count || (a.owner ?? '').localeCompare(b.owner ?? ''));
}

/** SLA compliance and time to remediate over closed remediations (pure). */
export function closedStats(all: readonly RemediationFacts[], windowDays: number): Pick<StatusReport, 'sla' | 'mttr'> {
  const closed = all.filter((f) => f.resolution !== 'dismissed_upstream');
  const onTime = closed.filter((f) => f.closedAt !== null && f.closedAt <= f.dueAt).length;
  const totals = new Map<Severity, { count: number; days: number }>();
  for (const f of closed) {
    if (f.closedAt === null || f.resolution === 'risk_accepted') continue;
    const t = totals.get(f.severity) ?? { count: 0, days: 0 };
    totals.set(f.severity, { count: t.count + 1, days: t.days + daysBetween(new Date(f.slaStartAt), new Date(f.closedAt)) });
  }
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => {
      const t = totals.get(s);
      return [s, { count: t?.count ?? 0, meanDays: t ? t.days / t.count : null }];
    }),
  ) as Record<Severity, SeverityTime>;
  return {
    sla: { windowDays, closed: closed.length, onTime, compliance: closed.length === 0 ? null : onTime / closed.length },
    mttr: { windowDays, bySeverity },
  };
}

export interface StatusReportDeps {
  readonly store: Pick<Store, 'remediations'> & Partial<Pick<Store, 'advisories'>>;
  readonly inventory: InventoryReporter;
  /** The policy's advisories.reviewWithinDays: unreviewed advisories older than this are counted as overdue. */
  readonly reviewWithinDays?: number;
  readonly windows: readonly MaintenanceWindowDef[];
  readonly timeZone: string;
  readonly now: () => Date;
  /** Emergency changes awaiting approval (src/app/deploy/emergencies.ts); none when absent. */
  readonly emergencies?: () => Promise<readonly { readonly remediation: Pick<Remediation, 'id'>; readonly deployment: Deployment; readonly overdue: boolean }[]>;
}

export type StatusReporter = () => Promise<StatusReport>;

export function createStatusReport({ store, inventory, reviewWithinDays, windows, timeZone, now, emergencies }: StatusReportDeps): StatusReporter {
  const repo = store.remediations;
  return async () => {
    const at = now();
    const overdueQuery = { states: OPEN_STATES, dueBefore: instant(at) };
    const soonQuery = { states: OPEN_STATES, dueFrom: instant(at), dueBefore: instant(addDays(at, DUE_SOON_DAYS)) };
    const advisories = store.advisories && reviewWithinDays !== undefined ? overdueReviews({ advisories: store.advisories }, reviewWithinDays, at) : Promise.resolve(undefined);
    const [counts, overdueByOwner, oldest, dueSoonCount, soonest, closed, coverage, reviews, pending] = await Promise.all([
      repo.countByStateAndSeverity(),
      repo.countByOwner(overdueQuery),
      repo.list({ ...overdueQuery, limit: STATUS_LIST_LIMIT }),
      repo.count(soonQuery),
      repo.list({ ...soonQuery, limit: STATUS_LIST_LIMIT }),
      repo.facts({ closedSince: instant(addDays(at, -STATUS_WINDOW_DAYS)) }),
      inventory(),
      advisories,
      emergencies ? emergencies() : [],
    ]);
    const bySeverity = zeroBySeverity();
    const byState = new Map<RemediationState, number>();
    for (const c of counts) {
      if (!OPEN_STATES.includes(c.state)) continue;
      bySeverity[c.severity] += c.count;
      byState.set(c.state, (byState.get(c.state) ?? 0) + c.count);
    }
    return {
      at: instant(at),
      open: {
        total: Object.values(bySeverity).reduce((s, n) => s + n, 0),
        bySeverity,
        byState: OPEN_STATES.filter((s) => byState.has(s)).map((state) => ({ state, count: byState.get(state) ?? 0 })),
        dismissalReview: byState.get('dismissal_review') ?? 0,
      },
      overdue: { count: overdueByOwner.reduce((n, o) => n + o.count, 0), byOwner: ownerOrder(overdueByOwner), oldest },
      dueSoon: { days: DUE_SOON_DAYS, count: dueSoonCount, soonest },
      ...closedStats(closed, STATUS_WINDOW_DAYS),
      nextWindow: upcomingSlots(windows, timeZone, at, 1)[0] ?? null,
      coverage,
      ...(reviews ? { advisories: reviews } : {}),
      emergencies: {
        count: pending.length,
        overdue: pending.filter((p) => p.overdue).length,
        oldest: pending.slice(0, STATUS_LIST_LIMIT).map((p) => ({ remediationId: p.remediation.id, by: p.deployment.emergency?.by ?? p.deployment.by, at: p.deployment.startedAt, approvalDueAt: p.deployment.emergency?.approvalDueAt ?? p.deployment.startedAt, overdue: p.overdue })),
      },
    };
  };
}
