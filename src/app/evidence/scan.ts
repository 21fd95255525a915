/**
 * The pack's first reading of the store, before anything is written: the whole audit log once, up to the head it had
 * when the pack began (verifying every link and noting each remediation's trail), then who is in the population.
 */
import { chainChecker, type AuditEvent, type ChainVerdict } from '../audit.js';
import type { Store } from '../ports.js';
import { createPeriodLog, inPopulation, type PeriodLog } from './population.js';
import type { SegmentHeader } from './audit-segment.js';
import { SEGMENT_FORMAT } from './audit-segment.js';
import type { Period } from './period.js';

export interface AuditScan {
  readonly head: Pick<AuditEvent, 'seq' | 'hash'> | null;
  readonly verification: ChainVerdict;
  readonly log: PeriodLog;
}

/** Reads every event up to the current head; `progress(seq, headSeq)` now and then. */
export async function scanAuditLog(audit: Store['audit'], period: Period, cutOff: string, progress: (seq: number, of: number) => void): Promise<AuditScan> {
  const headEvent = await audit.head();
  const head = headEvent ? { seq: headEvent.seq, hash: headEvent.hash } : null;
  const log = createPeriodLog(period.from, cutOff);
  const checker = chainChecker(head ?? undefined);
  progress(0, head?.seq ?? 0);
  for await (const e of audit.stream()) {
    if (head && e.seq > head.seq) break; // appended while we read: the next pack's
    log.observe(e);
    checker.push(e);
    if (e.seq % 10_000 === 0) progress(e.seq, head?.seq ?? 0);
  }
  return { head, verification: checker.result(), log: log.result() };
}

const idNumber = (id: string): number => Number(id.slice(3));

/** The ids of the pack, in PW-number order: open at some moment of the period (the audit trail's word, else the record's). */
export async function populationIds(remediations: Store['remediations'], scan: AuditScan, period: Period, cutOff: string): Promise<string[]> {
  const ids = new Set<string>();
  const stored = new Set<string>();
  for (const f of await remediations.facts()) {
    stored.add(f.id);
    if (inPopulation(f, scan.log.trails.get(f.id), period.from, cutOff)) ids.add(f.id);
  }
  // Named by the trail but gone from the store: kept, so the pack says so.
  for (const [id, t] of scan.log.trails) if (t.openInPeriod && !stored.has(id)) ids.add(id);
  return [...ids].sort((a, b) => idNumber(a) - idNumber(b));
}

/** The first line of audit-log.jsonl. */
export async function segmentHeader(audit: Store['audit'], scan: AuditScan, period: Period, cutOff: string): Promise<SegmentHeader> {
  const seg = scan.log.segment;
  const first = seg ? (await audit.read(seg.firstSeq, 1))[0] : undefined;
  return {
    format: SEGMENT_FORMAT,
    period: { label: period.label, from: period.from, to: period.to, cutOff },
    segment: seg && first ? { firstSeq: seg.firstSeq, lastSeq: seg.lastSeq, count: seg.lastSeq - seg.firstSeq + 1, prevHash: first.prevHash } : null,
    chainHead: scan.head,
    verification: scan.verification,
  };
}
