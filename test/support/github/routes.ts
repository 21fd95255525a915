/** The GitHub fake's routes for repositories, Dependabot alerts, pull requests and commit checks. */
import { createHash } from 'node:crypto';
import { json, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { GhAlert, GhRepo } from '../population/types.js';
import { decodeCursor, parseAlertQuery, type AlertIndex } from './alert-query.js';
import { cursorLinks, pageLinks, pageNumber, perPage } from './paging.js';
import type { PullStore } from './pulls.js';
import { fullRepo, type AlertRenderer } from './wire.js';

export interface GithubContext {
  orgId: number;
  repos: GhRepo[];
  alerts: GhAlert[];
  index: AlertIndex;
  renderer: AlertRenderer;
  pulls: PullStore;
  api: () => string;
}

export const DOCS = 'https://docs.github.com/rest';
export const notFound = (): Reply => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
const OFFSET_PARAMS = ['page', 'first', 'last'];

export function listAlerts(ctx: GithubContext, req: ParsedRequest, repo: GhRepo | null, base: string): Route | Reply {
  const operation = repo ? 'dependabot/list-alerts-for-repo' : 'dependabot/list-alerts-for-org';
  const offset = OFFSET_PARAMS.find((p) => req.query.has(p));
  if (offset) return json(400, { message: `Pagination using the \`${offset}\` parameter is not supported.`, documentation_url: `${DOCS}/dependabot/alerts`, status: '400' });
  if (repo && !repo.dependabotAlerts) {
    return { operation, handle: () => json(403, { message: 'Dependabot alerts are disabled for this repository.', documentation_url: `${DOCS}/dependabot/alerts#list-dependabot-alerts-for-a-repository`, status: '403' }) };
  }
  const q = parseAlertQuery(req.query, repo);
  if (typeof q === 'string') return json(422, { message: 'Validation Failed', errors: [q], documentation_url: `${DOCS}/dependabot/alerts`, status: '422' });
  const raw = { after: req.query.get('after'), before: req.query.get('before') };
  const after = raw.after ? decodeCursor(raw.after) : null;
  const before = raw.before ? decodeCursor(raw.before) : null;
  if ((raw.after && !after) || (raw.before && !before)) return json(400, { message: 'Invalid cursor', documentation_url: `${DOCS}/dependabot/alerts`, status: '400' });
  const size = perPage(req.query);
  const page = ctx.index.page(q, size, after, before);
  return {
    operation,
    page: page.page,
    handle: () => {
      const link = cursorLinks(base, req.query, size, page.prev, page.next);
      // Content-derived without rendering: the query, the link, and each item's identity and last change.
      const etag = `W/"${createHash('sha1').update(`${req.path}|${link}|${page.items.map((a) => `${a.seq}:${a.updatedAt}`).join(',')}`).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', etag };
      if (link) headers.link = link;
      return { status: 200, headers, body: ctx.renderer.page(page.items, repo === null) };
    },
  };
}

export function listRepos(ctx: GithubContext, req: ParsedRequest): Route {
  const size = perPage(req.query);
  const page = pageNumber(req.query);
  return {
    operation: 'repos/list-for-org',
    page,
    handle: () => {
      const sort = req.query.get('sort') ?? 'created';
      const field = sort === 'full_name' ? 'fullName' : sort === 'updated' ? 'updatedAt' : sort === 'pushed' ? 'pushedAt' : 'createdAt';
      const direction = req.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
      const type = req.query.get('type') ?? 'all';
      const matching = ctx.repos
        .filter((r) => (type === 'public' ? !r.private : type === 'private' ? r.private : type !== 'forks'))
        .sort((a, b) => (a[field].localeCompare(b[field]) || a.id - b.id) * (direction === 'asc' ? 1 : -1));
      const lastPage = Math.max(1, Math.ceil(matching.length / size));
      const link = pageLinks(`${ctx.api()}/organizations/${ctx.orgId}/repos`, req.query, page, lastPage, size);
      return json(200, matching.slice((page - 1) * size, page * size).map((r) => fullRepo(ctx.api(), r, ctx.orgId)), link ? { link } : {});
    },
  };
}

export function routeRepo(ctx: GithubContext, req: ParsedRequest, repo: GhRepo, rest: string[]): Route | Reply {
  const [kind, id, action] = rest;
  if (kind === 'dependabot' && id === 'alerts' && rest.length === 2 && req.method === 'GET') return listAlerts(ctx, req, repo, `${ctx.api()}/repositories/${repo.id}/dependabot/alerts`);
  if (kind === 'dependabot' && id === 'alerts' && rest.length === 3 && req.method === 'GET') {
    const a = ctx.alerts.find((x) => x.repo === repo && x.number === Number(rest[2]));
    const one = (x: GhAlert): Reply => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: ctx.renderer.render(x, false) });
    return { operation: 'dependabot/get-alert', handle: () => (!repo.dependabotAlerts ? json(403, { message: 'Dependabot alerts are disabled for this repository.', documentation_url: DOCS, status: '403' }) : a ? one(a) : notFound()) };
  }
  if (kind === 'pulls' && rest.length === 1 && req.method === 'GET') {
    const page = pageNumber(req.query);
    return { operation: 'pulls/list', page, handle: () => ctx.pulls.list(repo, req.query) };
  }
  if (kind === 'pulls' && rest.length === 2 && req.method === 'GET') {
    const p = ctx.pulls.find(repo, Number(id));
    return { operation: 'pulls/get', handle: () => (p ? json(200, ctx.pulls.toJson(p, true)) : notFound()) };
  }
  if (kind === 'pulls' && action === 'merge' && req.method === 'PUT') {
    let body: unknown = {};
    try {
      body = req.body.length > 0 ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return json(400, { message: 'Problems parsing JSON', documentation_url: `${DOCS}/pulls/pulls#merge-a-pull-request`, status: '400' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return json(400, { message: 'Body should be a JSON object', documentation_url: `${DOCS}/pulls/pulls#merge-a-pull-request`, status: '400' });
    return { operation: 'pulls/merge', handle: () => ctx.pulls.merge(repo, Number(id), body as Record<string, unknown>) };
  }
  if (kind === 'commits' && id && action === 'status' && req.method === 'GET') return { operation: 'repos/get-combined-status-for-ref', handle: () => ctx.pulls.status(repo, id) };
  if (kind === 'commits' && id && action === 'check-runs' && req.method === 'GET') return { operation: 'checks/list-for-ref', handle: () => ctx.pulls.checkRuns(repo, id) };
  return notFound();
}
