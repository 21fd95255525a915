import type { AssetRepo } from '../../app/ports.js';
import type { Asset } from '../../domain/asset.js';
import type { Db } from './db.js';
import { docTable, type ParseDocs } from './doc-table.js';
import { filter } from './sql.js';

export interface SqliteAssets {
  readonly repo: AssetRepo;
  /** Inserts or replaces; call inside the caller's transaction. */
  upsertInTx(assets: readonly Asset[]): void;
}

export function createAssets(db: Db, parseDocs?: ParseDocs): SqliteAssets {
  const table = docTable<Asset>(db, 'assets', 'id', parseDocs);
  const upsert = db.prepare<[string, string, number, string]>(
    `INSERT INTO assets (id, source, in_scope, doc) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET source = excluded.source, in_scope = excluded.in_scope, doc = excluded.doc`,
  );
  return {
    upsertInTx: (assets) => {
      for (const a of assets) upsert.run(a.id, a.source, a.inScope ? 1 : 0, JSON.stringify(a));
    },
    repo: {
      get: async (id) => table.get(id),
      getMany: async (ids) => table.getMany(ids),
      list: async (query = {}) =>
        table.list(
          filter([
            ['source = ?', query.source],
            ['in_scope = ?', query.inScope === undefined ? undefined : Number(query.inScope)],
          ]),
        ),
    },
  };
}
