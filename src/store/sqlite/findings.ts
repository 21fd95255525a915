import type { AssetFindingCount, FindingQuery, FindingRepo } from '../../app/ports.js';
import type { Finding } from '../../domain/finding.js';
import type { Db } from './db.js';
import { docTable, type ParseDocs } from './doc-table.js';
import { filter, statementCache, type Filter } from './sql.js';

const findingFilter = (q: FindingQuery = {}): Filter =>
  filter([
    ['asset_id = ?', q.assetId],
    ['remediation_id = ?', q.remediationId],
    ['source = ?', q.source],
    ['state = ?', q.state],
    ["EXISTS (SELECT 1 FROM json_each(doc, '$.cves') WHERE value IN (SELECT value FROM json_each(?)))", q.cves && JSON.stringify(q.cves)],
  ]);

export interface SqliteFindings {
  readonly repo: FindingRepo;
  /** Inserts or replaces; call inside the caller's transaction. */
  upsertInTx(findings: readonly Finding[]): void;
}

export function createFindings(db: Db, parseDocs?: ParseDocs): SqliteFindings {
  const table = docTable<Finding>(db, 'findings', 'id', parseDocs);
  const prepared = statementCache(db);
  const upsert = db.prepare<[string, string, string | null, string, string, string]>(
    `INSERT INTO findings (id, asset_id, remediation_id, source, state, doc) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET asset_id = excluded.asset_id, remediation_id = excluded.remediation_id,
       source = excluded.source, state = excluded.state, doc = excluded.doc`,
  );
  return {
    upsertInTx: (findings) => {
      for (const f of findings) upsert.run(f.id, f.assetId, f.remediationId, f.source, f.state, JSON.stringify(f));
    },
    repo: {
      get: async (id) => table.get(id),
      getMany: async (ids) => table.getMany(ids),
      list: async (query) => table.list(findingFilter(query)),
      count: async (query) => table.count(findingFilter(query)),
      // (state, asset_id) covers the usual question, open findings per asset, without reading a row.
      countByAsset: async (query) => {
        const f = findingFilter(query);
        return prepared(`SELECT asset_id AS assetId, COUNT(*) AS count FROM findings${f.sql} GROUP BY asset_id ORDER BY asset_id`).all(...f.params) as AssetFindingCount[];
      },
    },
  };
}
