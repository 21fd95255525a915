import { performance } from 'node:perf_hooks';
import { isDuplicateKey } from './documents.js';
import { rawCollection, type Models } from './models.js';

/**
 * When a half-done write counts as left over by a crashed writer, and who may finish it. A leftover is stale once
 * THIS process has seen it for `staleAfterMs` (its own monotonic clock: no writer's wall clock is trusted, so a
 * replica whose clock runs behind cannot make its own writes look abandoned, nor one running ahead hide a crash);
 * until then it belongs to its writer. Of several replicas finding the same stale leftover, one per period does
 * the work, claimed by an insert: on FerretDB two writers of one document must not overlap.
 */
export interface Leftovers {
  /** True once `id` has been seen for `staleAfterMs` (the first sighting starts the count). */
  isStale(id: string): boolean;
  /** Forgets sightings of leftovers that are gone: call with every leftover id seen in a full pass. */
  keepOnly(ids: Iterable<string>): void;
  /** True for the one caller, this period, that may finish `what`. */
  claim(what: string): Promise<boolean>;
}

export function leftovers(models: Models, staleAfterMs: number, clock: () => number = () => performance.now()): Leftovers {
  const firstSeen = new Map<string, number>();
  return {
    isStale: (id) => {
      const now = clock();
      const seen = firstSeen.get(id) ?? now;
      firstSeen.set(id, seen);
      return now - seen >= staleAfterMs;
    },
    keepOnly: (ids) => {
      const keep = new Set(ids);
      for (const id of firstSeen.keys()) if (!keep.has(id)) firstSeen.delete(id);
    },
    claim: async (what) => {
      const period = Math.floor(Date.now() / Math.max(staleAfterMs, 1));
      try {
        await rawCollection(models.idempotency).insertOne({ _id: `recover:${what}:${period}`, claimedAt: new Date().toISOString(), state: 'done' });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
  };
}
