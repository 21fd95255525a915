/**
 * A GitHub REST fake for @octokit/rest (baseUrl: fake.url): organisation repositories, Dependabot alerts
 * (org and repo level, cursor pagination), Dependabot pull requests, merge, commit status and check runs.
 * Rate-limit headers on every response, ETag / 304 on GETs, 403 for repositories with Dependabot alerts
 * disabled, and the shared fault knobs. See test/support/README.md for what it does not emulate.
 */
import { createHash } from 'node:crypto';
import { json, mergeKnobs, startFakeServer, type FakeServer, type Knobs, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { GhAlert, GhAlertState, GhPull, GhRepo, Population } from '../population/types.js';
import { AlertIndex } from './alert-query.js';
import { PullStore, type PullKnobs } from './pulls.js';
import { RateLimiter, type RateLimitKnobs } from './rate-limit.js';
import { DOCS, listAlerts, listRepos, notFound, routeRepo, type GithubContext } from './routes.js';
import { AlertRenderer, type Epss } from './wire.js';

export interface FakeGithubOptions {
  /** When set, requests must carry `Authorization: token|Bearer <token>` (401 "Bad credentials" otherwise). */
  token?: string;
  /** Primary limit per hour; default 5000. */
  rateLimit?: number;
  /** Merging needs green checks, like a protected branch; default true. */
  requireGreenChecks?: boolean;
  /** Merging a Dependabot PR marks its alert fixed, as GitHub does after the rescan; default true. */
  fixAlertOnMerge?: boolean;
  /**
   * Legacy commit statuses: `mirror-checks` (default) gives each head a `ci/build` status in its check run's state;
   * `none` is a repository whose CI only publishes check runs (combined status pending, total_count 0).
   */
  legacyStatuses?: 'mirror-checks' | 'none';
}

export interface AlertChange {
  state: GhAlertState;
  /** Default: now, and always later than the alert's current updated_at. */
  at?: string;
  dismissedReason?: GhAlert['dismissedReason'];
  dismissedComment?: string | null;
}

export type FakeGithubKnobs = Knobs & RateLimitKnobs & PullKnobs;

export interface FakeGithub extends FakeServer {
  knobs: FakeGithubKnobs;
  /** Change an alert as GitHub would (state, the matching *_at, updated_at bumped). `repo` is `name` or `org/name`. */
  updateAlert(repo: string, number: number, change: AlertChange): GhAlert;
  setDependabotAlerts(repo: string, enabled: boolean): void;
  /** The fake's own (mutable) copies. */
  readonly alerts: readonly GhAlert[];
  readonly pulls: readonly GhPull[];
}

const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export async function startFakeGithub(population: Population, opts: FakeGithubOptions = {}): Promise<FakeGithub> {
  const { org, orgId } = population.github;
  const repoCopies = new Map(population.github.repos.map((r) => [r, { ...r }]));
  const repos = [...repoCopies.values()];
  const copy = (r: GhRepo): GhRepo => repoCopies.get(r) as GhRepo;
  const alerts = population.github.alerts.map((a) => ({ ...a, repo: copy(a.repo) }));
  const pulls = population.github.pulls.map((p) => ({ ...p, repo: copy(p.repo) }));
  const epss = new Map(population.epss.scores.map((s) => [s.cve, { percentage: s.epss, percentile: s.percentile } satisfies Epss]));
  const epssOf = (a: GhAlert['advisory']): Epss | null => (a.cveId ? epss.get(a.cveId) ?? null : null);
  const index = new AlertIndex(alerts, (a) => epssOf(a.advisory)?.percentage ?? 0);
  const limiter = new RateLimiter(opts.rateLimit);
  let api = '';
  let requestSeq = 0;
  const renderer = new AlertRenderer(() => api, orgId, epssOf);

  const repoOf = (name: string): GhRepo => {
    const r = repos.find((x) => x.fullName === name || x.name === name);
    if (!r) throw new Error(`no repository ${name} in the fake`);
    return r;
  };
  const changed = (): void => index.touch();
  const updateAlert = (repo: string, number: number, change: AlertChange): GhAlert => {
    const r = repoOf(repo);
    const a = alerts.find((x) => x.repo === r && x.number === number);
    if (!a) throw new Error(`no alert ${repo}#${number}`);
    const at = change.at ?? iso(Math.max(Date.now(), Date.parse(a.updatedAt) + 1000));
    Object.assign(a, {
      state: change.state, updatedAt: at,
      fixedAt: change.state === 'fixed' ? at : null,
      dismissedAt: change.state === 'dismissed' ? at : null,
      dismissedReason: change.state === 'dismissed' ? change.dismissedReason ?? 'tolerable_risk' : null,
      dismissedComment: change.state === 'dismissed' ? change.dismissedComment ?? null : null,
      autoDismissedAt: change.state === 'auto_dismissed' ? at : null,
    });
    changed();
    return a;
  };
  const pullStore = new PullStore(pulls, orgId, () => api, opts.requireGreenChecks ?? true, (pull, at) => {
    if ((opts.fixAlertOnMerge ?? true) && pull.alertNumber !== null) updateAlert(pull.repo.fullName, pull.alertNumber, { state: 'fixed', at });
    else changed();
  }, opts.legacyStatuses);

  /**
   * ETag (hash of the body) on every 200 GET; a matching If-None-Match gets 304 without a body, which octokit
   * throws as RequestError 304. Alert lists set their own ETag without rendering (see listAlerts).
   */
  const conditional = (req: ParsedRequest, reply: Reply): Reply => {
    if (req.method !== 'GET' || reply.status !== 200 || reply.body === undefined || reply.headers?.etag !== undefined) return reply;
    const etag = `W/"${createHash('sha1').update(reply.body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
    return { ...reply, headers: { ...reply.headers, etag } };
  };

  const ctx: GithubContext = { orgId, repos, alerts, index, renderer, pulls: pullStore, api: () => api };

  function route(req: ParsedRequest): Route | Reply {
    const auth = req.headers.authorization;
    if (opts.token && auth !== `token ${opts.token}` && auth !== `Bearer ${opts.token}` && auth !== `bearer ${opts.token}`) {
      return json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] === 'rate_limit') return { operation: 'rate-limit/get', handle: () => json(200, { resources: { core: limiter.knobs().rateLimit }, rate: limiter.knobs().rateLimit }) };
    const refused = limiter.refusal();
    if (refused) return refused;
    const isOrg = (seg[0] === 'orgs' && seg[1] === org) || (seg[0] === 'organizations' && seg[1] === String(orgId));
    if (isOrg && seg[2] === 'repos' && seg.length === 3 && req.method === 'GET') return listRepos(ctx, req);
    if (isOrg && seg[2] === 'dependabot' && seg[3] === 'alerts' && seg.length === 4 && req.method === 'GET') return listAlerts(ctx, req, null, `${api}/organizations/${orgId}/dependabot/alerts`);
    if (seg[0] === 'repos' && seg.length >= 4) {
      const repo = repos.find((r) => r.fullName === `${seg[1]}/${seg[2]}`);
      return repo ? routeRepo(ctx, req, repo, seg.slice(3)) : notFound();
    }
    if (seg[0] === 'repositories' && seg.length >= 3) {
      const repo = repos.find((r) => String(r.id) === seg[1]);
      return repo ? routeRepo(ctx, req, repo, seg.slice(2)) : notFound();
    }
    return notFound();
  }

  const server = await startFakeServer({
    route: (req) => {
      const r = route(req);
      return 'handle' in r ? { ...r, handle: async () => conditional(req, await r.handle()) } : r;
    },
    failure: (f) => (f.throttle ? limiter.secondary(f.retryAfter, f.status) : json(f.status, { message: f.status === 500 ? 'Server Error' : f.status === 502 ? 'Bad Gateway' : 'Service Unavailable', status: String(f.status) })),
    decorate: (reply) => ({
      ...reply,
      headers: {
        ...reply.headers,
        ...limiter.account(reply.status),
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': `F4KE:${(requestSeq += 1).toString(16).toUpperCase().padStart(8, '0')}`,
      },
    }),
  });
  api = server.url;
  return {
    ...server,
    knobs: mergeKnobs<FakeGithubKnobs>(server.knobs, limiter.knobs(), pullStore.knobs(repoOf)),
    updateAlert,
    setDependabotAlerts: (repo, enabled) => {
      repoOf(repo).dependabotAlerts = enabled;
      changed();
    },
    alerts,
    pulls,
  };
}
