/**
 * The GitHub REST client: @octokit/rest pointed at GITHUB_API_URL, every GET retried within bounds and within
 * GitHub's rate limits (x-ratelimit-remaining / reset, 403 / 429 with retry-after, 5xx), conditional requests
 * (an ETag in, 304 out: octokit throws RequestError 304, turned into `notModified` here), bodies parsed with
 * JSON.parse (octokit's bigint-safe parser is ~4x slower on 600 kB alert pages). Errors leave as ExternalServiceError.
 */
import { Octokit } from '@octokit/rest';
import { ExternalServiceError } from '../../app/errors.js';
import { retryAfterMs, withRetry, type ClientDeps, type Verdict } from '../shared/retry.js';

export type GetResult = { readonly notModified: true } | { readonly notModified: false; readonly data: unknown; readonly etag: string | null; readonly next: string | null };

export interface GithubStats {
  requests: number;
  notModified: number;
  retries: number;
}

/** A write's answer: 2xx with its body, or a 4xx refusal with GitHub's message (a merge's 405, 409, 422). */
export type WriteResult = { readonly ok: true; readonly status: number; readonly data: unknown } | { readonly ok: false; readonly status: number; readonly message: string };

export interface GithubApi {
  /** GET a route (`/orgs/{org}/repos`) with params, or an absolute URL from a Link header. */
  get(route: string, params?: Record<string, string | number>, etag?: string | null): Promise<GetResult>;
  /** A write, sent once (never retried: the caller reads what happened). 401, 403, 429 and 5xx throw. */
  write(method: 'PUT' | 'POST', route: string, params: Record<string, unknown>): Promise<WriteResult>;
  readonly stats: GithubStats;
}

export interface GithubClientOptions extends ClientDeps {
  readonly token: string;
  readonly apiUrl: string;
  readonly fetch?: typeof globalThis.fetch;
}

interface HttpFailure { status: number; message: string; response?: { headers?: Record<string, string | undefined> } }

const isHttpFailure = (e: unknown): e is HttpFailure => e instanceof Error && typeof (e as { status?: unknown }).status === 'number';

/** The `next` URL of a Link header. */
export function nextLink(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]?.split(/\s+/).includes('next')) return m[1] ?? null;
  }
  return null;
}

