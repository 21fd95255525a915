import type { SourcePage } from '../../../src/app/ports.js';
import { createSources } from '../../../src/sources/create-sources.js';
import { readGithubCursor } from '../../../src/sources/github/cursor.js';
import { limiter, mapLimit } from '../../../src/sources/shared/map-limit.js';
import { prefetchNextPage, type Produced } from '../../../src/sources/shared/prefetch-next-page.js';
import { readSnykCursor } from '../../../src/sources/snyk/cursor.js';
import { readSsmCursor } from '../../../src/sources/ssm/cursor.js';
import { captureLogger, configFrom, memoryKv } from '../../integration/sources-support.js';

const page = (done: number): SourcePage => ({ progress: { done, total: null, unit: 'x' } });

describe('prefetchNextPage', () => {
  it('fetches the next page while the consumer holds one, and commits a page only once the consumer moves on', async () => {
    const log: string[] = [];
    async function* producer(): AsyncGenerator<Produced, void, undefined> {
      for (let i = 1; i <= 3; i += 1) {
        log.push(`read ${i}`);
        yield { page: page(i), commit: () => log.push(`commit ${i}`) };
      }
    }
    for await (const p of prefetchNextPage(producer())) log.push(`use ${p.progress.done}`);
    expect(log).toEqual(['read 1', 'read 2', 'use 1', 'commit 1', 'read 3', 'use 2', 'commit 2', 'use 3', 'commit 3']);
  });

  it('does not commit a page the consumer failed on, and surfaces a producer failure', async () => {
    const commits: number[] = [];
    async function* producer(): AsyncGenerator<Produced, void, undefined> {
      yield { page: page(1), commit: () => commits.push(1) };
      yield { page: page(2), commit: () => commits.push(2) };
      throw new Error('page 3 failed');
    }
    await expect((async () => { for await (const p of prefetchNextPage(producer())) if (p.progress.done === 2) throw new Error('store failed'); })()).rejects.toThrow('store failed');
    expect(commits).toEqual([1]);
    await expect((async () => { for await (const _p of prefetchNextPage(producer())) void _p; })()).rejects.toThrow('page 3 failed');
  });

  it('reports the consumer’s failure at once, without waiting for the page in flight (it may be sleeping out a rate limit)', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    async function* producer(): AsyncGenerator<Produced, void, undefined> {
      try {
        yield { page: page(1) };
        await slow;
        yield { page: page(2) };
      } finally {
        closed = true;
      }
    }
    await expect((async () => { for await (const _p of prefetchNextPage(producer())) throw new Error('store failed'); })()).rejects.toThrow('store failed');
    expect(closed).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect([out, peak]).toEqual([[50, 10, 40, 20, 30], 2]);
    await expect(mapLimit([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two'); return n; })).rejects.toThrow('two');
  });
});

describe('cursors', () => {
  it('start over (full sync) when a cursor is missing, unreadable or someone else’s', () => {
    expect(readGithubCursor(null, 'acme').problem).toBeNull();
    expect(readGithubCursor({ v: 2 }, 'acme')).toMatchObject({ cursor: { highWater: null }, problem: expect.stringContaining('unreadable') });
    expect(readGithubCursor({ v: 1, org: 'other', highWater: 'x', atHighWater: [], etag: null, fullAt: null, withAlerts: [], probes: {} }, 'acme').problem).toContain('other');
    expect(readSnykCursor({ v: 1, orgId: 'a', highWater: null, atHighWater: [] }, 'b').problem).toContain('organisation a');
    expect(readSsmCursor({ v: 1, region: 'eu-west-1', snapshots: {}, tags: {} }, 'us-east-1').problem).toContain('eu-west-1');
  });
});

describe('createSources', () => {
  const deps = () => ({ kv: memoryKv(), logger: captureLogger().logger });
  it('builds only the sources whose settings are present', () => {
    expect(createSources(configFrom({}), deps()).sources).toEqual([]);
    const all = configFrom({ GITHUB_TOKEN: 't', GITHUB_ORG: 'acme', SNYK_TOKEN: 's', SNYK_ORG_ID: '3f1a6c2e-5b7d-4c1e-9a0b-2d4e6f8a1c3e', AWS_REGION: 'eu-west-1' });
    expect(createSources(all, deps()).sources.map((s) => s.name)).toEqual(['github', 'snyk', 'ssm']);
    expect(createSources(configFrom({ AWS_REGION: 'eu-west-1' }), deps()).sources.map((s) => s.name)).toEqual(['ssm']);
  });
});

describe('limiter', () => {
  it('runs at most `limit` at once, the rest in order, passing results and failures through', async () => {
    const limit = limiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (n: number) => () =>
      (async () => {
        started.push(n);
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active -= 1;
        if (n === 2) throw new Error('two');
        return n;
      })();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limit(job(n))));
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'two', 3, 4, 5]);
  });
});
