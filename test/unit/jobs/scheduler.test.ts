/** The job scheduler against a real SQLite store: leases, runNow, errors logged not thrown, stop. */
import { createLogger } from '../../../src/logger.js';
import { createScheduler, type JobDefinition } from '../../../src/jobs/scheduler.js';
import { tempStore, type TempStore } from '../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00.000Z');
const logger = createLogger('silent');

describe('the job scheduler', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  const scheduler = () => createScheduler({ store: temp.store, timezone: 'Europe/Berlin', logger, now, stopGraceMs: 2000 });
  const job = (run: JobDefinition['run'], name = 'digest'): JobDefinition => ({ name, cron: '0 9 1 * *', ttlMs: 60_000, run });

  it('runs a job under its lease, and releases it after', async () => {
    const s = scheduler();
    let held: boolean | null = null;
    s.add(job(async ({ lease }) => {
      held = lease.holds();
      // While it runs, nobody else can take the lease.
      expect(await temp.store.leases.acquire('digest', 'someone-else', 60_000, now())).toBe(false);
    }));
    await expect(s.runNow('digest')).resolves.toEqual({ status: 'done' });
    expect(held).toBe(true);
    expect(await temp.store.leases.acquire('digest', 'someone-else', 60_000, now())).toBe(true);
  });

  it('skips when another replica holds the lease', async () => {
    const s = scheduler();
    let ran = false;
    s.add(job(async () => void (ran = true)));
    await temp.store.leases.acquire('digest', 'replica-b', 60_000, now());
    await expect(s.runNow('digest')).resolves.toEqual({ status: 'skipped', reason: 'lease_held' });
    expect(ran).toBe(false);
  });

  it('two schedulers on one store: one runs, the other skips', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const [a, b] = [scheduler(), scheduler()];
    for (const s of [a, b]) s.add(job(async () => {
      runs += 1;
      await gate;
    }));
    const first = a.runNow('digest');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(b.runNow('digest')).resolves.toEqual({ status: 'skipped', reason: 'lease_held' });
    await expect(a.runNow('digest')).resolves.toEqual({ status: 'skipped', reason: 'already_running' });
    release();
    await expect(first).resolves.toEqual({ status: 'done' });
    expect(runs).toBe(1);
  });

  it('logs a failing job instead of throwing, and frees the lease', async () => {
    const s = scheduler();
    s.add(job(async () => {
      throw new Error('Slack is down');
    }));
    await expect(s.runNow('digest')).resolves.toEqual({ status: 'failed', error: 'Slack is down' });
    expect(await temp.store.leases.acquire('digest', 'other', 60_000, now())).toBe(true);
    await expect(s.runNow('nothing')).resolves.toEqual({ status: 'failed', error: 'no job named nothing' });
  });

  it('schedules each job in the policy time zone, refuses a duplicate or a bad cron, and stops', async () => {
    const s = scheduler();
    s.add(job(async () => undefined));
    s.add(job(async () => undefined, 'reminders'));
    expect(() => s.add(job(async () => undefined))).toThrow('a job named digest is already registered');
    expect(() => s.add({ ...job(async () => undefined, 'bad'), cron: 'every day' })).toThrow('not a cron expression');
    s.start();
    const [digest] = s.jobs();
    // node-cron reads "0 9 1 * *" in Berlin: 09:00 on the 1st there, whatever UTC says.
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(berlin.format(digest!.nextRun!)).toBe('1, 09:00');
    await s.stop();
    expect(s.jobs().every((j) => j.nextRun === null)).toBe(true);
  });
});
