import { GET_MANY_SLICE, PARSE_SLICE, parseInSlices, slicedGetMany, yieldingReads } from '../../src/store/sqlite/sliced-reads.js';

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

  it('docs are parsed a slice at a time, with what waits (an ack) let through between slices, in their order', async () => {
    const docs = Array.from({ length: 2 * PARSE_SLICE + 3 }, (_, i) => JSON.stringify({ id: `PW-${i}` }));
    let acked = -1;
    let parsed = 0;
    setImmediate(() => (acked = parsed));
    const records = parseInSlices<{ id: string }>(docs);
    parsed = 1; // set once the first slice is parsed (synchronously, before the first turn)
    const got = await records;
    expect(acked).toBe(1); // the ack ran between slices, not after the last one
    expect(got.map((r) => r.id)).toEqual(docs.map((_, i) => `PW-${i}`));
    await expect(parseInSlices<unknown>([])).resolves.toEqual([]);
  });
});
