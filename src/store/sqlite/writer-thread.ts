/**
 * The SQLite store with its writes on a thread of their own (writer-worker.ts): this thread keeps a connection for
 * reads only (`query_only`; WAL readers never wait for the writer), and every write (write-ops.ts) is sent to the
 * writer and answered once it is committed. What the main thread is spared: the statements, the audit log's hashing
 * and the fsync of every write, so people's requests are read and answered while a sync writes; and writes that wait
 * together (a sync's pages, remediations and ids; the claims of a burst) share one transaction and one fsync. Same
 * semantics as the inline store, held to the same contract suite (test/contract, adapter `sqlite-thread`).
 *
 * A store opened with `writer: 'thread'` has a thread of its own, stopped when the store closes. Several stores may
 * share one (`startSqliteWriterThread()`, passed as `writer`), as the contract suite does with one database per test.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Store } from '../../app/ports.js';
import type { RecordEvidence } from './folder-evidence-store.js';
import type { SqliteParts, SqliteStoreOptions } from './open-sqlite-store.js';
import type { ParseDocs } from './doc-table.js';
import { parseInSlices, slicedGetMany, yieldingReads } from './sliced-reads.js';
import type { ErrorShape, ThreadEvent, ThreadMessage, WriteArgs, WriteOp, WriteResult } from './write-ops.js';

export class WriterStopped extends Error {
  constructor(reason: string) {
    super(`the SQLite writer thread stopped: ${reason}`);
    this.name = 'WriterStopped';
  }
}

const toError = (e: ErrorShape): Error => Object.assign(new Error(e.message), { name: e.name, ...(e.code !== undefined ? { code: e.code } : {}) });

/** The writer's code: compiled JavaScript beside this file, or (from TypeScript source: tests, tsx) through tsx. */
function spawn(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./writer-worker.js', import.meta.url));
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./writer-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
}

/** One database's writes on the thread. */
export interface StoreWriter {
  call<K extends WriteOp>(op: K, args: WriteArgs<K>): Promise<WriteResult<K>>;
  /** Writes what was sent, then closes the thread's connections to the database. */
  detach(): Promise<void>;
}

export interface SqliteWriterThread {
  attach(options: Pick<SqliteStoreOptions, 'path' | 'evidenceDir'>): Promise<StoreWriter>;
  close(): Promise<void>;
}

export async function startSqliteWriterThread(): Promise<SqliteWriterThread> {
  const worker = spawn();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const attaching = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  const detaching = new Map<number, () => void>();
  let stopped: WriterStopped | null = null;
  let nextId = 0;
  let nextStore = 0;
  // The thread keeps the process alive only while it is asked something (so an unclosed store never hangs it).
  let asks = 0;
  const ask = (by: number): void => {
    asks += by;
    if (asks === 0) worker.unref();
    else if (by > 0 && asks === by) worker.ref();
  };
  const send = (m: ThreadMessage): void => worker.postMessage(m);

  const stop = (reason: string): void => {
    stopped ??= new WriterStopped(reason);
    for (const p of [...pending.values(), ...attaching.values()]) p.reject(stopped);
    for (const done of detaching.values()) done();
    pending.clear();
    attaching.clear();
    detaching.clear();
  };
  worker.on('message', (m: ThreadEvent) => {
    if ('type' in m) {
      if (m.type === 'attached') {
        const a = attaching.get(m.store);
        attaching.delete(m.store);
        if (m.error) a?.reject(toError(m.error));
        else a?.resolve();
      } else {
        detaching.get(m.store)?.();
        detaching.delete(m.store);
      }
      ask(-1);
      return;
    }
    const p = pending.get(m.id);
    pending.delete(m.id);
    ask(-1);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(toError(m.error));
  });
  worker.on('error', (e) => stop(e.message));
  worker.on('exit', (code) => stop(`exit code ${code}`));
  worker.unref();

  return {
    attach: (options) =>
      new Promise<StoreWriter>((resolve, reject) => {
        if (stopped) return reject(stopped);
        const store = (nextStore += 1);
        ask(1);
        attaching.set(store, {
          reject,
          resolve: () =>
            resolve({
              call: (op, args) =>
                new Promise((done, fail) => {
                  if (stopped) return fail(stopped);
                  const id = (nextId += 1);
                  pending.set(id, { resolve: done as (v: unknown) => void, reject: fail });
                  ask(1);
                  send({ type: 'write', store, id, op, args });
                }),
              detach: () =>
                new Promise<void>((done) => {
                  if (stopped) return done();
                  detaching.set(store, done);
                  ask(1);
                  send({ type: 'detach', store });
                }),
            }),
        });
        send({ type: 'attach', store, options: { path: options.path, ...(options.evidenceDir !== undefined ? { evidenceDir: options.evidenceDir } : {}) } });
      }),
    close: async () => {
      if (stopped) return;
      stop('closed');
      await worker.terminate();
    },
  };
}

