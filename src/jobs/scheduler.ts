/**
 * The cron jobs: each registered job runs on its node-cron schedule in the policy's time zone, under a job lease
 * (only the replica that gets it runs; the others skip), never overlapping itself. A job's errors are logged, never
 * thrown: a failed digest must not take the bot down. `runNow(name)` runs a job exactly as a tick would (tests,
 * operators); `stop()` stops the schedules and waits a little for runs under way. How jobs get their turn: they do not
 * wait for one. A job starts at its tick and takes none of the turns people's work is given (src/slack/turns.ts), so
 * neither a burst of requests nor a long job holds the other back.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Store } from '../app/ports.js';
import type { Logger } from '../logger.js';
import { runUnderLease, type LeaseHandle } from './lease.js';

export interface JobContext {
  readonly lease: LeaseHandle;
  readonly logger: Logger;
}

export interface JobDefinition {
  /** Also the lease name: one run of it at a time across every replica. */
  readonly name: string;
  /** Cron expression (node-cron: 5 fields, or 6 with seconds), read in the scheduler's time zone. */
  readonly cron: string;
  /** The lease's time to live; renewed every third of it while the job runs. */
  readonly ttlMs: number;
  run(ctx: JobContext): Promise<void>;
}

export type JobOutcome =
  | { readonly status: 'done' }
  | { readonly status: 'skipped'; readonly reason: 'lease_held' | 'already_running' }
  | { readonly status: 'failed'; readonly error: string };

export interface Scheduler {
  /** Registers a job (before or after start). A second job with the same name is a programming error. */
  add(job: JobDefinition): void;
  start(): void;
  runNow(name: string): Promise<JobOutcome>;
  /** Names of the registered jobs, and when each next fires. */
  jobs(): { name: string; cron: string; nextRun: Date | null }[];
  stop(): Promise<void>;
}

export interface SchedulerDeps {
  readonly store: Pick<Store, 'leases'>;
  readonly timezone: string;
  readonly logger: Logger;
  readonly now: () => Date;
  /** How long stop() waits for runs under way (default 10 s). */
  readonly stopGraceMs?: number;
}

export function createScheduler({ store, timezone, logger, now, stopGraceMs = 10_000 }: SchedulerDeps): Scheduler {
  const jobs = new Map<string, JobDefinition>();
  const tasks = new Map<string, ScheduledTask>();
  const running = new Map<string, Promise<JobOutcome>>();
  let started = false;
  let stopped = false;
  const cronLogger = logger.child({ component: 'node-cron' });

  async function execute(job: JobDefinition): Promise<JobOutcome> {
    const log = logger.child({ job: job.name });
    try {
      const outcome = await runUnderLease(store, { name: job.name, ttlMs: job.ttlMs, now, logger: log }, (lease) => job.run({ lease, logger: log }));
      if (outcome.status === 'skipped') {
        log.info('another replica holds the job lease; skipped');
        return outcome;
      }
      return { status: 'done' };
    } catch (e) {
      log.error({ err: e }, 'job failed');
      return { status: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  }

  function run(name: string): Promise<JobOutcome> {
    const job = jobs.get(name);
    if (!job) return Promise.resolve({ status: 'failed', error: `no job named ${name}` });
    if (running.has(name)) return Promise.resolve({ status: 'skipped', reason: 'already_running' });
    const p = execute(job).finally(() => running.delete(name));
    running.set(name, p);
    return p;
  }

  function schedule(job: JobDefinition): void {
    const task = cron.createTask(job.cron, async () => void (await run(job.name)), {
      name: job.name,
      timezone,
      noOverlap: true,
      unref: true,
      logger: {
        info: (m) => cronLogger.debug(m),
        warn: (m) => cronLogger.warn(m),
        error: (m, err) => cronLogger.error({ err: err ?? m }, typeof m === 'string' ? m : 'node-cron error'),
        debug: (m) => cronLogger.debug(typeof m === 'string' ? m : m.message),
      },
    });
    tasks.set(job.name, task);
    void task.start();
  }

  return {
    add(job) {
      if (jobs.has(job.name)) throw new Error(`a job named ${job.name} is already registered`);
      if (!cron.validate(job.cron)) throw new Error(`job ${job.name}: "${job.cron}" is not a cron expression`);
      jobs.set(job.name, job);
      if (started && !stopped) schedule(job);
    },
    start() {
      if (started) return;
      started = true;
      for (const job of jobs.values()) schedule(job);
      logger.info({ jobs: [...jobs.values()].map((j) => `${j.name} (${j.cron})`), timezone }, 'jobs scheduled');
    },
    runNow: run,
    jobs: () => [...jobs.values()].map((j) => ({ name: j.name, cron: j.cron, nextRun: tasks.get(j.name)?.getNextRun() ?? null })),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([...tasks.values()].map(async (t) => t.destroy()));
      tasks.clear();
      const inFlight = Promise.all(running.values());
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, stopGraceMs);
        timer.unref();
      });
      await Promise.race([inFlight, grace]);
      clearTimeout(timer);
    },
  };
}
