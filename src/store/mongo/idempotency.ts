import type { IdempotencyKeys } from '../../app/ports.js';
import { isDuplicateKey } from './documents.js';
import { rawCollection, type Models } from './models.js';

/** A key is claimed by the one insert that creates its document; the unique `_id` refuses every later claim. */
export function createIdempotencyKeys(models: Models): IdempotencyKeys {
  return {
    claim: async (key, at) => {
      try {
        await rawCollection(models.idempotency).insertOne({ _id: key, claimedAt: at.toISOString() });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    release: async (key) => {
      await rawCollection(models.idempotency).deleteOne({ _id: key });
    },
  };
}
