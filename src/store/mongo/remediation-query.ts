import type { RemediationQuery } from '../../app/ports.js';

/** The filter for a remediation query; each condition has an index behind it (models.ts). */
export function remediationFilter(q: RemediationQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.states) f.state = { $in: q.states };
  if (q.severities) f.severity = { $in: q.severities };
  if (q.owner !== undefined) f.owner = q.owner;
  if (q.dueFrom !== undefined || q.dueBefore !== undefined) {
    f.dueAt = { ...(q.dueFrom !== undefined && { $gte: q.dueFrom }), ...(q.dueBefore !== undefined && { $lt: q.dueBefore }) };
  }
  // Comparison operators never match null (a string bound only matches strings): only closed remediations match.
  if (q.closedSince !== undefined) f.closedAt = { $gte: q.closedSince };
  if (q.createdSince !== undefined) f.createdAt = { $gte: q.createdSince };
  return f;
}

/**
 * skip / limit as SQLite's `LIMIT ? OFFSET ?` reads them: a negative limit is no limit, and a limit of 0 returns
 * nothing (MongoDB's `limit(0)` would mean "no limit", hence `empty`).
 */
export function page(q: RemediationQuery): { skip: number; limit: number; empty: boolean } {
  const limit = q.limit ?? -1;
  return { skip: Math.max(q.offset ?? 0, 0), limit: limit < 0 ? 0 : limit, empty: limit === 0 };
}
