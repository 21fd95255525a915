import type { RemediationQuery } from '../../app/ports.js';
import { inList, where, type Filter } from './sql.js';

/** The WHERE clause and its parameters for a remediation query; each filter has an index behind it. */
export function remediationFilter(q: RemediationQuery): Filter {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, ...values: (string | number)[]): void => {
    clauses.push(clause);
    params.push(...values);
  };
  if (q.states) add(inList('state', q.states), ...q.states);
  if (q.severities) add(inList('severity', q.severities), ...q.severities);
  if (q.owner !== undefined) add('owner = ?', q.owner);
  if (q.dueFrom !== undefined) add('due_at >= ?', q.dueFrom);
  if (q.dueBefore !== undefined) add('due_at < ?', q.dueBefore);
  // NULL >= x is never true, so only closed remediations match.
  if (q.closedSince !== undefined) add('closed_at >= ?', q.closedSince);
  if (q.createdSince !== undefined) add('created_at >= ?', q.createdSince);
  return { sql: where(clauses), params };
}

/** ` LIMIT ? OFFSET ?` with its parameters (SQLite's LIMIT -1 is "no limit"). */
export function page(q: RemediationQuery): Filter {
  if (q.limit === undefined && q.offset === undefined) return { sql: '', params: [] };
  return { sql: ' LIMIT ? OFFSET ?', params: [q.limit ?? -1, q.offset ?? 0] };
}
