/**
 * Each remediation of the pack as it stood at the cut-off: its last version written before then, from the history
 * every store write keeps (`versionsBefore`). A store older than that history may have none for a remediation last
 * written after the cut-off; then its current record is rolled back (`rewind`): the steps dated after the cut-off
 * are taken out and the state is the audit trail's. Either way the state is checked against the audit trail.
 */
import type { Remediation } from '../../domain/remediation.js';
import type { RemediationState } from '../../domain/remediation-state.js';
import type { Instant } from '../../domain/time.js';
import type { RemediationRepo } from '../ports.js';
import type { Trail } from './population.js';

export interface AsOfRecord {
  readonly remediation: Remediation;
  /** How it was obtained: its stored version, or its current record rolled back. */
  readonly source: 'history' | 'rewound';
  /** The audit trail says another state at the cut-off (shown in the pack: the trail is the tamper-evident one). */
  readonly trailState: RemediationState | null;
}

const before = (at: Instant | null | undefined, cutOff: Instant): boolean => at !== null && at !== undefined && at < cutOff;

/** The current record with everything dated at or after the cut-off taken out, in the state the trail gives. */
export function rewind(current: Remediation, state: RemediationState | null, cutOff: Instant): Remediation {
  const closed = before(current.closedAt, cutOff);
  return {
    ...current,
    state: state ?? current.state,
    assessment: before(current.assessment?.at, cutOff) ? current.assessment : null,
    tests: current.tests.filter((t) => t.at < cutOff),
    decisions: current.decisions.filter((d) => d.at < cutOff),
    schedule: before(current.schedule?.at, cutOff) ? current.schedule : null,
    deployments: current.deployments
      .filter((d) => d.startedAt < cutOff)
      .map((d) => (before(d.finishedAt, cutOff) ? d : { ...d, status: 'running' as const, finishedAt: null, reason: null })),
    verification: before(current.verification?.at, cutOff) ? current.verification : null,
    riskAcceptance: before(current.riskAcceptance?.at, cutOff) ? current.riskAcceptance : null,
    closedAt: closed ? current.closedAt : null,
    resolution: closed ? current.resolution : null,
  };
}

export const AS_OF_BATCH = 200;

/** The records of `ids`, in that order, a batch at a time: never the whole population in memory. */
export async function* recordsAsOf(
  repo: Pick<RemediationRepo, 'versionsBefore' | 'get'>,
  ids: readonly string[],
  cutOff: Instant,
  trails: ReadonlyMap<string, Trail>,
  onMissing: (id: string) => void = () => undefined,
): AsyncGenerator<AsOfRecord> {
  for (let i = 0; i < ids.length; i += AS_OF_BATCH) {
    const batch = ids.slice(i, i + AS_OF_BATCH);
    const found = new Map((await repo.versionsBefore(batch, cutOff)).map((r) => [r.id, r]));
    const missing = batch.filter((id) => !found.has(id));
    const current = new Map((await Promise.all(missing.map((id) => repo.get(id)))).filter((r) => r !== null).map((r) => [r.id, r]));
    for (const id of batch) {
      const trailState = trails.get(id)?.stateAtEnd ?? null;
      const stored = found.get(id);
      const now = current.get(id);
      const remediation = stored ?? (now ? rewind(now, trailState, cutOff) : null);
      if (!remediation) {
        onMissing(id); // the audit trail names it, the store has no such remediation: the pack says so
        continue;
      }
      yield { remediation, source: stored ? 'history' : 'rewound', trailState: trailState !== null && trailState !== remediation.state ? trailState : null };
    }
  }
}
