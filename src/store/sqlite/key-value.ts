import type { KeyValue, KeyValueEntry } from '../../app/ports.js';
import type { Db } from './db.js';

export interface SqliteKeyValue {
  readonly repo: KeyValue;
  /** Writes entries; call only inside an immediate transaction (a `commit`). */
  putInTx(entries: readonly KeyValueEntry[]): void;
}

/** Small JSON documents by (namespace, key). */
export function createKeyValue(db: Db): SqliteKeyValue {
  const get = db.prepare<[string, string], string>('SELECT value FROM kv WHERE ns = ? AND key = ?').pluck();
  const getMany = db.prepare<[string, string], { key: string; value: string }>(
    'SELECT key, value FROM kv WHERE ns = ? AND key IN (SELECT value FROM json_each(?))',
  );
  const put = db.prepare<[string, string, string]>(
    'INSERT INTO kv (ns, key, value) VALUES (?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value',
  );
  const list = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM kv WHERE ns = ? ORDER BY key');
  const remove = db.prepare<[string, string]>('DELETE FROM kv WHERE ns = ? AND key = ?');
  const putMany = db.transaction((ns: string, entries: ReadonlyMap<string, unknown>) => {
    for (const [key, value] of entries) put.run(ns, key, JSON.stringify(value) ?? 'null');
  });

  const repo: KeyValue = {
    get: async <T>(ns: string, key: string) => {
      const value = get.get(ns, key);
      return value === undefined ? null : (JSON.parse(value) as T);
    },
    getMany: async <T>(ns: string, keys: readonly string[]) =>
      new Map(getMany.all(ns, JSON.stringify(keys)).map((r) => [r.key, JSON.parse(r.value) as T])),
    put: async (ns, key, value) => {
      put.run(ns, key, JSON.stringify(value) ?? 'null');
    },
    putMany: async (ns, entries) => putMany.immediate(ns, entries),
    list: async <T>(ns: string) => new Map(list.all(ns).map((r) => [r.key, JSON.parse(r.value) as T])),
    delete: async (ns, key) => {
      remove.run(ns, key);
    },
  };
  return { repo, putInTx: (entries) => entries.forEach((e) => put.run(e.ns, e.key, JSON.stringify(e.value) ?? 'null')) };
}
