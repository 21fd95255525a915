/** Two small tools the sync's pipeline runs on: reading a source's pages ahead, and a lock for the commits. */

/**
 * Iterates `pages` while already asking for the next `depth` ones, so a source fetches its next page while the
 * last one is being written. An async generator queues the calls, so the source still sees one request at a time.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>, depth = 2): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  const ask = (): void => {
    const next = it.next();
    // Awaited below in order; until then a failure must not count as unhandled.
    next.catch(() => undefined);
    queue.push(next);
  };
  let finished = false;
  try {
    for (let i = 0; i < depth; i += 1) ask();
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) {
        finished = true;
        return;
      }
      ask();
      yield result.value;
    }
  } finally {
    if (!finished) await it.return?.().catch(() => undefined);
  }
}

/** Runs critical sections one at a time, in the order they asked. */
export function createLock(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}
