import { createTurns } from '../../../src/slack/turns.js';

describe('turns for the work after an ack', () => {
  it('runs at most `concurrency` pieces of work at once, in order, and passes results and errors through', async () => {
    const turns = createTurns(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (n: number) => async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      active -= 1;
      if (n === 3) throw new Error('three');
      return n * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => turns.run(job(n))));
    expect(peak).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual([1, 2]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three', 40, 50]);
  });

  it('lets I/O already waiting run before a turn starts', async () => {
    const turns = createTurns(1);
    const seen: string[] = [];
    setTimeout(() => seen.push('timer'), 0);
    await new Promise((r) => setTimeout(r, 1));
    const done = turns.run(async () => void seen.push('work'));
    setImmediate(() => seen.push('immediate before'));
    await done;
    expect(seen).toEqual(['timer', 'immediate before', 'work']);
  });
});
