import type { Db } from './db.js';
import { statementCache, type Filter } from './sql.js';

/** The reads every JSON-doc table shares: by id, by many ids, filtered lists in the table's order, counts. */
export interface DocTable<T> {
  get(id: string): T | null;
  getMany(ids: readonly string[]): T[];
  /** `tail` goes after ORDER BY (a LIMIT), with its parameters. */
  list(filter: Filter, tail?: Filter): T[];
  count(filter: Filter): number;
}

export function docTable<T>(db: Db, table: 'assets' | 'findings' | 'remediations', orderBy: string): DocTable<T> {
  const prepared = statementCache(db);
  const parse = (doc: string): T => JSON.parse(doc) as T;
  const byId = db.prepare<[string], string>(`SELECT doc FROM ${table} WHERE id = ?`).pluck();
  // One parameter whatever the number of ids: a JSON array unpacked by json_each.
  const byIds = db.prepare<[string], string>(`SELECT doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${orderBy}`).pluck();
  return {
    get: (id) => {
      const doc = byId.get(id);
      return doc === undefined ? null : parse(doc);
    },
    getMany: (ids) => byIds.all(JSON.stringify(ids)).map(parse),
    list: (f, tail = { sql: '', params: [] }) =>
      (prepared(`SELECT doc FROM ${table}${f.sql} ORDER BY ${orderBy}${tail.sql}`).pluck().all(...f.params, ...tail.params) as string[]).map(parse),
    count: (f) => prepared(`SELECT COUNT(*) FROM ${table}${f.sql}`).pluck().get(...f.params) as number,
  };
}
