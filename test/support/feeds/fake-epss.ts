/**
 * The FIRST EPSS API (api.first.org/data/v1/epss): `cve` as a comma list (at most 2000 characters,
 * commas included, per FIRST's docs), `offset` / `limit` paging (default limit 100), the envelope
 * {status, status-code, version, access, total, offset, limit, data[{cve, epss, percentile, date}]} with
 * scores as strings of nine decimals, the epss-gt / percentile-gt / epss-lt / percentile-lt / q filters,
 * `order` (epss, !epss, percentile, !percentile) and 429 on demand.
 */
import { json, startFakeServer, type FakeServer, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { EpssScore, Population } from '../population/types.js';

export const EPSS_PATH = '/data/v1/epss';
/** FIRST documents the 2000-character cap on `cve`; the largest `limit` it accepts is not documented (UNVERIFIED): capped here. */
export const MAX_CVE_PARAM = 2000;
export const MAX_LIMIT = 10_000;

export interface FakeEpss extends FakeServer {
  /** Full URL of the API (what EPSS_URL would be). */
  apiUrl: string;
  setScore(cve: string, epss: number, percentile: number): void;
}

const fixed = (n: number): string => n.toFixed(9);
const bad = (message: string): Reply => json(400, { status: 'error', 'status-code': 400, version: '1.0', access: 'private, no-cache', message });

export async function startFakeEpss(population: Population): Promise<FakeEpss> {
  const scores: EpssScore[] = population.epss.scores.map((s) => ({ ...s }));
  const byCve = new Map(scores.map((s) => [s.cve, s]));
  const date = population.epss.date;

  function route(req: ParsedRequest): Route | Reply {
    if (req.path !== EPSS_PATH || req.method !== 'GET') return json(404, { status: 'error', 'status-code': 404, message: 'Not Found' });
    const q = req.query;
    const cveParam = q.get('cve');
    if (cveParam !== null && cveParam.length > MAX_CVE_PARAM) return bad(`The cve parameter is limited to ${MAX_CVE_PARAM} characters.`);
    const offset = Number(q.get('offset') ?? 0);
    const limit = Math.min(Number(q.get('limit') ?? 100), MAX_LIMIT);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) return bad('offset and limit must be non-negative integers.');
    return {
      operation: 'epss',
      page: Math.floor(offset / limit) + 1,
      handle: () => {
        let rows = cveParam === null ? scores : cveParam.split(',').map((c) => byCve.get(c.trim().toUpperCase())).filter((s): s is EpssScore => s !== undefined);
        const num = (name: string): number | null => (q.get(name) === null ? null : Number(q.get(name)));
        const [eg, pg, el, pl] = ['epss-gt', 'percentile-gt', 'epss-lt', 'percentile-lt'].map(num);
        const text = q.get('q');
        rows = rows.filter((s) => (eg == null || s.epss >= eg) && (pg == null || s.percentile >= pg) && (el == null || s.epss <= el) && (pl == null || s.percentile <= pl) && (!text || s.cve.includes(text)));
        const order = q.get('order');
        if (order) {
          const field = order.replace(/^!/, '') === 'percentile' ? 'percentile' : 'epss';
          rows = [...rows].sort((a, b) => (order.startsWith('!') ? b[field] - a[field] : a[field] - b[field]));
        }
        const data = rows.slice(offset, offset + limit).map((s) => ({ cve: s.cve, epss: fixed(s.epss), percentile: fixed(s.percentile), date: q.get('date') ?? date }));
        const body = { status: 'OK', 'status-code': 200, version: '1.0', access: 'private, no-cache', total: rows.length, offset, limit, data };
        return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: q.get('pretty') === 'true' ? JSON.stringify(body, null, 4) : JSON.stringify(body) };
      },
    };
  }

  const server = await startFakeServer({
    route,
    failure: (f) => (f.throttle
      ? json(429, { status: 'error', 'status-code': 429, message: 'Too Many Requests' }, { 'retry-after': f.retryAfter })
      : json(f.status, { status: 'error', 'status-code': f.status, message: 'Service Unavailable' })),
  });
  return {
    ...server,
    apiUrl: `${server.url}${EPSS_PATH}`,
    setScore: (cve, epss, percentile) => {
      const s = byCve.get(cve);
      if (s) Object.assign(s, { epss, percentile });
      else {
        const added = { cve, epss, percentile };
        scores.push(added);
        byCve.set(cve, added);
      }
    },
  };
}
