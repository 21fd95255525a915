import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/** Prepares each distinct SQL text once: the query builders produce a handful of shapes, reused many times. */
export function statementCache(db: Db): (sql: string) => Statement<unknown[], unknown> {
  const cache = new Map<string, Statement<unknown[], unknown>>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** `WHERE a AND b` from the clauses that apply, or nothing. */
export const where = (clauses: readonly string[]): string => (clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '');

/** `column IN (?, ?, ...)`; an empty list matches nothing, as in MongoDB's `$in: []`. */
export const inList = (column: string, values: readonly unknown[]): string => `${column} IN (${values.map(() => '?').join(', ')})`;

export type Param = string | number;

/** A piece of SQL and the parameters of its placeholders. */
export interface Filter {
  readonly sql: string;
  readonly params: readonly Param[];
}

/** WHERE clause from `[clause, value]` pairs, skipping the ones whose value is undefined (filter not asked for). */
export function filter(conditions: readonly (readonly [string, Param | undefined])[]): Filter {
  const present = conditions.filter((c): c is readonly [string, Param] => c[1] !== undefined);
  return { sql: where(present.map((c) => c[0])), params: present.map((c) => c[1]) };
}
