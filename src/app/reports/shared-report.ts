/**
 * A report many people ask for at once (`/patch status` by fifty managers), computed once per change of the store:
 * requests that come while it is being computed share that computation, and the result is served from memory until
 * the store changes or it is `maxAgeMs` old, whichever comes first.
 *
 * "The store changed" is read from the audit log's head: every write of a remediation's state, a finding or an asset
 * appends its audit event in the same write (the one rule of the audit trail), on any replica. Every request is
 * answered with a head read that started after it arrived, so whoever asks after a change sees it; requests that
 * arrive while a read is under way share the next one (a burst of fifty costs two reads, not fifty). The age limit
 * is for time alone: the clock moves due dates into "overdue" without any write.
 */
import type { Store } from '../ports.js';
import { createInventoryReport, type InventoryReporter } from './inventory-report.js';
import { createStatusReport, type StatusReportDeps, type StatusReporter } from './status-report.js';

export interface SharedReportDeps<T> {
  readonly compute: () => Promise<T>;
  /** Changes whenever what the report reads may have changed. */
  readonly stamp: () => Promise<string>;
  readonly now: () => Date;
  /** The longest a result is served without computing it again (default a minute). */
  readonly maxAgeMs?: number;
}

export const REPORT_MAX_AGE_MS = 60_000;

/** The audit log's head sequence number: moves with every recorded change, on every replica. */
export const auditHeadStamp = (store: Pick<Store, 'audit'>) => async (): Promise<string> => String((await store.audit.head())?.seq ?? 0);

/**
 * `read`, shared by callers without ever answering one with a read that started before it called: while a read is
 * under way, callers wait for the next one, which starts when it ends and which they all share.
 */
export function readAfterCall<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const p = read().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return () => {
    if (!running) return start();
    next ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}

export function shareReport<T>({ compute, stamp: readStamp, now, maxAgeMs = REPORT_MAX_AGE_MS }: SharedReportDeps<T>): () => Promise<T> {
  const stamp = readAfterCall(readStamp);
  let cached: { readonly value: T; readonly stamp: string; readonly at: number } | null = null;
  let computing: { readonly stamp: string; readonly value: Promise<T> } | null = null;

  const fresh = (at: number): boolean => {
    const age = now().getTime() - at;
    return age >= 0 && age < maxAgeMs;
  };

  return async () => {
    const current = await stamp();
    if (cached && cached.stamp === current && fresh(cached.at)) return cached.value;
    // Started after the store was at this stamp: it reads at least what this request must see.
    if (computing && computing.stamp === current) return computing.value;
    const at = now().getTime();
    const value = compute();
    const mine = { stamp: current, value };
    computing = mine;
    try {
      const result = await value;
      if (computing === mine) cached = { value: result, stamp: current, at };
      return result;
    } finally {
      if (computing === mine) computing = null;
    }
  };
}

export interface SharedReports {
  readonly status: StatusReporter;
  readonly inventory: InventoryReporter;
}

/** The reports people ask for at once, each computed once per change of the store (status reads inventory's). */
export function createSharedReports(deps: Omit<StatusReportDeps, 'inventory'> & { readonly store: Store; readonly staleScanDays: number }): SharedReports {
  const { store, now } = deps;
  const stamp = auditHeadStamp(store);
  const inventory = shareReport({ compute: createInventoryReport({ store, staleScanDays: deps.staleScanDays, now }), stamp, now });
  const status = shareReport({ compute: createStatusReport({ ...deps, inventory }), stamp, now });
  return { status, inventory };
}
