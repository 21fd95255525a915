/**
 * The SQLite writer thread (started by writer-thread.ts): for each database attached to it, its own connection to
 * the file and every write of that store, in the order they were sent. Writes that wait together run as ONE immediate
 * transaction, each inside its own savepoint (better-sqlite3 nests a transaction function that way): each is applied
 * or refused on its own, exactly as alone, and all of them are durable at the one COMMIT (one fsync) before any is
 * answered. Idempotency claims use their own connection (synchronous = NORMAL) and run one by one between the groups.
 * The bot attaches one database; the contract suite attaches one per test to a single thread.
 */
import { parentPort } from 'node:worker_threads';
import { openSqliteParts, type SqliteParts, type SqliteStoreOptions } from './open-sqlite-store.js';
import { isGrouped, runWrite, type ThreadMessage, type WriteAnswer, type WriteRequest } from './write-ops.js';

/** The most writes one transaction takes (the later ones wait for the next): bounds how long a claim can wait. */
const MAX_GROUP = 64;

const port = parentPort!;

const describe = (e: unknown): Extract<WriteAnswer, { ok: false }>['error'] => {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}) };
};

const stores = new Map<number, { parts: SqliteParts; queue: WriteRequest[] }>();
let scheduled = false;

/** Answers each write with what it returned (they ran synchronously: their promises are already settled). */
async function answer(requests: readonly WriteRequest[], results: readonly Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(results);
  settled.forEach((s, i) => {
    const id = requests[i]!.id;
    port.postMessage(s.status === 'fulfilled' ? { id, ok: true, value: s.value } : { id, ok: false, error: describe(s.reason) } satisfies WriteAnswer);
  });
}

function runGroup(parts: SqliteParts, group: readonly WriteRequest[]): Promise<void> {
  const results: Promise<unknown>[] = [];
  try {
    parts.db.transaction(() => {
      for (const r of group) {
        // A failure SQLite answers by rolling the whole transaction back (disk full, I/O error): stop, none is written.
        if (!parts.db.inTransaction) throw new Error('the write transaction was rolled back');
        results.push(runWrite(parts, r.op, r.args));
      }
    }).immediate();
  } catch (e) {
    // BEGIN or COMMIT failed, or the transaction was rolled back: none of them is written.
    for (const p of results) p.catch(() => undefined);
    const error = describe(e);
    for (const r of group) port.postMessage({ id: r.id, ok: false, error } satisfies WriteAnswer);
    return Promise.resolve();
  }
  return answer(group, results);
}

async function drain(): Promise<void> {
  scheduled = false;
  for (const { parts, queue } of stores.values()) {
    while (queue.length > 0) {
      if (!isGrouped(queue[0]!.op)) {
        const claim = queue.shift()!;
        await answer([claim], [runWrite(parts, claim.op, claim.args)]);
        continue;
      }
      let n = 1;
      while (n < queue.length && n < MAX_GROUP && isGrouped(queue[n]!.op)) n += 1;
      await runGroup(parts, queue.splice(0, n));
    }
  }
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // Writes sent in the same turn of the main thread arrive together: let them all in, then write them as one.
  setImmediate(() => void drain());
}

port.on('message', (m: ThreadMessage) => {
  if (m.type === 'write') {
    const store = stores.get(m.store);
    if (!store) port.postMessage({ id: m.id, ok: false, error: { name: 'Error', message: 'that database is not open on the writer thread' } } satisfies WriteAnswer);
    else {
      store.queue.push(m);
      schedule();
    }
  } else if (m.type === 'attach') {
    try {
      stores.set(m.store, { parts: openSqliteParts(m.options as SqliteStoreOptions), queue: [] });
      port.postMessage({ type: 'attached', store: m.store });
    } catch (e) {
      port.postMessage({ type: 'attached', store: m.store, error: describe(e) });
    }
  } else {
    // Detach: what was sent before is written first.
    void drain().then(async () => {
      await stores.get(m.store)?.parts.store.close();
      stores.delete(m.store);
      port.postMessage({ type: 'detached', store: m.store });
    });
  }
});
