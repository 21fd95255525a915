/**
 * GitHub's pagination: `per_page` defaults to 30 and values over 100 are reduced to 100 without an error
 * (docs "Using pagination in the REST API": "If you specify a value greater than the maximum, GitHub does
 * not return an error"). Link headers carry absolute URLs; like api.github.com they address the
 * organisation or repository by id (`/organizations/{id}/...`, `/repositories/{id}/...`), which the fake
 * serves too. `per_page` is repeated in every link.
 */
export const MAX_PER_PAGE = 100;

export function perPage(q: URLSearchParams): number {
  const n = Number(q.get('per_page') ?? 30);
  if (!Number.isInteger(n) || n < 1) return 30;
  return Math.min(n, MAX_PER_PAGE);
}

export function pageNumber(q: URLSearchParams): number {
  const n = Number(q.get('page') ?? 1);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function withParams(base: string, q: URLSearchParams, drop: string[], add: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [k, v] of q) if (!drop.includes(k) && !(k in add)) params.append(k, v);
  for (const [k, v] of Object.entries(add)) params.set(k, v);
  return `${base}?${params.toString()}`;
}

/** Link header for page-number lists: prev, next, last, first as GitHub orders them. */
export function pageLinks(base: string, q: URLSearchParams, page: number, lastPage: number, size: number): string | null {
  const link = (p: number, rel: string): string => `<${withParams(base, q, ['page'], { per_page: String(size), page: String(p) })}>; rel="${rel}"`;
  const parts: string[] = [];
  if (page > 1) parts.push(link(Math.min(page - 1, lastPage), 'prev'));
  if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) parts.push(link(1, 'first'));
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Link header for cursor lists: prev (before=), next (after=), first. No last: a cursor list has none. */
export function cursorLinks(base: string, q: URLSearchParams, size: number, prev: string | null, next: string | null): string | null {
  const drop = ['after', 'before'];
  const parts: string[] = [];
  if (prev) parts.push(`<${withParams(base, q, drop, { per_page: String(size), before: prev })}>; rel="prev"`);
  if (next) parts.push(`<${withParams(base, q, drop, { per_page: String(size), after: next })}>; rel="next"`);
  if (prev) parts.push(`<${withParams(base, q, drop, { per_page: String(size) })}>; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : null;
}