/**
 * The store on `thread` (a thread of its own when none is given, closed with the store). `openParts`: the inline
 * store's opener (open-sqlite-store.ts), passed in so the two files do not import each other.
 */
export async function openThreadedStore(
  options: SqliteStoreOptions,
  openParts: (o: SqliteStoreOptions, record: RecordEvidence, parseDocs: ParseDocs) => SqliteParts,
  shared?: SqliteWriterThread,
): Promise<Store> {
  const thread = shared ?? (await startSqliteWriterThread());
  // The writer opens (and migrates) first; then this thread's connection, which only ever reads.
  let writer: StoreWriter | null = null;
  let local: SqliteParts;
  try {
    writer = await thread.attach(options);
    const w = writer;
    local = openParts(options, (row) => w.call('evidence.record', [row]), parseInSlices);
    local.db.pragma('query_only = ON');
    // Reads only: the file's pages are in the OS's cache anyway; the writer's connection keeps the big one.
    local.db.pragma('cache_size = -8192');
  } catch (e) {
    await writer?.detach();
    if (!shared) await thread.close();
    throw e;
  }
  // Reads stay on this thread, each its own slice of the event loop (sliced-reads.ts).
  const s: Store = {
    ...local.store,
    assets: yieldingReads(local.store.assets),
    findings: { ...yieldingReads(local.store.findings), getMany: slicedGetMany(local.store.findings.getMany) },
    remediations: yieldingReads(local.store.remediations),
    advisories: yieldingReads(local.store.advisories),
    audit: yieldingReads(local.store.audit, ['stream']),
    kv: yieldingReads(local.store.kv),
    outbox: yieldingReads(local.store.outbox),
    idempotency: yieldingReads(local.store.idempotency),
  };
  const to = writer;
  const w = <K extends WriteOp>(op: K) => (...args: WriteArgs<K>): Promise<WriteResult<K>> => to.call(op, args);
  return {
    ...s,
    remediations: {
      ...s.remediations,
      nextId: w('remediations.nextId'),
      nextIds: w('remediations.nextIds'),
      create: w('remediations.create'),
      update: w('remediations.update'),
      createMany: w('remediations.createMany'),
      updateMany: w('remediations.updateMany'),
    },
    advisories: { ...s.advisories, review: w('advisories.review') },
    audit: { ...s.audit, append: w('audit.append') },
    outbox: { ...s.outbox, settle: w('outbox.settle') },
    idempotency: { ...s.idempotency, claim: w('idempotency.claim'), complete: w('idempotency.complete'), release: w('idempotency.release') },
    leases: { acquire: w('leases.acquire'), renew: w('leases.renew'), release: w('leases.release'), holderOf: local.store.leases.holderOf, takeOver: w('leases.takeOver') },
    kv: { ...s.kv, put: w('kv.put'), putMany: w('kv.putMany'), delete: w('kv.delete') },
    commit: w('commit'),
    close: async () => {
      await to.detach();
      if (!shared) await thread.close();
      await local.store.close();
    },
  };
}
