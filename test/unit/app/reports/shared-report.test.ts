import { readAfterCall, shareReport } from '../../../../src/app/reports/shared-report.js';

/** A report whose computations can be counted and held open, on a store stamp and a clock the test moves. */
function fixture() {
  let stamp = 's1';
  let clock = new Date('2026-11-02T09:00:00.000Z');
  let computed = 0;
  let release: (() => void) | null = null;
  let failNext = false;
  const report = shareReport({
    compute: async () => {
      computed += 1;
      const n = computed;
      if (release === null) await new Promise<void>((r) => (release = r));
      if (failNext) {
        failNext = false;
        throw new Error('store down');
      }
      return `report ${n}`;
    },
    stamp: async () => stamp,
    now: () => clock,
    maxAgeMs: 60_000,
  });
  return {
    report,
    computed: () => computed,
    /** Lets the held computation finish (and every later one run through). */
    finish: () => {
      const r = release;
      release = () => undefined;
      r?.();
    },
    write: () => void (stamp = `${stamp}+`),
    advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)),
    failNext: () => void (failNext = true),
  };
}

describe('a report shared by everyone asking at once', () => {
  it('fifty requests while it is being computed share one computation', async () => {
    const f = fixture();
    const asked = Array.from({ length: 50 }, () => f.report());
    await new Promise((r) => setImmediate(r));
    f.finish();
    expect(new Set(await Promise.all(asked))).toEqual(new Set(['report 1']));
    expect(f.computed()).toBe(1);
  });

  it('is served from memory until the store changes, then computed once more', async () => {
    const f = fixture();
    f.finish();
    expect(await f.report()).toBe('report 1');
    expect(await f.report()).toBe('report 1');
    f.write();
    expect(await Promise.all([f.report(), f.report()])).toEqual(['report 2', 'report 2']);
    expect(f.computed()).toBe(2);
  });

  it('is computed again once it is older than its age limit, or when the clock goes back', async () => {
    const f = fixture();
    f.finish();
    await f.report();
    f.advance(59_000);
    expect(await f.report()).toBe('report 1');
    f.advance(1_000);
    expect(await f.report()).toBe('report 2');
    f.advance(-5_000);
    expect(await f.report()).toBe('report 3');
  });

  it('a request after a write never gets what was being computed before it', async () => {
    const f = fixture();
    const before = f.report();
    await new Promise((r) => setImmediate(r));
    f.write();
    const after = f.report();
    f.finish();
    expect(await before).toBe('report 1');
    expect(await after).toBe('report 2');
  });

  it('a failure reaches everyone who shared it and is not kept', async () => {
    const f = fixture();
    f.failNext();
    const asked = [f.report(), f.report()];
    await new Promise((r) => setImmediate(r));
    f.finish();
    const settled = await Promise.allSettled(asked);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(await f.report()).toBe('report 2');
  });
});

describe('a read shared by callers, never older than the call', () => {
  it('callers that come while a read is under way share the next one, which starts when it ends', async () => {
    const gates: (() => void)[] = [];
    let reads = 0;
    const read = readAfterCall(async () => {
      const n = (reads += 1);
      await new Promise<void>((r) => gates.push(r));
      return n;
    });
    const first = read();
    const [second, third] = [read(), read()];
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    gates.shift()!();
    expect(await first).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    const fourth = read();
    gates.shift()!();
    expect([await second, await third]).toEqual([2, 2]);
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    expect(await fourth).toBe(3);
    expect(reads).toBe(3);
  });
});
