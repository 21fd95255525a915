import { GET_MANY_SLICE, slicedGetMany, yieldingReads } from '../../src/store/sqlite/sliced-reads.js';

describe('reads in slices of the event loop', () => {
  it('a read waits for what is already waiting (an ack) before it runs, and returns what it returned', async () => {
    const seen: string[] = [];
    const repo = yieldingReads({ get: async (id: string) => (seen.push(`read ${id}`), { id }), stream: () => 'kept as is' }, ['stream']);
    setImmediate(() => seen.push('ack'));
    expect(await repo.get('PW-1')).toEqual({ id: 'PW-1' });
    expect(seen).toEqual(['ack', 'read PW-1']);
    expect(repo.stream()).toBe('kept as is');
  });

  it('many ids are read a slice at a time, the answers in id order as one query gives them', async () => {
    const asked: number[] = [];
    const getMany = slicedGetMany(async (ids: readonly string[]) => {
      asked.push(ids.length);
      return [...ids].reverse().map((id) => ({ id }));
    });
    const ids = Array.from({ length: 2 * GET_MANY_SLICE + 5 }, (_, i) => `f-${String(i).padStart(5, '0')}`);
    const got = await getMany(ids);
    expect(asked).toEqual([GET_MANY_SLICE, GET_MANY_SLICE, 5]);
    expect(got.map((f) => f.id)).toEqual(ids);
  });
});
