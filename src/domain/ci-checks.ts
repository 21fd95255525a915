/**
 * When a pull request's CI lets it merge: every check run completed with success, neutral or skipped, and no legacy
 * commit status failing or pending (pure). A repository whose CI only publishes check runs has no legacy statuses at
 * all; GitHub then calls the combined status `pending` with `total_count: 0`, which is not a pending check: the
 * adapter hands over the statuses themselves, and an empty list blocks nothing.
 */
import type { CheckResult } from './run-records.js';

const GREEN = ['success', 'neutral', 'skipped'];

export type ChecksVerdict =
  | { readonly green: true }
  | { readonly green: false; readonly failing: readonly string[]; readonly pending: readonly string[] };

export const isGreen = (c: CheckResult): boolean => c.status === 'completed' && c.conclusion !== null && GREEN.includes(c.conclusion);
export const isPending = (c: CheckResult): boolean => c.status !== 'completed' || c.conclusion === null;

export function checksVerdict(checks: readonly CheckResult[]): ChecksVerdict {
  const pending = checks.filter(isPending).map((c) => c.name);
  const failing = checks.filter((c) => !isPending(c) && !isGreen(c)).map((c) => c.name);
  return pending.length === 0 && failing.length === 0 ? { green: true } : { green: false, failing, pending };
}
