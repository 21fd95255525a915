import { backoffMs, DEFAULT_RETRY, retryAfterMs, withRetry, type RetryPolicy } from '../../../src/sources/shared/retry.js';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxWaitMs: 5000 };

describe('backoff', () => {
  it.each([
    [1, 0, 50], [1, 1, 100], [2, 0, 100], [3, 1, 400], [10, 1, 1000], [10, 0, 500],
  ])('attempt %i with random %d waits %i ms (equal jitter, capped)', (attempt, r, ms) => expect(backoffMs(attempt, policy, () => r)).toBe(ms));
});

describe('retry-after', () => {
  const now = new Date('2026-11-01T09:00:00.000Z');
  it.each([
    ['7', 7000], [3, 3000], ['0.5', 500], ['Sun, 01 Nov 2026 09:00:30 GMT', 30_000], ['soon', null], [undefined, null],
  ])('%p -> %p ms', (value, ms) => expect(retryAfterMs(value, now)).toBe(ms));
});

describe('withRetry', () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => void sleeps.push(ms);
  beforeEach(() => (sleeps.length = 0));

  it('retries what the classifier allows, with the server’s wait when it gives one', async () => {
    let calls = 0;
    const value = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw new Error(`boom ${calls}`);
      return 'ok';
    }, { policy, sleep, random: () => 1, classify: (e) => ((e as Error).message === 'boom 1' ? { retry: true, reason: 'x', waitMs: 777 } : { retry: true, reason: 'y' }) });
    expect([value, calls, sleeps]).toEqual(['ok', 3, [777, 200]]);
  });

  it('stops at the attempt limit and throws the last error', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls += 1; throw new Error(`fail ${calls}`); }, { policy, sleep, classify: () => ({ retry: true, reason: 'r' }) })).rejects.toThrow('fail 3');
    expect(calls).toBe(policy.maxAttempts);
  });

  it('does not retry what is not retryable, nor wait longer than allowed', async () => {
    await expect(withRetry(async () => { throw new Error('no'); }, { policy, sleep, classify: () => ({ retry: false }) })).rejects.toThrow('no');
    await expect(withRetry(async () => { throw new Error('later'); }, { policy, sleep, classify: () => ({ retry: true, reason: 'r', waitMs: 60_000 }) })).rejects.toThrow('later');
    expect(sleeps).toEqual([]);
  });

  it('has sane defaults', () => expect(DEFAULT_RETRY.maxAttempts).toBeGreaterThan(1));
});
