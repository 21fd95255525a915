import { hash } from 'node:crypto';
import type { Remediation } from '../domain/remediation.js';
import { instant } from '../domain/time.js';
import type { AuditAction } from './audit-actions.js';

/** One link of the tamper-evident audit chain. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  /** Slack user id, or `system:<job>`. */
  readonly actor: string;
  /** One of AUDIT_ACTIONS (audit-actions.ts); read back as stored, so a string. */
  readonly action: string;
  /** What it is about: `PW-42`, `sync:2026-11-28T09:00:00Z`, a finding id. */
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** What a use case hands the store; the store numbers and chains it in the same write as the change. */
export type AuditEventInput = Pick<AuditEvent, 'at' | 'actor' | 'subject' | 'data'> & { readonly action: AuditAction };

/** The audit event of a change of state: who moved the remediation from which state to which, and with what. */
export function transitionEvent(action: AuditAction, at: Date, actor: string, before: Remediation, after: Remediation, data: Record<string, unknown>): AuditEventInput {
  return { at: instant(at), actor, action, subject: before.id, data: { from: before.state, to: after.state, ...data } };
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. The same event always gives
 * the same bytes, whichever store wrote it and whatever order its keys were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops, not map/filter/join: `audit verify` runs this per event. Same bytes as before (a hole stays empty).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      const v: unknown = value[i];
      out += `${i ? ',' : ''}${!(i in value) ? '' : v === undefined ? 'null' : canonicalJson(v)}`;
    }
    return `${out}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const record = value as Record<string, unknown>;
  let out = '';
  for (const k of Object.keys(record).sort()) {
    if (record[k] !== undefined) out += `${out ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(record[k])}`;
  }
  return `{${out}}`;
}

/** hash = sha256(prevHash + canonical JSON of the event's content). */
export function hashEvent(e: Omit<AuditEvent, 'hash'>): string {
  return hashWithData(e, canonicalJson(e.data));
}

/**
 * hashEvent for an event whose `data` is already canonical JSON (as a store keeps it): the same bytes, the keys in
 * canonical order written out, without serialising the data a second time.
 */
export function hashWithData(e: Omit<AuditEvent, 'hash' | 'data'>, canonicalData: string): string {
  const body = `{"action":${JSON.stringify(e.action)},"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"data":${canonicalData},"seq":${JSON.stringify(e.seq)},"subject":${JSON.stringify(e.subject)}}`;
  return hash('sha256', e.prevHash + body, 'hex');
}

/** Numbers and chains an event after `head` (null for the first event). */
export function chain(input: AuditEventInput, head: Pick<AuditEvent, 'seq' | 'hash'> | null): AuditEvent {
  const unhashed = { ...input, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: hashEvent(unhashed) };
}

export type ChainVerdict =
  | { readonly ok: true; readonly count: number; readonly headSeq: number; readonly headHash: string }
  | { readonly ok: false; readonly count: number; readonly badSeq: number; readonly reason: string };

/** Where a chain (or a segment of one) continues from: the genesis, or the event before the segment. */
export type ChainLink = Pick<AuditEvent, 'seq' | 'hash'>;

/**
 * Checks events one at a time, in stored order, recomputing every link: `push` returns false at the first broken
 * one (and takes no more), `result` gives the verdict so far. Catches an edited event (its hash no longer matches),
 * a deleted one (a gap in seq), a reordered pair (seq out of order or prevHash mismatch) and a forged one (a hash
 * that does not chain). Truncating the tail is caught only against a head hash recorded elsewhere (`expectHead`),
 * which the digest posts to Slack. `after`: the link a segment continues from (default the genesis).
 */
export function chainChecker(expectHead?: ChainLink, after: ChainLink = { seq: 0, hash: GENESIS_HASH }) {
  let prev: ChainLink = after;
  let count = 0;
  let broken: ChainVerdict | null = null;
  return {
    push(e: AuditEvent): boolean {
      if (broken) return false;
      const expected = prev.seq + 1;
      const fail = (reason: string): boolean => {
        broken = { ok: false, count, badSeq: expected, reason };
        return false;
      };
      if (e.seq !== expected) return fail(e.seq > expected ? `missing event: expected seq ${expected}, found ${e.seq}` : `out of order: seq ${e.seq} after ${prev.seq}`);
      if (e.prevHash !== prev.hash) return fail('prevHash does not match the previous event’s hash');
      if (hashEvent(e) !== e.hash) return fail('hash does not match the event’s content');
      if (expectHead && e.seq === expectHead.seq && e.hash !== expectHead.hash) return fail('hash differs from the recorded head');
      count += 1;
      prev = e;
      return true;
    },
    result(): ChainVerdict {
      if (broken) return broken;
      if (expectHead && prev.seq < expectHead.seq) {
        return { ok: false, count, badSeq: prev.seq + 1, reason: `the chain ends before the recorded head seq ${expectHead.seq}` };
      }
      return { ok: true, count, headSeq: prev.seq, headHash: prev.hash };
    },
  };
}

/** Walks the events in stored order with a `chainChecker`, stopping at the first broken link. */
export async function verifyChain(
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>,
  expectHead?: ChainLink,
  after?: ChainLink,
): Promise<ChainVerdict> {
  const checker = chainChecker(expectHead, after);
  for await (const e of events) if (!checker.push(e)) break;
  return checker.result();
}
