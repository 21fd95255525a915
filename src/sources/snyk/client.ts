/**
 * The Snyk REST client (axios): base `${SNYK_API_URL}/rest`, `version=` on every call, `Authorization: token …`,
 * JSON:API. `links.next` comes as `/rest/orgs/…`, as bare `/orgs/…` (Snyk's docs) or absolute; all three are
 * followed, an absolute one only to Snyk's own host (the token must not travel elsewhere).
 */
import axios from 'axios';
import { ExternalServiceError } from '../../app/errors.js';
import { createHttpGet, type HttpGetStats } from '../shared/http-get.js';
import type { ClientDeps } from '../shared/retry.js';

/** A GA version of the REST API, pinned: a newer one is a deliberate change. */
export const SNYK_API_VERSION = '2024-10-15';

export interface SnykApi {
  /** GET a path under /rest (`/orgs/{id}/issues`) with params, or a `links.next` in any of its forms. */
  get(pathOrLink: string, what: string, params?: Record<string, string | number>): Promise<unknown>;
  readonly stats: HttpGetStats;
}

export interface SnykClientOptions extends ClientDeps {
  readonly token: string;
  readonly apiUrl: string;
  readonly timeoutMs?: number;
}

/** The absolute URL of a path or link, relative to `${root}/rest`, with `version` added when it is missing. */
export function resolveSnykUrl(root: string, pathOrLink: string): URL {
  const base = root.replace(/\/+$/, '');
  let url: URL;
  if (/^https?:\/\//i.test(pathOrLink)) {
    url = new URL(pathOrLink);
    if (url.origin !== new URL(base).origin) throw new ExternalServiceError('snyk', `refused to follow a link to another host (${url.origin})`);
  } else {
    const path = pathOrLink.startsWith('/') ? pathOrLink : `/${pathOrLink}`;
    url = new URL(`${base}${path.startsWith('/rest/') ? '' : '/rest'}${path}`);
  }
  if (!url.searchParams.has('version')) url.searchParams.set('version', SNYK_API_VERSION);
  return url;
}

export function createSnykClient(opts: SnykClientOptions): SnykApi {
  const http = axios.create({
    timeout: opts.timeoutMs ?? 60_000,
    headers: { Authorization: `token ${opts.token}`, Accept: 'application/vnd.api+json' },
  });
  const get = createHttpGet({ http, service: 'snyk', policy: opts.policy, sleep: opts.sleep, now: opts.now, logger: opts.logger });
  return {
    stats: get.stats,
    async get(pathOrLink, what, params = {}) {
      const url = resolveSnykUrl(opts.apiUrl, pathOrLink);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
      const res = await get(url.toString(), what);
      return res.data;
    },
  };
}
