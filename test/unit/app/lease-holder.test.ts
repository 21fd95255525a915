/**
 * A lease left by a process that was killed: a holder of this host whose process no longer runs is gone, and its
 * lease is taken over at once (on a real SQLite store); a live holder, or one of another host, is never taken from.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { acquireLease, isGone, newHolder } from '../../../src/app/lease-holder.js';
import { tempStore, type TempStore } from '../../support/temp-store.js';

/** The pid of a process that ran and has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('leases of processes that are gone', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());
  const T0 = new Date('2026-11-02T09:00:00Z');

  it('knows a holder of this host whose process exited, or an earlier start of this very pid', async () => {
    const mine = newHolder('sync');
    const [host, pid, started] = mine.split(':');
    expect([host, Number(pid)]).toEqual([hostname(), process.pid]);
    expect(isGone(mine)).toBe(false);
    expect(isGone(`${host}:${await deadPid()}:${started}:sync#1`)).toBe(true);
    expect(isGone(`${host}:${process.pid}:${Number(started) - 60_000}:sync#1`)).toBe(true);
    expect(isGone(`another-host:${await deadPid()}:${started}:sync#1`)).toBe(false);
    expect(isGone('replica-a')).toBe(false);
  });

  it('takes the lease over from a gone holder at once; never from a live one', async () => {
    const { leases } = temp.store;
    const gone = `${hostname()}:${await deadPid()}:1:sync#dead`;
    await leases.acquire('sync', gone, 600_000, T0);
    const next = newHolder('sync');
    await expect(acquireLease(leases, 'sync', next, 600_000, new Date(T0.getTime() + 1000))).resolves.toBe(true);
    await expect(leases.holderOf('sync', new Date(T0.getTime() + 2000))).resolves.toBe(next);
    // The holder now is this live process: a third run waits, as before.
    await expect(acquireLease(leases, 'sync', newHolder('sync'), 600_000, new Date(T0.getTime() + 3000))).resolves.toBe(false);
  });
});
