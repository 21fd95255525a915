/**
 * Bounded retries for outside calls: a server-given wait (retry-after, a rate-limit reset) when there is one,
 * else exponential backoff with jitter. Sleep and randomness are injected so tests never wait.
 */
import type { Logger } from '../../logger.js';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest wait accepted from a server (retry-after, rate-limit reset); a longer one fails the call. */
  readonly maxWaitMs: number;
}

/** What every outside client is given: where to log, how to retry, how to wait, what time it is. */
export interface ClientDeps {
  readonly logger: Logger;
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly now: () => Date;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxWaitMs: 15 * 60_000 };

/** What to do about one failure. */
export type Verdict = { readonly retry: false } | { readonly retry: true; readonly reason: string; readonly waitMs?: number };

export interface RetryInfo {
  readonly attempt: number;
  readonly waitMs: number;
  readonly reason: string;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly classify: (error: unknown) => Verdict;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly random?: () => number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Runs `op` until it succeeds, the failure is not retryable, the attempts are spent, or the wait is too long. */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await op(attempt);
    } catch (error) {
      const verdict = opts.classify(error);
      if (!verdict.retry || attempt >= opts.policy.maxAttempts) throw error;
      const waitMs = Math.max(0, verdict.waitMs ?? backoffMs(attempt, opts.policy, opts.random));
      if (waitMs > opts.policy.maxWaitMs) throw error;
      opts.onRetry?.({ attempt, waitMs, reason: verdict.reason });
      await opts.sleep(waitMs);
    }
  }
}

/** Seconds from a retry-after header (delta-seconds or an HTTP date), as milliseconds; null when absent or unreadable. */
export function retryAfterMs(value: unknown, now: Date): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
