/**
 * Runs work under a job lease (store.leases), so that with several replicas exactly one runs it: acquire with a
 * TTL longer than the work usually takes, renew every third of the TTL while it runs, release after. Each run is
 * its own holder, so two runs in one process exclude each other too. A run that does not get the lease is skipped,
 * unless its holder is a process of this host that no longer runs (src/app/lease-holder.ts).
 */
import { acquireLease, newHolder } from '../app/lease-holder.js';
import type { Store } from '../app/ports.js';
import type { Logger } from '../logger.js';

export interface LeaseOptions {
  readonly name: string;
  readonly ttlMs: number;
  readonly now: () => Date;
  readonly logger: Logger;
}

export interface LeaseHandle {
  readonly holder: string;
  /** False once a renewal failed: the lease expired and another replica may have taken it. */
  holds(): boolean;
}

export type LeaseOutcome<T> = { readonly status: 'done'; readonly value: T } | { readonly status: 'skipped'; readonly reason: 'lease_held' };

export async function runUnderLease<T>(store: Pick<Store, 'leases'>, opts: LeaseOptions, work: (lease: LeaseHandle) => Promise<T>): Promise<LeaseOutcome<T>> {
  const holder = newHolder(opts.name);
  if (!(await acquireLease(store.leases, opts.name, holder, opts.ttlMs, opts.now()))) return { status: 'skipped', reason: 'lease_held' };
  let held = true;
  const renewal = setInterval(() => {
    store.leases.renew(opts.name, holder, opts.ttlMs, opts.now()).then(
      (ok) => {
        if (!ok && held) opts.logger.warn({ job: opts.name, holder }, 'lost the job lease while running (it expired); another replica may run the job');
        held &&= ok;
      },
      (e: unknown) => opts.logger.warn({ err: e, job: opts.name }, 'could not renew the job lease'),
    );
  }, Math.max(1000, Math.floor(opts.ttlMs / 3)));
  renewal.unref();
  try {
    return { status: 'done', value: await work({ holder, holds: () => held }) };
  } finally {
    clearInterval(renewal);
    await store.leases.release(opts.name, holder).catch((e: unknown) => opts.logger.warn({ err: e, job: opts.name }, 'could not release the job lease'));
  }
}
