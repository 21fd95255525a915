/**
 * GitHub's primary rate limit (x-ratelimit-* on every response; 403 or 429 with remaining 0 once spent)
 * and its secondary-limit answer (403 or 429 with retry-after). Source: github/docs
 * content/rest/using-the-rest-api/rate-limits-for-the-rest-api.md.
 */
import { json, type Reply } from '../population/fake-http.js';

const DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

export interface RateLimitKnobs {
  /** Spend the primary limit now: every request gets 403 (or 429) with remaining 0 until the reset time passes. */
  exhaustRateLimit(opts?: { resetInSeconds?: number; status?: 403 | 429 }): void;
  /** Set the window, e.g. { limit: 60 } to emulate an unauthenticated client. */
  setRateLimit(opts: { limit?: number; remaining?: number; resetInSeconds?: number }): void;
  readonly rateLimit: { limit: number; used: number; remaining: number; reset: number };
}

export class RateLimiter {
  private limit: number;
  private used = 0;
  private reset: number;
  private exhaustedStatus: 403 | 429 = 403;

  constructor(limit = 5000) {
    this.limit = limit;
    this.reset = this.nowS() + 3600;
  }

  private nowS(): number {
    return Math.floor(Date.now() / 1000);
  }

  private roll(): void {
    if (this.nowS() >= this.reset) {
      this.used = 0;
      this.reset = this.nowS() + 3600;
    }
  }

  /** The 403/429 to send instead of serving, when the window is spent. */
  refusal(): Reply | null {
    this.roll();
    if (this.used < this.limit) return null;
    return json(this.exhaustedStatus, { message: 'API rate limit exceeded for user ID 5100007. If you reach out to GitHub Support for help, please include the request ID and time of this message.', documentation_url: DOCS, status: String(this.exhaustedStatus) });
  }

  /** Counts the request (a 304 or a refusal costs nothing) and returns the headers to send. */
  account(status: number): Record<string, string | number> {
    this.roll();
    if (status !== 304 && this.used < this.limit) this.used += 1;
    return {
      'x-ratelimit-limit': this.limit,
      'x-ratelimit-remaining': this.limit - this.used,
      'x-ratelimit-used': this.used,
      'x-ratelimit-reset': this.reset,
      'x-ratelimit-resource': 'core',
    };
  }

  secondary(retryAfter: number, status = 403): Reply {
    return json(status, {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url: `${DOCS}#about-secondary-rate-limits`,
      status: String(status),
    }, { 'retry-after': retryAfter });
  }

  knobs(): RateLimitKnobs {
    const exhaust = ({ resetInSeconds = 60, status = 403 }: { resetInSeconds?: number; status?: 403 | 429 } = {}): void => {
      this.used = this.limit;
      this.reset = this.nowS() + resetInSeconds;
      this.exhaustedStatus = status;
    };
    const set = ({ limit, remaining, resetInSeconds }: { limit?: number; remaining?: number; resetInSeconds?: number }): void => {
      if (limit !== undefined) this.limit = limit;
      if (remaining !== undefined) this.used = this.limit - remaining;
      if (resetInSeconds !== undefined) this.reset = this.nowS() + resetInSeconds;
    };
    const snapshot = (): RateLimitKnobs['rateLimit'] => {
      this.roll();
      return { limit: this.limit, used: this.used, remaining: this.limit - this.used, reset: this.reset };
    };
    return {
      exhaustRateLimit: exhaust,
      setRateLimit: set,
      get rateLimit() {
        return snapshot();
      },
    };
  }
}
