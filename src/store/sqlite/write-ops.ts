/**
 * Every write of the SQLite store, by name: what the writer thread runs for the main thread (writer-thread.ts,
 * writer-worker.ts). Each is the inline store's own method, whose body runs synchronously to its end (better-sqlite3
 * is synchronous), so several of them can share one transaction. A new write method of the store must be listed here:
 * with a writer thread, the main thread's connection is read-only (`query_only`), so a write missing from this list
 * fails loudly in the contract suite instead of contending with the writer for the file's lock.
 */
import type { SqliteParts, SqliteStoreOptions } from './open-sqlite-store.js';

/** Writes for the records' connection (synchronous = FULL), which the writer groups into one transaction. */
export const GROUPED_WRITES = {
  commit: (p: SqliteParts) => p.store.commit,
  'remediations.nextId': (p: SqliteParts) => p.store.remediations.nextId,
  'remediations.nextIds': (p: SqliteParts) => p.store.remediations.nextIds!,
  'remediations.create': (p: SqliteParts) => p.store.remediations.create,
  'remediations.update': (p: SqliteParts) => p.store.remediations.update,
  'remediations.createMany': (p: SqliteParts) => p.store.remediations.createMany!,
  'remediations.updateMany': (p: SqliteParts) => p.store.remediations.updateMany!,
  'advisories.review': (p: SqliteParts) => p.store.advisories.review,
  'audit.append': (p: SqliteParts) => p.store.audit.append,
  'outbox.settle': (p: SqliteParts) => p.store.outbox.settle,
  'kv.put': (p: SqliteParts) => p.store.kv.put,
  'kv.putMany': (p: SqliteParts) => p.store.kv.putMany,
  'kv.delete': (p: SqliteParts) => p.store.kv.delete,
  'leases.acquire': (p: SqliteParts) => p.store.leases.acquire,
  'leases.renew': (p: SqliteParts) => p.store.leases.renew,
  'leases.release': (p: SqliteParts) => p.store.leases.release,
  'leases.takeOver': (p: SqliteParts) => p.store.leases.takeOver,
  'evidence.record': (p: SqliteParts) => p.recordEvidence,
} as const;

/** Idempotency claims: their own connection (synchronous = NORMAL), each on its own, between the grouped writes. */
export const CLAIM_WRITES = {
  'idempotency.claim': (p: SqliteParts) => p.store.idempotency.claim,
  'idempotency.complete': (p: SqliteParts) => p.store.idempotency.complete,
  'idempotency.release': (p: SqliteParts) => p.store.idempotency.release,
} as const;

export const WRITES = { ...GROUPED_WRITES, ...CLAIM_WRITES };
export type WriteOp = keyof typeof WRITES;
type Method<K extends WriteOp> = ReturnType<(typeof WRITES)[K]>;
export type WriteArgs<K extends WriteOp> = Parameters<Method<K>>;
export type WriteResult<K extends WriteOp> = Awaited<ReturnType<Method<K>>>;

export const isGrouped = (op: WriteOp): op is keyof typeof GROUPED_WRITES => Object.hasOwn(GROUPED_WRITES, op);

/** Runs one write on the writer's own (inline) store. */
export function runWrite(parts: SqliteParts, op: WriteOp, args: readonly unknown[]): Promise<unknown> {
  const method = WRITES[op](parts) as (...a: readonly unknown[]) => Promise<unknown>;
  return method(...args);
}

/** A write sent to the writer thread, for one of the databases attached to it. */
export interface WriteRequest {
  readonly type: 'write';
  readonly store: number;
  readonly id: number;
  readonly op: WriteOp;
  readonly args: readonly unknown[];
}

export interface ErrorShape {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
}

/** What the main thread sends the writer thread. */
export type ThreadMessage =
  | WriteRequest
  | { readonly type: 'attach'; readonly store: number; readonly options: Pick<SqliteStoreOptions, 'path' | 'evidenceDir'> }
  | { readonly type: 'detach'; readonly store: number };

/** A write's answer, once it is committed (or refused). */
export type WriteAnswer = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: ErrorShape };

/** What the writer thread sends back. */
export type ThreadEvent =
  | WriteAnswer
  | { readonly type: 'attached'; readonly store: number; readonly error?: ErrorShape }
  | { readonly type: 'detached'; readonly store: number };
