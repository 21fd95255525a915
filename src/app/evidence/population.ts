/**
 * Who belongs in a pack: every remediation open at any moment of the period, whatever its state now. Read from the
 * audit trail, the record that cannot be rewritten unnoticed: every change of state appends an event whose data
 * says `to` (transitionEvent), and every remediation starts with `remediation.created` (state `new`). Walking the
 * log once, in seq order, gives each remediation's state when the period began, whether it was open at some moment
 * inside it, and its state at the cut-off. The same walk counts the sync runs of the period per source.
 */
import { isClosed, REMEDIATION_STATES, type RemediationState } from '../../domain/remediation-state.js';
import type { Instant } from '../../domain/time.js';
import type { AuditEvent } from '../audit.js';
import type { RemediationFacts } from '../ports.js';

export interface Trail {
  /** When the log first mentions it (its `remediation.created`, normally). */
  readonly firstAt: Instant;
  readonly stateAtStart: RemediationState | null;
  readonly stateAtEnd: RemediationState | null;
  /** Open at some moment of [from, cutOff). */
  readonly openInPeriod: boolean;
}

export interface SourceRuns {
  readonly runs: number;
  readonly failed: number;
  readonly lastOkAt: Instant | null;
  readonly lastError: string | null;
}

export interface PeriodLog {
  readonly trails: ReadonlyMap<string, Trail>;
  /** Sync runs of the period, per source (`github`, `snyk`, `ssm`), from their `sync.completed` events. */
  readonly syncs: ReadonlyMap<string, SourceRuns>;
  /** The contiguous seq range of the period's events: from the first at or after `from`, to the last before the cut-off. */
  readonly segment: { readonly firstSeq: number; readonly lastSeq: number } | null;
}

const REMEDIATION_ID = /^PW-\d+$/;
const STATES: ReadonlySet<string> = new Set(REMEDIATION_STATES);

interface MutableTrail {
  firstAt: Instant;
  state: RemediationState | null;
  stateAtStart: RemediationState | null;
  openInPeriod: boolean;
}

const stateAfter = (e: AuditEvent): RemediationState | null => {
  if (e.action === 'remediation.created') return 'new';
  const to = e.data.to;
  return typeof to === 'string' && STATES.has(to) ? (to as RemediationState) : null;
};

/** Feed it every event in seq order, then read `result()`. Holds a few facts per remediation, never the events. */
export function createPeriodLog(from: Instant, cutOff: Instant) {
  const trails = new Map<string, MutableTrail>();
  const syncs = new Map<string, { runs: number; failed: number; lastOkAt: Instant | null; lastError: string | null }>();
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;

  function track(e: AuditEvent): void {
    let t = trails.get(e.subject);
    if (!t) {
      t = { firstAt: e.at, state: null, stateAtStart: null, openInPeriod: false };
      trails.set(e.subject, t);
    }
    const next = stateAfter(e);
    if (next === null) return;
    if (e.at < from) {
      t.state = next;
      t.stateAtStart = next;
    } else if (e.at < cutOff) {
      t.state = next;
      if (!isClosed(next)) t.openInPeriod = true;
    }
  }

  function countSync(e: AuditEvent): void {
    const sources = Array.isArray(e.data.sources) ? (e.data.sources as { source?: unknown; status?: unknown; error?: unknown }[]) : [];
    for (const s of sources) {
      if (typeof s.source !== 'string') continue;
      const c = syncs.get(s.source) ?? { runs: 0, failed: 0, lastOkAt: null, lastError: null };
      c.runs += 1;
      if (s.status === 'ok') c.lastOkAt = e.at;
      else {
        c.failed += 1;
        c.lastError = typeof s.error === 'string' ? s.error : 'failed';
      }
      syncs.set(s.source, c);
    }
  }

  return {
    observe(e: AuditEvent): void {
      if (e.at >= from && e.at < cutOff) {
        firstSeq ??= e.seq;
        lastSeq = e.seq;
        if (e.action === 'sync.completed') countSync(e);
      }
      if (REMEDIATION_ID.test(e.subject)) track(e);
    },
    result(): PeriodLog {
      const out = new Map<string, Trail>();
      for (const [id, t] of trails) {
        if (t.state === null) continue; // only events that change no state (a denial): judged by its record
        // Open when the period began counts as open in it; so does one created inside it (stateAfter: `new`).
        const openAtStart = t.stateAtStart !== null && !isClosed(t.stateAtStart);
        out.set(id, { firstAt: t.firstAt, stateAtStart: t.stateAtStart, stateAtEnd: t.state, openInPeriod: t.openInPeriod || openAtStart });
      }
      return { trails: out, syncs, segment: firstSeq !== null && lastSeq !== null ? { firstSeq, lastSeq } : null };
    },
  };
}

/**
 * In the pack: open at some moment of the period. From its trail when the log has one; a remediation the log never
 * mentions (written without events) is judged by its record: created before the cut-off and not closed before the
 * period began.
 */
export function inPopulation(facts: Pick<RemediationFacts, 'createdAt' | 'closedAt'>, trail: Trail | undefined, from: Instant, cutOff: Instant): boolean {
  if (trail) return trail.openInPeriod;
  return facts.createdAt < cutOff && (facts.closedAt === null || facts.closedAt >= from);
}
