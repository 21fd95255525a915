import type { Db } from './db.js';
import { statementCache, type Filter } from './sql.js';

/** The reads every JSON-doc table shares: by id, by many ids, filtered lists in the table's order, counts. */
export interface DocTable<T> {
  get(id: string): T | null;
  getMany(ids: readonly string[]): Promise<T[]>;
  /** `tail` goes after ORDER BY (a LIMIT), with its parameters. */
  list(filter: Filter, tail?: Filter): Promise<T[]>;
  count(filter: Filter): number;
}

/**
 * Turns the JSON docs one query read into records: all at once (the default), or in slices with turns of the event
 * loop between them (the bot's reading connection: sliced-reads.ts). Either way the docs come from one statement,
 * so from one snapshot of the file.
 */
export type ParseDocs = <T>(docs: readonly string[]) => T[] | Promise<T[]>;

export const parseAtOnce: ParseDocs = <T>(docs: readonly string[]) => docs.map((doc) => JSON.parse(doc) as T);

export function docTable<T>(db: Db, table: 'assets' | 'findings' | 'remediations', orderBy: string, parseDocs: ParseDocs = parseAtOnce): DocTable<T> {
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
    getMany: async (ids) => parseDocs<T>(byIds.all(JSON.stringify(ids))),
    list: async (f, tail = { sql: '', params: [] }) =>
      parseDocs<T>(prepared(`SELECT doc FROM ${table}${f.sql} ORDER BY ${orderBy}${tail.sql}`).pluck().all(...f.params, ...tail.params) as string[]),
    count: (f) => prepared(`SELECT COUNT(*) FROM ${table}${f.sql}`).pluck().get(...f.params) as number,
  };
}
