/**
 * A Snyk REST fake for axios: GET /rest/orgs/{org}/projects and /issues (plus one of each by id), JSON:API
 * bodies, `version` and `Authorization: token` required, `limit` validated, cursor pagination through
 * links.next, the usual filters, 429 with retry-after on demand and Snyk's version/request-id headers.
 *
 * links.next is `/rest/orgs/...` (relative to the host) by default; `linkStyle: 'bare'` gives `/orgs/...`
 * as in Snyk's docs example and in the related links of a captured real response. A client must handle both.
 */
import { json, mergeKnobs, startFakeServer, type FakeServer, type Knobs, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { Population, Severity, SnykIssue, SnykProject } from '../population/types.js';
import { boolParam, commaList, dateParam, encodeCursor, parseCursors, parseLimit, parseVersion, ParamError, type Version } from './params.js';
import { errorBody, issueJson, MEDIA_TYPE, projectJson, type IssueCounts } from './wire.js';

export interface FakeSnykOptions {
  /** The API token to accept; default: any non-empty token. */
  token?: string;
  linkStyle?: 'rest' | 'bare';
}

export interface FakeSnyk extends FakeServer {
  knobs: Knobs;
  resolveIssue(id: string, at?: string): SnykIssue;
  reopenIssue(id: string, at?: string): SnykIssue;
  /** A new test of the project: meta.latest_issue_counts.updated_at moves. `project` is its id or name. */
  setLastTested(project: string, at: string): void;
  readonly issues: readonly SnykIssue[];
  readonly projects: readonly SnykProject[];
}

interface Seqd { seq: number }

export async function startFakeSnyk(population: Population, opts: FakeSnykOptions = {}): Promise<FakeSnyk> {
  const { orgId } = population.snyk;
  const prefix = opts.linkStyle === 'bare' ? '' : '/rest';
  const projectCopies = new Map(population.snyk.projects.map((p) => [p, { ...p }]));
  const projects = [...projectCopies.values()];
  const issues = population.snyk.issues.map((i) => ({ ...i, project: projectCopies.get(i.project) as SnykProject }));
  const filtered = new Map<string, SnykIssue[]>();
  let counts: Map<string, IssueCounts> | null = null;
  let requestSeq = 0;

  const changed = (): void => {
    filtered.clear();
    counts = null;
  };
  const countsOf = (p: SnykProject): IssueCounts => {
    if (!counts) {
      counts = new Map(projects.map((x) => [x.id, { critical: 0, high: 0, medium: 0, low: 0 }]));
      for (const i of issues) if (i.status === 'open' && !i.ignored) (counts.get(i.project.id) as Record<Severity, number>)[i.advisory.severity] += 1;
    }
    return counts.get(p.id) as IssueCounts;
  };

  function page<T extends Seqd>(req: ParsedRequest, items: T[], limit: number): { slice: T[]; page: number; links: Record<string, string> } {
    const { after, before } = parseCursors(req.query);
    let start = 0;
    let end = Math.min(limit, items.length);
    if (after !== null) {
      start = items.findIndex((x) => x.seq > after);
      if (start < 0) start = items.length;
      end = Math.min(start + limit, items.length);
    } else if (before !== null) {
      end = items.findIndex((x) => x.seq >= before);
      if (end < 0) end = items.length;
      start = Math.max(0, end - limit);
    }
    const slice = items.slice(start, end);
    const base = `${prefix}${req.path.replace(/^\/rest/, '')}`;
    const withCursor = (name?: string, seq?: number): string => {
      const q = new URLSearchParams(req.query);
      q.delete('starting_after');
      q.delete('ending_before');
      if (name && seq !== undefined) q.set(name, encodeCursor(seq));
      return `${base}?${q.toString()}`;
    };
    const links: Record<string, string> = { self: `${base}?${req.query.toString()}`, first: withCursor() };
    const last = slice.at(-1);
    const first = slice[0];
    if (end < items.length && last) links.next = withCursor('starting_after', last.seq);
    if (start > 0 && first) links.prev = withCursor('ending_before', first.seq);
    return { slice, page: Math.floor(start / limit) + 1, links };
  }

  function issueFilter(q: URLSearchParams): SnykIssue[] {
    const scanId = q.get('scan_item.id');
    const scanType = q.get('scan_item.type');
    if ((scanId === null) !== (scanType === null)) throw new ParamError(400, scanId === null ? 'scan_item.id' : 'scan_item.type', 'scan_item.id and scan_item.type must be given together.');
    if (scanType !== null && scanType !== 'project' && scanType !== 'environment') throw new ParamError(400, 'scan_item.type', `"${scanType}" is not a valid scan_item.type; expected project or environment.`);
    const type = commaList(q, 'type', ['package_vulnerability', 'license', 'cloud', 'code', 'custom', 'config']);
    const status = commaList(q, 'status', ['open', 'resolved']);
    const severity = commaList(q, 'effective_severity_level', ['info', 'low', 'medium', 'high', 'critical']);
    const [ua, ub, ca, cb] = ['updated_after', 'updated_before', 'created_after', 'created_before'].map((n) => dateParam(q, n));
    const ignored = boolParam(q, 'ignored');
    const key = JSON.stringify([scanId, scanType, type, status, severity, ua, ub, ca, cb, ignored]);
    const hit = filtered.get(key);
    if (hit) return hit;
    const out = issues.filter((i) => {
      const updated = Date.parse(i.updatedAt);
      const created = Date.parse(i.createdAt);
      return (scanId === null || (scanType === 'project' && i.project.id === scanId)) &&
        (!type || type.includes('package_vulnerability')) &&
        (!status || status.includes(i.status)) &&
        (!severity || severity.includes(i.advisory.severity)) &&
        (ua == null || updated > ua) && (ub == null || updated < ub) && (ca == null || created > ca) && (cb == null || created < cb) &&
        (ignored === null || i.ignored === ignored);
    });
    filtered.set(key, out);
    return out;
  }

  const ok = (version: Version, body: unknown): Reply => json(200, { jsonapi: { version: '1.0' }, ...(body as object) }, versionHeaders(version), MEDIA_TYPE);
  const versionHeaders = (v: Version): Record<string, string> => ({ 'snyk-version-requested': v.requested, 'snyk-version-served': v.served, 'snyk-version-lifecycle-stage': v.stage });
  const fail = (status: number, title: string, detail: string, source?: { parameter: string }, headers: Record<string, string | number> = {}): Reply =>
    json(status, errorBody(`00000000-0000-4000-8000-${String(requestSeq).padStart(12, '0')}`, status, title, detail, source), headers, MEDIA_TYPE);

  function route(req: ParsedRequest): Route | Reply {
    const seg = req.path.split('/').filter(Boolean);
    if (seg[0] !== 'rest' || seg[1] !== 'orgs' || req.method !== 'GET') return fail(404, 'Not Found', `No route for ${req.method} ${req.path}.`);
    const kind = seg[3];
    const operation = seg.length === 4 ? `${kind ?? ''}/list` : `${kind ?? ''}/get`;
    let version: Version;
    let limit: number;
    try {
      version = parseVersion(req.query);
      limit = parseLimit(req.query);
    } catch (e) {
      if (e instanceof ParamError) return { operation, handle: () => fail(e.status, e.status === 404 ? 'Not Found' : 'Bad Request', e.message, { parameter: e.parameter }) };
      throw e;
    }
    const auth = /^(token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth || (opts.token !== undefined && auth[2] !== opts.token)) return { operation, handle: () => fail(401, 'Unauthorized', 'Authentication credentials were missing or invalid: send "Authorization: token <API token>".') };
    if (seg[2] !== orgId || (kind !== 'projects' && kind !== 'issues') || seg.length > 5) return { operation, handle: () => fail(404, 'Not Found', `Organization ${seg[2] ?? ''} has no ${kind ?? ''} here.`) };
    try {
      if (seg.length === 5) {
        const id = seg[4];
        return {
          operation,
          handle: () => {
            if (kind === 'issues') {
              const i = issues.find((x) => x.id === id);
              return i ? ok(version, { data: issueJson(i, orgId, prefix), links: { self: `${prefix}/orgs/${orgId}/issues/${i.id}` } }) : fail(404, 'Not Found', `Issue ${id ?? ''} not found.`);
            }
            const p = projects.find((x) => x.id === id);
            return p ? ok(version, { data: projectJson(p, orgId, prefix, countsOf(p)), links: { self: `${prefix}/orgs/${orgId}/projects/${p.id}` } }) : fail(404, 'Not Found', `Project ${id ?? ''} not found.`);
          },
        };
      }
      if (kind === 'issues') {
        const result = page(req, issueFilter(req.query), limit);
        return { operation, page: result.page, handle: () => ok(version, { data: result.slice.map((i) => issueJson(i, orgId, prefix)), links: result.links }) };
      }
      const ids = commaList(req.query, 'ids');
      const names = commaList(req.query, 'names');
      const origins = commaList(req.query, 'origins');
      const types = commaList(req.query, 'types');
      const withCounts = boolParam(req.query, 'meta.latest_issue_counts') ?? false;
      const matching = projects
        .map((p, seq) => ({ p, seq }))
        .filter(({ p }) => (!ids || ids.includes(p.id)) && (!names || names.includes(p.name)) && (!origins || origins.includes(p.origin)) && (!types || types.includes(p.type)));
      const result = page(req, matching, limit);
      return { operation, page: result.page, handle: () => ok(version, { data: result.slice.map(({ p }) => projectJson(p, orgId, prefix, withCounts ? countsOf(p) : null)), links: result.links }) };
    } catch (e) {
      if (e instanceof ParamError) return { operation, handle: () => fail(e.status, 'Bad Request', e.message, { parameter: e.parameter }) };
      throw e;
    }
  }

  const find = (id: string): SnykIssue => {
    const i = issues.find((x) => x.id === id);
    if (!i) throw new Error(`no Snyk issue ${id}`);
    return i;
  };
  const later = (i: SnykIssue, at?: string): string => at ?? new Date(Math.max(Date.now(), Date.parse(i.updatedAt) + 1000)).toISOString();

  const server = await startFakeServer({
    route: (req) => {
      requestSeq += 1;
      return route(req);
    },
    failure: (f) => (f.throttle
      ? fail(429, 'Too Many Requests', 'Too many requests, please try again later.', undefined, { 'retry-after': f.retryAfter })
      : fail(f.status, f.status === 500 ? 'Internal Server Error' : f.status === 502 ? 'Bad Gateway' : 'Service Unavailable', 'The server could not handle the request.')),
    decorate: (reply) => ({ ...reply, headers: { ...reply.headers, 'snyk-request-id': `00000000-0000-4000-8000-${String(requestSeq).padStart(12, '0')}` } }),
  });
  return {
    ...server,
    knobs: mergeKnobs<Knobs>(server.knobs),
    resolveIssue: (id, at) => {
      const i = find(id);
      const when = later(i, at);
      Object.assign(i, { status: 'resolved', resolvedAt: when, updatedAt: when });
      changed();
      return i;
    },
    reopenIssue: (id, at) => {
      const i = find(id);
      Object.assign(i, { status: 'open', resolvedAt: null, updatedAt: later(i, at) });
      changed();
      return i;
    },
    setLastTested: (project, at) => {
      const p = projects.find((x) => x.id === project || x.name === project);
      if (!p) throw new Error(`no Snyk project ${project}`);
      p.lastTestedAt = at;
    },
    issues,
    projects,
  };
}
