/** Two small tools the sync's pipeline runs on: reading a source's pages ahead, and a lock for the commits. */

/**
 * Iterates `pages` while already asking for up to `depth` more, and hands over, each time, every page that has
 * arrived by then (at least one): when writing is slower than reading, pages are written several at a time, so one
 * commit (one fsync) serves several. A page that failed is thrown only after those before it were handed over.
 * An async generator queues the calls, so the source still sees one request at a time.
 */
export async function* pagesAsTheyArrive<T>(pages: AsyncIterable<T>, depth = 2): AsyncGenerator<T[]> {
  const it = pages[Symbol.asyncIterator]();
  type Slot = { readonly promise: Promise<IteratorResult<T>>; settled: boolean };
  const queue: Slot[] = [];
  const ask = (): void => {
    const slot: Slot = { promise: it.next(), settled: false };
    // Awaited below in order; until then a failure must not count as unhandled.
    slot.promise.then(() => (slot.settled = true), () => (slot.settled = true));
    queue.push(slot);
  };
  let finished = false;
  try {
    for (let i = 0; i < depth; i += 1) ask();
    for (;;) {
      const first = await queue.shift()!.promise;
      if (first.done) {
        finished = true;
        return;
      }
      const batch = [first.value];
      // Let settled callbacks run, then take what is already here (and fine) without waiting for more.
      await Promise.resolve();
      while (queue[0]?.settled) {
        const next = await queue[0].promise.then((r) => r, () => null);
        if (next === null || next.done) break;
        queue.shift();
        batch.push(next.value);
      }
      while (queue.length < depth) ask();
      yield batch;
    }
  } finally {
    if (!finished) await it.return?.().catch(() => undefined);
  }
}

/**
 * Group commit: items submitted while a flush is running (or during the turn of the event loop before it starts)
 * are flushed together, one flush at a time, in the order they came. When writing is the slow part, one write then
 * serves the pages of every source that were ready, instead of one write (one fsync) each. A batch that fails is
 * flushed again one item at a time, so that an item fails only for its own sake.
 */
export function createBatcher<T, R>(flush: (items: T[]) => Promise<R>): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running = false;
  const drain = async (): Promise<void> => {
    running = true;
    while (queue.length > 0) {
      // Let the I/O that has arrived run first: other sources' pages may join this flush.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = queue;
      queue = [];
      try {
        const result = await flush(batch.map((b) => b.item));
        for (const b of batch) b.resolve(result);
      } catch (e) {
        if (batch.length === 1) batch[0]!.reject(e);
        else for (const b of batch) await flush([b.item]).then(b.resolve, b.reject);
      }
    }
    running = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!running) void drain();
    });
}
