import type { AssetRepo } from '../../app/ports.js';
import type { Asset } from '../../domain/asset.js';
import type { Db } from './db.js';
import { filter, statementCache } from './sql.js';

const parse = (doc: string): Asset => JSON.parse(doc) as Asset;

export interface SqliteAssets {
  readonly repo: AssetRepo;
  /** Inserts or replaces; call inside the caller's transaction. */
  upsertInTx(assets: readonly Asset[]): void;
}

export function createAssets(db: Db): SqliteAssets {
  const prepared = statementCache(db);
  const byId = db.prepare<[string], string>('SELECT doc FROM assets WHERE id = ?').pluck();
  // One parameter whatever the number of ids: a JSON array unpacked by json_each.
  const byIds = db.prepare<[string], string>('SELECT doc FROM assets WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').pluck();
  const upsert = db.prepare<[string, string, number, string]>(
    `INSERT INTO assets (id, source, in_scope, doc) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET source = excluded.source, in_scope = excluded.in_scope, doc = excluded.doc`,
  );

  return {
    upsertInTx: (assets) => {
      for (const a of assets) upsert.run(a.id, a.source, a.inScope ? 1 : 0, JSON.stringify(a));
    },
    repo: {
      get: async (id) => {
        const doc = byId.get(id);
        return doc === undefined ? null : parse(doc);
      },
      getMany: async (ids) => byIds.all(JSON.stringify(ids)).map(parse),
      list: async (query = {}) => {
        const f = filter([
          ['source = ?', query.source],
          ['in_scope = ?', query.inScope === undefined ? undefined : Number(query.inScope)],
        ]);
        return (prepared(`SELECT doc FROM assets${f.sql} ORDER BY id`).pluck().all(...f.params) as string[]).map(parse);
      },
    },
  };
}
