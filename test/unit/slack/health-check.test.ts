/** `/healthz`'s answer: one store question serves a burst of requests, and a store that hangs is unhealthy. */
import { createHealthCheck } from '../../../src/slack/health-check.js';

describe('the health check', () => {
  it('asks the store once for a burst of requests, and again only after the cache time', async () => {
    let asked = 0;
    let t = 0;
    const healthy = createHealthCheck({ probe: async () => void (asked += 1), cacheMs: 5_000, now: () => t });
    expect(await Promise.all(Array.from({ length: 50 }, () => healthy()))).toEqual(Array(50).fill(true));
    t = 4_999;
    expect(await healthy()).toBe(true);
    expect(asked).toBe(1);
    t = 5_000;
    expect(await healthy()).toBe(true);
    expect(asked).toBe(2);
  });

  it('a store that never answers is unhealthy, not a request held open', async () => {
    const healthy = createHealthCheck({ probe: () => new Promise(() => undefined), timeoutMs: 20 });
    expect(await healthy()).toBe(false);
  });

  it('a store that fails is unhealthy, and recovers once it answers again', async () => {
    let t = 0;
    let down = true;
    const healthy = createHealthCheck({ probe: async () => { if (down) throw new Error('SQLITE_BUSY'); }, cacheMs: 1_000, now: () => t });
    expect(await healthy()).toBe(false);
    down = false;
    t = 1_000;
    expect(await healthy()).toBe(true);
  });
});
