import { isDuplicateKey } from './documents.js';
import { rawCollection, type Models } from './models.js';

/**
 * When a half-done write counts as left over by a crashed writer, and who may finish it. Only leftovers older
 * than `staleAfterMs` are touched, so a write in flight is left to its writer; and of several replicas finding
 * the same leftover, one per stale period (in case that one crashes too) does the work, claimed by an insert: on
 * FerretDB two writers of one document must not overlap.
 */
export interface Leftovers {
  /** Leftovers are those written at or before this instant. */
  staleBefore(): string;
  isStale(at: string): boolean;
  /** True for the one caller, this stale period, that may finish `what`. */
  claim(what: string): Promise<boolean>;
}

export function leftovers(models: Models, staleAfterMs: number): Leftovers {
  const staleBefore = () => new Date(Date.now() - staleAfterMs).toISOString();
  return {
    staleBefore,
    isStale: (at) => at <= staleBefore(),
    claim: async (what) => {
      const period = Math.floor(Date.now() / Math.max(staleAfterMs, 1));
      try {
        await rawCollection(models.idempotency).insertOne({ _id: `recover:${what}:${period}`, claimedAt: new Date().toISOString() });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
  };
}
