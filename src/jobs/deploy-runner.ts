/**
 * Runs the deploy work of each remediation in the background, under the remediation's own lease (`deploy:PW-12`):
 * with several replicas exactly one sends and follows its commands; a replica that finds the lease held looks again
 * every third of its time to live (a process killed mid-run holds it until it expires). `kick` starts (or
 * wakes) one; the deploy job's `sweep` kicks every remediation with work now; `stop` ends the sleeps and waits a
 * little for the work under way, which stops at its next step (the next process resumes it from the store).
 */
import type { Pace } from '../app/deploy/deploy-deps.js';
import type { Store } from '../app/ports.js';
import type { Logger } from '../logger.js';
import { runUnderLease } from './lease.js';

export interface DeployRunner {
  /** Looks at a remediation now, in the background; wakes it if this process is already on it. */
  kick(id: string): void;
  /** Kicks every remediation with work now; how many. */
  sweep(): Promise<number>;
  /** Resolves when no work is under way in this process (tests, the benchmark). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface DeployRunnerDeps {
  readonly store: Pick<Store, 'leases'>;
  readonly work: (id: string, pace: Pace) => Promise<void>;
  readonly due: () => Promise<string[]>;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The lease's time to live, renewed every third of it; another replica waits this long after a crash. */
  readonly leaseMs?: number;
  readonly stopGraceMs?: number;
}

export const DEPLOY_LEASE_MS = 30_000;

export function createDeployRunner({ store, work, due, now, logger, leaseMs = DEPLOY_LEASE_MS, stopGraceMs = 10_000 }: DeployRunnerDeps): DeployRunner {
  const active = new Map<string, Promise<void>>();
  const wakers = new Map<string, Set<() => void>>();
  let stopping = false;

  const wake = (id: string): void => {
    for (const w of wakers.get(id) ?? []) w();
  };

  const sleeper = (id: string) => (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const set = wakers.get(id) ?? new Set<() => void>();
      wakers.set(id, set);
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      set.add(done);
      if (stopping) done();
    });

  function kick(id: string): void {
    if (stopping) return;
    if (active.has(id)) return wake(id);
    const log = logger.child({ remediationId: id });
    const run = (async () => {
      const outcome = await runUnderLease(store, { name: `deploy:${id}`, ttlMs: leaseMs, now, logger: log }, (lease) =>
        work(id, { sleep: sleeper(id), stopped: () => stopping || !lease.holds() }),
      );
      if (outcome.status === 'skipped') {
        log.info('another process holds this remediation’s deploy lease; looking again soon (it expires unless renewed)');
        setTimeout(() => kick(id), Math.ceil(leaseMs / 3)).unref();
      }
    })()
      .catch((e: unknown) => log.warn({ err: e }, 'deploy work stopped with an error; the next sweep tries again'))
      .finally(() => active.delete(id));
    active.set(id, run);
  }

  return {
    kick,
    async sweep() {
      const ids = await due();
      ids.forEach(kick);
      return ids.length;
    },
    async idle() {
      while (active.size > 0) await Promise.allSettled([...active.values()]);
    },
    async stop() {
      stopping = true;
      for (const id of wakers.keys()) wake(id);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, stopGraceMs);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([...active.values()]), grace]);
      clearTimeout(timer);
    },
  };
}
