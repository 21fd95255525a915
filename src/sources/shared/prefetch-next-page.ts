/**
 * Reads one page ahead: while the consumer stores page k, page k+1 is already being fetched, so a sync takes
 * about max(fetch, store) per page instead of their sum. A page may carry `commit`, run only once the consumer
 * asks for the next page (it has taken this one), so a cursor never runs ahead of what was consumed.
 */
import type { SourcePage } from '../../app/ports.js';

export interface Produced {
  readonly page: SourcePage;
  readonly commit?: () => void;
}

const ignore = (): void => undefined;

export async function* prefetchNextPage(source: AsyncGenerator<Produced, void, undefined>): AsyncGenerator<SourcePage, void, undefined> {
  let pending = source.next();
  pending.catch(ignore);
  try {
    for (;;) {
      const current = await pending;
      if (current.done) return;
      pending = source.next();
      pending.catch(ignore);
      yield current.value.page;
      current.value.commit?.();
    }
  } finally {
    // The consumer stopped early or a page failed: close the producer once its page in flight settles, without
    // waiting for it here (it may be sleeping out a rate limit) so that the failure is reported at once.
    void pending.then(() => source.return(undefined), ignore).catch(ignore);
  }
}
