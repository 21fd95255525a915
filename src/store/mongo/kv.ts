import type { KeyValue } from '../../app/ports.js';
import { orderedUpserts } from './bulk.js';
import { fromStored, toStored } from './documents.js';
import { rawCollection, type KvDoc, type Models } from './models.js';

const idOf = (ns: string, key: string): string => JSON.stringify([ns, key]);

/** The upsert that writes one entry (also used by journal entries that carry key-value entries). */
export const kvReplace = (ns: string, key: string, value: unknown) => ({
  replaceOne: { filter: { _id: idOf(ns, key) }, replacement: { _id: idOf(ns, key), ns, key, value: toStored(value ?? null) }, upsert: true },
});

/**
 * Small JSON documents by (namespace, key), one MongoDB document each. Each put is one upsert, last writer wins
 * as in SQLite; a putMany that fails part-way leaves some entries new, none torn.
 */
export function createKeyValue(models: Models): KeyValue {
  const model = models.kv;
  const replace = kvReplace;
  return {
    get: async <T>(ns: string, key: string) => {
      const doc = await model.findById(idOf(ns, key)).lean<KvDoc>();
      return doc ? fromStored<T>(doc.value) : null;
    },
    getMany: async <T>(ns: string, keys: readonly string[]) => {
      const docs = await model.find({ _id: { $in: keys.map((k) => idOf(ns, k)) } }).lean<KvDoc[]>();
      return new Map(docs.map((d) => [d.key, fromStored<T>(d.value)]));
    },
    put: (ns, key, value) => upsertAll([replace(ns, key, value)]),
    putMany: (ns, entries) => upsertAll([...entries].map(([key, value]) => replace(ns, key, value))),
    list: async <T>(ns: string) => {
      const docs = await model.find({ ns }).sort({ key: 1 }).lean<KvDoc[]>();
      return new Map(docs.map((d) => [d.key, fromStored<T>(d.value)]));
    },
    delete: async (ns, key) => {
      await model.deleteOne({ _id: idOf(ns, key) });
    },
  };

  /** An upsert refused as a duplicate raced another first-ever upsert of its key: now it exists, so again. */
  async function upsertAll(ops: ReturnType<typeof replace>[]): Promise<void> {
    for (let round = 1; ops.length > 0; round += 1) {
      const refused = await orderedUpserts(rawCollection(model), ops);
      if (refused.length > 0 && round >= 10) throw new Error(`key-value upserts kept racing (${refused.length} left)`);
      ops = refused.map((i) => ops[i]!);
    }
  }
}
