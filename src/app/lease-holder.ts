/**
 * Who holds a job lease: `<host>:<pid>:<process start>:<run>`. A lease outlives a process that is killed (SIGKILL,
 * a crash, a container restarted): until its ttl runs out (up to 10 minutes for the sync) nothing else could run
 * the job, and `/patch sync` answered that a sync was running when none was. A holder from this host whose process
 * no longer runs is known to be gone: its lease is taken over at once (leases.takeOver: one taker wins). A holder
 * from another host, or a live process, is never second-guessed: its lease runs out as before.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobLeases } from './ports.js';

const HOST = hostname();
const STARTED = String(Math.round(performance.timeOrigin));

/** A new holder for one run (`kind` says what runs: a job name, `outbox`). */
export const newHolder = (kind: string): string => `${HOST}:${process.pid}:${STARTED}:${kind}#${randomUUID().slice(0, 8)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** A holder from an earlier process of this host that no longer runs (this pid reused by a new start counts). */
export function isGone(holder: string): boolean {
  const [host, pid, started] = holder.split(':');
  if (host !== HOST || !pid || !started || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return started !== STARTED;
  return !alive(Number(pid));
}

/** Acquires the lease, or takes it over from a holder that is gone. */
export async function acquireLease(leases: JobLeases, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  if (await leases.acquire(name, holder, ttlMs, now)) return true;
  const current = await leases.holderOf(name, now);
  return current !== null && isGone(current) && leases.takeOver(name, current, holder, ttlMs, now);
}
