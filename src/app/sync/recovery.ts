/**
 * Resuming after a crash. First the store finishes whatever a crashed writer left half done (on MongoDB, a journal
 * entry written but not applied), so this run reads what the last one wrote and never records a change twice.
 * Every page a run commits is whole, but its remediations are refreshed once, at the end of the run; a run that
 * dies before then leaves remediations whose findings changed without them. The audit log already says which:
 * every finding event the sync writes names its remediation, and every remediation it creates has its
 * `remediation.created` event. So a run marks itself in progress (kv `sync-runs/in-progress`, with the first audit
 * seq it could have written) and clears the mark when done; the next run that finds a mark reads the sync's events
 * since that seq and refreshes those remediations too. A refresh that gave up (a lead kept writing the same
 * remediation) is owed too: kept in kv `sync-runs/refresh-owed` and done by the next run.
 */
import type { Store } from '../ports.js';
import { SYNC_RUNS } from './report.js';

export interface RunMarker {
  readonly id: string;
  readonly startedAt: string;
  /** The first audit seq the run (or the interrupted runs before it) could have written. */
  readonly fromSeq: number;
}

const PAGE = 5000;
const IN_PROGRESS = 'in-progress';
const OWED = 'refresh-owed';

/** Remediations named by the sync's own events since `fromSeq`. */
export async function touchedSince(store: Pick<Store, 'audit'>, fromSeq: number, actor: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let seq = fromSeq; ; ) {
    const events = await store.audit.read(seq, PAGE);
    for (const e of events) {
      if (e.actor !== actor) continue;
      if (e.action === 'remediation.created') ids.add(e.subject);
      else if (e.action.startsWith('finding.') && typeof e.data.remediationId === 'string') ids.add(e.data.remediationId);
    }
    const last = events.at(-1);
    if (events.length < PAGE || !last) return ids;
    seq = last.seq + 1;
  }
}

/**
 * Marks the run in progress; returns what earlier runs left to refresh: an interrupted run's remediations and the
 * refreshes that gave up (empty when none). Call it under the sync's lease: it finishes interrupted writes first.
 */
export async function beginRun(store: Pick<Store, 'audit' | 'kv' | 'finishInterrupted'>, id: string, startedAt: string, actor: string): Promise<Set<string>> {
  await store.finishInterrupted();
  const interrupted = await store.kv.get<RunMarker>(SYNC_RUNS, IN_PROGRESS);
  const head = await store.audit.head();
  const marker: RunMarker = { id, startedAt, fromSeq: interrupted ? interrupted.fromSeq : (head?.seq ?? 0) + 1 };
  const left = interrupted ? await touchedSince(store, interrupted.fromSeq, actor) : new Set<string>();
  for (const owed of (await store.kv.get<string[]>(SYNC_RUNS, OWED)) ?? []) left.add(owed);
  await store.kv.put(SYNC_RUNS, IN_PROGRESS, marker);
  return left;
}

/** The run record, the refreshes it still owes, and the mark cleared, in one write. */
export async function endRun(store: Pick<Store, 'kv'>, id: string, report: unknown, owed: readonly string[] = []): Promise<void> {
  await store.kv.putMany(SYNC_RUNS, new Map<string, unknown>([[id, report], ['latest', report], [OWED, [...owed]], [IN_PROGRESS, null]]));
}
