import type { FindingQuery, FindingRepo } from '../../app/ports.js';
import type { Finding } from '../../domain/finding.js';
import type { Db } from './db.js';
import { filter, statementCache } from './sql.js';

const parse = (doc: string): Finding => JSON.parse(doc) as Finding;

const findingFilter = (q: FindingQuery) =>
  filter([
    ['asset_id = ?', q.assetId],
    ['remediation_id = ?', q.remediationId],
    ['source = ?', q.source],
    ['state = ?', q.state],
  ]);

export interface SqliteFindings {
  readonly repo: FindingRepo;
  /** Inserts or replaces; call inside the caller's transaction. */
  upsertInTx(findings: readonly Finding[]): void;
}

export function createFindings(db: Db): SqliteFindings {
  const prepared = statementCache(db);
  const byId = db.prepare<[string], string>('SELECT doc FROM findings WHERE id = ?').pluck();
  const byIds = db.prepare<[string], string>('SELECT doc FROM findings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').pluck();
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
      get: async (id) => {
        const doc = byId.get(id);
        return doc === undefined ? null : parse(doc);
      },
      getMany: async (ids) => byIds.all(JSON.stringify(ids)).map(parse),
      list: async (query = {}) => {
        const f = findingFilter(query);
        return (prepared(`SELECT doc FROM findings${f.sql} ORDER BY id`).pluck().all(...f.params) as string[]).map(parse);
      },
      count: async (query = {}) => {
        const f = findingFilter(query);
        return prepared(`SELECT COUNT(*) FROM findings${f.sql}`).pluck().get(...f.params) as number;
      },
    },
  };
}
