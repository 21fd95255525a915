/**
 * `/healthz`: is the store answering? A load balancer may ask many times a second, so one answer serves every
 * request for `cacheMs` (and requests arriving while the store is being asked share that one question), and a
 * store that does not answer within `timeoutMs` is reported unhealthy instead of holding the request open.
 */
export interface HealthCheckOptions {
  /** Resolves when the store answers; rejects (or never settles) when it does not. */
  readonly probe: () => Promise<unknown>;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  /** Monotonic milliseconds (tests move it). */
  readonly now?: () => number;
}

export const HEALTH_TIMEOUT_MS = 2_000;
export const HEALTH_CACHE_MS = 5_000;

export function createHealthCheck({ probe, timeoutMs = HEALTH_TIMEOUT_MS, cacheMs = HEALTH_CACHE_MS, now = () => performance.now() }: HealthCheckOptions): () => Promise<boolean> {
  let last: { at: number; ok: boolean } | null = null;
  let inFlight: Promise<boolean> | null = null;

  const ask = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([probe().then(() => true, () => false), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  return () => {
    if (last && now() - last.at < cacheMs) return Promise.resolve(last.ok);
    inFlight ??= ask().then((ok) => {
      last = { at: now(), ok };
      inFlight = null;
      return ok;
    });
    return inFlight;
  };
}
