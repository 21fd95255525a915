/**
 * Filtering, sorting and cursor paging of Dependabot alerts. A cursor names the last item's sort key and
 * its sequence number (not an offset), so paging stays consistent while alerts change between requests,
 * as GitHub's opaque cursors do. Sorted lists are cached per query until the data changes.
 */
import type { GhAlert, GhRepo } from '../population/types.js';

export type SortKey = 'created' | 'updated' | 'epss_percentage';

export interface AlertQuery {
  repo: GhRepo | null;
  state: string[] | null;
  severity: string[] | null;
  ecosystem: string[] | null;
  package: string[] | null;
  scope: string | null;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

export interface Page {
  items: GhAlert[];
  /** 1-based, for the fault knobs. */
  page: number;
  next: string | null;
  prev: string | null;
}

type Key = [number, number];

const list = (v: string | null): string[] | null => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : null);

export function parseAlertQuery(q: URLSearchParams, repo: GhRepo | null): AlertQuery | string {
  const sort = q.get('sort') ?? 'created';
  const direction = q.get('direction') ?? 'desc';
  if (sort !== 'created' && sort !== 'updated' && sort !== 'epss_percentage') return `${sort} is not a valid sort`;
  if (direction !== 'asc' && direction !== 'desc') return `${direction} is not a valid direction`;
  return { repo, state: list(q.get('state')), severity: list(q.get('severity')), ecosystem: list(q.get('ecosystem')), package: list(q.get('package')), scope: q.get('scope'), sort, direction };
}

export const encodeCursor = (key: Key): string => Buffer.from(`cursor:v2:${JSON.stringify(key)}`).toString('base64');

export function decodeCursor(cursor: string): Key | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('cursor:v2:')) return null;
  try {
    const key = JSON.parse(text.slice('cursor:v2:'.length)) as unknown;
    return Array.isArray(key) && key.length === 2 && key.every((n) => typeof n === 'number') ? (key as Key) : null;
  } catch {
    return null;
  }
}

export class AlertIndex {
  private readonly cache = new Map<string, GhAlert[]>();

  constructor(
    private readonly alerts: GhAlert[],
    private readonly epssOf: (alert: GhAlert) => number,
  ) {}

  /** Call after any alert changed. */
  touch(): void {
    this.cache.clear();
  }

  keyOf(a: GhAlert, sort: SortKey): Key {
    const value = sort === 'created' ? Date.parse(a.createdAt) : sort === 'updated' ? Date.parse(a.updatedAt) : this.epssOf(a);
    return [value, a.seq];
  }

  /** Before (negative) or after (positive) in the query's order. */
  private compare(a: Key, b: Key, direction: 'asc' | 'desc'): number {
    const d = a[0] - b[0] || a[1] - b[1];
    return direction === 'asc' ? d : -d;
  }

  sorted(q: AlertQuery): GhAlert[] {
    const cacheKey = JSON.stringify(q, (k, v: unknown) => (k === 'repo' && v ? (v as GhRepo).id : v));
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const matches = (a: GhAlert): boolean =>
      a.repo.dependabotAlerts &&
      (!q.repo || a.repo === q.repo) &&
      (!q.state || q.state.includes(a.state)) &&
      (!q.severity || q.severity.includes(a.advisory.severity)) &&
      (!q.ecosystem || q.ecosystem.includes(a.advisory.ecosystem)) &&
      (!q.package || q.package.includes(a.advisory.packageName)) &&
      (!q.scope || q.scope === a.scope);
    const keyed = this.alerts.filter(matches).map((a) => ({ a, k: this.keyOf(a, q.sort) }));
    keyed.sort((x, y) => this.compare(x.k, y.k, q.direction));
    const items = keyed.map((x) => x.a);
    if (this.cache.size > 64) this.cache.clear();
    this.cache.set(cacheKey, items);
    return items;
  }

  /** First position whose item comes after `key` (strictly, or at-or-after with `inclusive`). */
  private seek(items: GhAlert[], q: AlertQuery, key: Key, inclusive: boolean): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.compare(this.keyOf(items[mid] as GhAlert, q.sort), key, q.direction);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  page(q: AlertQuery, perPage: number, after: Key | null, before: Key | null): Page {
    const items = this.sorted(q);
    let start = 0;
    let end = Math.min(perPage, items.length);
    if (after) {
      start = this.seek(items, q, after, false);
      end = Math.min(start + perPage, items.length);
    } else if (before) {
      end = this.seek(items, q, before, true);
      start = Math.max(0, end - perPage);
    }
    const slice = items.slice(start, end);
    const last = slice.at(-1);
    const first = slice[0];
    return {
      items: slice,
      page: Math.floor(start / perPage) + 1,
      next: end < items.length && last ? encodeCursor(this.keyOf(last, q.sort)) : null,
      prev: start > 0 && first ? encodeCursor(this.keyOf(first, q.sort)) : null,
    };
  }
}
