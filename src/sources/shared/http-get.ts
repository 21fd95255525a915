/**
 * GET over axios with bounded retries (429 with retry-after, 5xx and broken connections with backoff) and every
 * failure turned into ExternalServiceError with the service's own error text. Used by Snyk and the feeds.
 * The axios error (which holds the request headers, token included) never leaves this file.
 */
import { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { ExternalServiceError } from '../../app/errors.js';
import { retryAfterMs, withRetry, type ClientDeps, type Verdict } from './retry.js';

export interface HttpGetOptions extends ClientDeps {
  readonly http: AxiosInstance;
  readonly service: string;
}

export interface HttpGetStats {
  requests: number;
  retries: number;
}

export interface HttpGet {
  /** `what` names the call in errors and logs (no query string, no secrets). 304 is an answer, not an error. */
  (url: string, what: string, config?: { params?: Record<string, string | number>; headers?: Record<string, string> }): Promise<AxiosResponse<unknown>>;
  readonly stats: HttpGetStats;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** The service's own words for a failure: JSON:API `errors[0].detail`, or `message`, else nothing. */
function detailOf(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300);
  if (typeof data !== 'object' || data === null) return '';
  const d = data as { errors?: { detail?: unknown; title?: unknown }[]; message?: unknown };
  const first = Array.isArray(d.errors) ? d.errors[0] : undefined;
  const text = first?.detail ?? first?.title ?? d.message;
  return typeof text === 'string' ? text.slice(0, 300) : '';
}

export function createHttpGet(opts: HttpGetOptions): HttpGet {
  const stats: HttpGetStats = { requests: 0, retries: 0 };
  const classify = (e: unknown): Verdict => {
    if (!(e instanceof AxiosError)) return { retry: false };
    const status = e.response?.status;
    if (status === undefined) return NETWORK_CODES.has(e.code ?? '') ? { retry: true, reason: e.code ?? 'network' } : { retry: false };
    if (status === 429) {
      const after = retryAfterMs(e.response?.headers['retry-after'], opts.now());
      return after === null ? { retry: true, reason: 'HTTP 429' } : { retry: true, reason: 'HTTP 429', waitMs: after };
    }
    return status >= 500 ? { retry: true, reason: `HTTP ${status}` } : { retry: false };
  };

  const get = async (url: string, what: string, config: { params?: Record<string, string | number>; headers?: Record<string, string> } = {}): Promise<AxiosResponse<unknown>> => {
    try {
      return await withRetry(
        () => {
          stats.requests += 1;
          return opts.http.get<unknown>(url, { ...config, validateStatus: (s) => (s >= 200 && s < 300) || s === 304 });
        },
        {
          policy: opts.policy,
          sleep: opts.sleep,
          classify,
          onRetry: (r) => {
            stats.retries += 1;
            opts.logger.warn({ attempt: r.attempt, waitMs: r.waitMs, reason: r.reason }, `${what}: retrying`);
          },
        },
      );
    } catch (e) {
      if (e instanceof AxiosError && e.response) {
        const detail = detailOf(e.response.data);
        throw new ExternalServiceError(opts.service, `${what} answered ${e.response.status}${detail ? `: ${detail}` : ''}`, e.response.status, classify(e).retry);
      }
      if (e instanceof AxiosError) throw new ExternalServiceError(opts.service, `${what} failed: ${e.code ?? 'no answer'} ${e.message}`.trim(), null, true);
      throw new ExternalServiceError(opts.service, `${what} failed: ${e instanceof Error ? e.message : String(e)}`, null, false);
    }
  };
  return Object.assign(get, { stats });
}