export function createGithubClient(opts: GithubClientOptions): GithubApi {
  const base = new URL(opts.apiUrl);
  const log = opts.logger;
  const octokit = new Octokit({
    baseUrl: opts.apiUrl.replace(/\/+$/, ''),
    auth: opts.token,
    userAgent: 'patchwarden',
    // Only strings reach pino: octokit's debug entries carry the request options, headers and token included.
    log: { debug: () => undefined, info: (m: string) => log.trace(String(m)), warn: (m: string) => log.warn(String(m)), error: (m: string) => log.debug(String(m)) },
    request: { parseSuccessResponseBody: false, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  });
  const stats: GithubStats = { requests: 0, notModified: 0, retries: 0 };
  let pausedUntil = 0;

  const note = (headers: Record<string, string | undefined> | undefined): void => {
    const remaining = headers?.['x-ratelimit-remaining'];
    if (remaining === '0') pausedUntil = Number(headers?.['x-ratelimit-reset'] ?? 0) * 1000;
    else if (remaining !== undefined) pausedUntil = 0;
  };

  const classify = (e: unknown): Verdict => {
    // A TypeError here is undici's "terminated": the connection broke while the body was read.
    if (e instanceof TypeError) return { retry: true, reason: 'the connection broke while reading' };
    if (e instanceof ExternalServiceError || !isHttpFailure(e)) return { retry: false };
    const headers = e.response?.headers ?? {};
    const after = retryAfterMs(headers['retry-after'], opts.now());
    if ((e.status === 403 || e.status === 429) && after !== null) return { retry: true, reason: `secondary rate limit (${e.status})`, waitMs: after };
    if ((e.status === 403 || e.status === 429) && headers['x-ratelimit-remaining'] === '0') {
      return { retry: true, reason: 'primary rate limit spent', waitMs: Number(headers['x-ratelimit-reset'] ?? 0) * 1000 - opts.now().getTime() + 1000 };
    }
    if (e.status === 429 || e.status >= 500) return { retry: true, reason: `HTTP ${e.status}` };
    return { retry: false };
  };

  async function once(route: string, params: Record<string, string | number>, etag: string | null): Promise<GetResult> {
    const wait = pausedUntil - opts.now().getTime();
    if (wait > opts.policy.maxWaitMs) throw new ExternalServiceError('github', `rate limit spent until ${new Date(pausedUntil).toISOString()}`, 403, true);
    if (wait > 0) {
      log.warn({ waitMs: wait }, 'GitHub rate limit spent: waiting for the reset');
      await opts.sleep(wait);
    }
    stats.requests += 1;
    try {
      const res = await octokit.request(`GET ${route}`, { ...params, headers: etag ? { 'if-none-match': etag } : {} });
      note(res.headers as Record<string, string | undefined>);
      const text = await new Response(res.data as ReadableStream).text();
      return { notModified: false, data: JSON.parse(text) as unknown, etag: res.headers.etag ?? null, next: nextLink(res.headers.link) };
    } catch (e) {
      if (isHttpFailure(e)) note(e.response?.headers);
      if (isHttpFailure(e) && e.status === 304) {
        stats.notModified += 1;
        return { notModified: true };
      }
      throw e;
    }
  }

  /** GitHub's message without the documentation link octokit appends. */
  const messageOf = (e: HttpFailure): string => e.message.split(' - https://')[0]!.trim();

  return {
    stats,
    async write(method, route, params) {
      const what = `${method} ${route.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? k))}`;
      stats.requests += 1;
      try {
        const res = await octokit.request(`${method} ${route}`, params);
        note(res.headers as Record<string, string | undefined>);
        const text = await new Response(res.data as ReadableStream).text();
        return { ok: true, status: res.status, data: text ? (JSON.parse(text) as unknown) : null };
      } catch (e) {
        if (isHttpFailure(e)) note(e.response?.headers);
        if (isHttpFailure(e) && e.status >= 400 && e.status < 500 && ![401, 403, 429].includes(e.status)) return { ok: false, status: e.status, message: messageOf(e) };
        if (isHttpFailure(e)) throw new ExternalServiceError('github', `${what} answered ${e.status}: ${messageOf(e)}`, e.status, classify(e).retry);
        if (e instanceof SyntaxError) throw new ExternalServiceError('github', `malformed response to ${what}: not JSON`);
        throw new ExternalServiceError('github', `${what} failed: ${e instanceof Error ? e.message : String(e)}`, null, true);
      }
    },
    async get(route, params = {}, etag = null) {
      if (/^https?:/.test(route) && new URL(route).origin !== base.origin) {
        throw new ExternalServiceError('github', `refused to follow a link to another host (${new URL(route).origin})`);
      }
      const path = route.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? route;
      const what = `GET ${path.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? k))}`;
      try {
        return await withRetry(() => once(route, params, etag), {
          policy: opts.policy,
          sleep: opts.sleep,
          classify,
          onRetry: (r) => {
            stats.retries += 1;
            log.warn({ attempt: r.attempt, waitMs: r.waitMs, reason: r.reason }, `${what}: retrying`);
          },
        });
      } catch (e) {
        if (e instanceof ExternalServiceError) throw e;
        if (e instanceof SyntaxError) throw new ExternalServiceError('github', `malformed response to ${what}: not JSON`);
        if (isHttpFailure(e)) throw new ExternalServiceError('github', `${what} answered ${e.status}: ${e.message}`, e.status, classify(e).retry);
        throw new ExternalServiceError('github', `${what} failed: ${e instanceof Error ? e.message : String(e)}`, null, true);
      }
    },
  };
}
