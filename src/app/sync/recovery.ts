/**
 * Resuming after a crash. Every page a run commits is whole, but its remediations are refreshed once, at the end of
 * the run; a run that dies before then leaves remediations whose findings changed without them. The audit log
 * already says which: every finding event the sync writes names its remediation, and every remediation it creates
 * has its `remediation.created` event. So a run marks itself in progress (kv `sync-runs/in-progress`, with the first
 * audit seq it could have written) and clears the mark when done; the next run that finds a mark reads the sync's
 * events since that seq and refreshes those remediations too. Nothing else needs journaling.
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

/** Marks the run in progress; returns what an interrupted earlier run left to refresh (empty when none). */
export async function beginRun(store: Pick<Store, 'audit' | 'kv'>, id: string, startedAt: string, actor: string): Promise<Set<string>> {
  const interrupted = await store.kv.get<RunMarker>(SYNC_RUNS, IN_PROGRESS);
  const head = await store.audit.head();
  const marker: RunMarker = { id, startedAt, fromSeq: interrupted ? interrupted.fromSeq : (head?.seq ?? 0) + 1 };
  const left = interrupted ? await touchedSince(store, interrupted.fromSeq, actor) : new Set<string>();
  await store.kv.put(SYNC_RUNS, IN_PROGRESS, marker);
  return left;
}

/** The run record, and the mark cleared, in one write. */
export async function endRun(store: Pick<Store, 'kv'>, id: string, report: unknown): Promise<void> {
  await store.kv.putMany(SYNC_RUNS, new Map<string, unknown>([[id, report], ['latest', report], [IN_PROGRESS, null]]));
}
