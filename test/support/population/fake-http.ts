/**
 * The harness every fake server shares: a real node:http server on 127.0.0.1 with a random port, a request
 * log (secrets removed), and the fault knobs (fail the next N requests, optionally only for one path,
 * operation or page; stay down; counters). Each fake supplies its routing and its API's error bodies.
 * (It lives beside the generators because this work owned no neutral folder; see test/support/README.md.)
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; authorization, cookies and session tokens removed. */
  headers: Record<string, string>;
  /** The fake's name for what was called (e.g. `dependabot/list-alerts-for-org`, `DescribeInstancePatches`). */
  operation: string;
  /** 1-based page of a paged list, when the request asked for one. */
  page?: number;
  status: number;
  /** Parsed JSON request body (SSM only). */
  body?: unknown;
}

export interface FailureSpec {
  /** How many matching requests fail; default 1. */
  times?: number;
  /** 500, 502, 503... Default 500. With `throttle`, picks the throttling status where the API has two (GitHub 403 | 429). */
  status?: number;
  /** Answer with the API's own throttling response instead (GitHub secondary limit, Snyk 429, SSM ThrottlingException, EPSS 429). */
  throttle?: boolean;
  /** Seconds, for throttling responses that carry retry-after. Default 1. */
  retryAfter?: number;
  /** Only requests whose path matches (a string matches as a substring). */
  path?: RegExp | string;
  operation?: string;
  /** Only this 1-based page of a paged list. */
  page?: number;
}

export interface Counters {
  requests: number;
  /** Requests answered with an injected failure. */
  failed: number;
  byOperation: Record<string, number>;
}

export interface Knobs {
  failNext(spec?: FailureSpec): void;
  /** Every request fails until recover(). */
  staysDown(spec?: Omit<FailureSpec, 'times' | 'page'>): void;
  recover(): void;
  /**
   * The next matching requests are carried out (their effect happens) but their answers are held back until
   * `releaseHeld()`: a client that dies meanwhile never learns the outcome (a crash between a call and its answer).
   */
  holdAnswers(spec?: Pick<FailureSpec, 'times' | 'path' | 'operation'>): void;
  releaseHeld(): void;
  /** Answers held back right now. */
  readonly held: number;
  readonly counters: Counters;
  resetCounters(): void;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

export interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Route {
  operation: string;
  page?: number;
  handle: () => Reply | Promise<Reply>;
}

/** What an injected failure should look like; `status` on a throttle picks between an API's throttling statuses (GitHub: 403 or 429). */
export type Failure = { throttle: false; status: number } | { throttle: true; retryAfter: number; status?: number };

export interface ServerSpec {
  /** A route to run, or a reply straight away (404, 400 for a malformed request...). */
  route(req: ParsedRequest): Route | Reply;
  failure(failure: Failure, req: ParsedRequest, route: Route): Reply;
  /** Headers every reply carries (rate limits, request ids). */
  decorate?(reply: Reply, req: ParsedRequest, operation: string): Reply;
  recordBody?: boolean;
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  knobs: Knobs;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-amz-security-token']);

const isRoute = (r: Route | Reply): r is Route => 'handle' in r;

function matches(spec: FailureSpec, req: ParsedRequest, route: Route): boolean {
  if (spec.operation !== undefined && spec.operation !== route.operation) return false;
  if (spec.page !== undefined && spec.page !== route.page) return false;
  if (spec.path instanceof RegExp) return spec.path.test(req.path);
  return spec.path === undefined || req.path.includes(spec.path);
}

const toFailure = (spec: FailureSpec): Failure => {
  if (!spec.throttle) return { throttle: false, status: spec.status ?? 500 };
  return spec.status === undefined ? { throttle: true, retryAfter: spec.retryAfter ?? 1 } : { throttle: true, retryAfter: spec.retryAfter ?? 1, status: spec.status };
};

export const json = (status: number, value: unknown, headers: Record<string, string | number> = {}, contentType = 'application/json; charset=utf-8'): Reply => ({
  status,
  headers: { 'content-type': contentType, ...headers },
  body: JSON.stringify(value),
});

const bug = (e: unknown): Reply => json(500, { message: `fake bug: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });

/** Merges knob objects keeping getters live (Object.assign would freeze them into values). */
export function mergeKnobs<T extends object>(...parts: object[]): T {
  const out = {};
  for (const p of parts) Object.defineProperties(out, Object.getOwnPropertyDescriptors(p));
  return out as T;
}

export async function startFakeServer(spec: ServerSpec): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const rules: { spec: FailureSpec; left: number }[] = [];
  const holds: { spec: FailureSpec; left: number }[] = [];
  const held: (() => void)[] = [];
  let down: FailureSpec | null = null;
  const counters: Counters = { requests: 0, failed: 0, byOperation: {} };

  const server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake.local');
      const req: ParsedRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body: Buffer.concat(chunks) };
      void respond(req)
        .catch(bug)
        .then((reply) => {
          res.writeHead(reply.status, reply.headers);
          res.end(reply.body);
        });
    });
  });

  async function respond(req: ParsedRequest): Promise<Reply> {
    counters.requests += 1;
    let resolved: Route | Reply;
    try {
      resolved = spec.route(req);
    } catch (e) {
      resolved = bug(e);
    }
    const route: Route = isRoute(resolved) ? resolved : { operation: 'unrouted', handle: () => resolved };
    counters.byOperation[route.operation] = (counters.byOperation[route.operation] ?? 0) + 1;
    let reply: Reply;
    const rule = rules.find((r) => r.left > 0 && matches(r.spec, req, route));
    if (down && matches(down, req, route)) {
      reply = spec.failure(toFailure(down), req, route);
      counters.failed += 1;
    } else if (rule) {
      rule.left -= 1;
      reply = spec.failure(toFailure(rule.spec), req, route);
      counters.failed += 1;
    } else {
      try {
        reply = await route.handle();
      } catch (e) {
        reply = bug(e);
      }
    }
    reply = spec.decorate ? spec.decorate(reply, req, route.operation) : reply;
    requests.push(record(req, route, reply.status));
    const hold = holds.find((h) => h.left > 0 && matches(h.spec, req, route));
    if (hold) {
      hold.left -= 1;
      await new Promise<void>((resolve) => held.push(resolve));
    }
    return reply;
  }

  function record(req: ParsedRequest, route: Route, status: number): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!SECRET_HEADERS.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const out: RecordedRequest = { method: req.method, path: req.path, query: Object.fromEntries(req.query), headers, operation: route.operation, status };
    if (route.page !== undefined) out.page = route.page;
    if (spec.recordBody && req.body.length > 0) {
      const text = req.body.toString('utf8');
      try {
        out.body = JSON.parse(text) as unknown;
      } catch {
        out.body = text;
      }
    }
    return out;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const knobs: Knobs = {
    failNext: (s = {}) => void rules.push({ spec: s, left: s.times ?? 1 }),
    staysDown: (s = {}) => {
      down = s;
    },
    recover: () => {
      down = null;
      rules.length = 0;
    },
    holdAnswers: (s = {}) => void holds.push({ spec: s, left: s.times ?? 1 }),
    releaseHeld: () => held.splice(0).forEach((release) => release()),
    get held() {
      return held.length;
    },
    counters,
    resetCounters: () => {
      counters.requests = 0;
      counters.failed = 0;
      counters.byOperation = {};
    },
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    knobs,
    close: async () => {
      held.splice(0).forEach((release) => release());
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
