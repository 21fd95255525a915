import type { IdempotencyKeys } from '../../app/ports.js';
import { isDuplicateKey } from './documents.js';
import { rawCollection, type IdempotencyDoc, type Models } from './models.js';

/**
 * A key is claimed by the one insert that creates its document; the unique `_id` refuses every later claim. A key
 * given back (released) or whose hold ran out is taken again by inserting the marker of its next term
 * (`term:<n>:<key>`): of two replicas taking it, one insert wins, and only that one then updates the key's
 * document (never a conditional update as the arbiter: FerretDB v1's are not atomic).
 */
export function createIdempotencyKeys(models: Models): IdempotencyKeys {
  const raw = rawCollection(models.idempotency);
  const insert = async (doc: IdempotencyDoc): Promise<boolean> => {
    try {
      await raw.insertOne(doc);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  };
  const read = (key: string) => models.idempotency.findById(key).lean<IdempotencyDoc>();
  /** Documents of older releases have no state: their keys are done. */
  const stateOf = (doc: IdempotencyDoc) => doc.state ?? 'done';

  return {
    claim: async (key, at, holdMs) => {
      const until = holdMs === undefined ? null : at.getTime() + holdMs;
      const claimed = { claimedAt: at.toISOString(), state: 'in_progress' as const, until };
      if (await insert({ _id: key, ...claimed, term: 1 })) return true;
      const doc = await read(key);
      if (!doc) return false;
      const state = stateOf(doc);
      const lapsed = state === 'in_progress' && doc.until !== null && doc.until !== undefined && doc.until <= at.getTime();
      if (state !== 'released' && !lapsed) return false;
      const term = (doc.term ?? 1) + 1;
      if (!(await insert({ _id: `term:${term}:${key}`, claimedAt: at.toISOString(), state: 'done' }))) return false;
      await raw.updateOne({ _id: key }, { $set: { ...claimed, term } });
      return true;
    },
    state: async (key) => {
      const doc = await read(key);
      if (!doc) return null;
      const state = stateOf(doc);
      if (state === 'done') return { state: 'done' };
      if (state === 'released') return null;
      return { state: 'in_progress', until: doc.until === null || doc.until === undefined ? null : new Date(doc.until) };
    },
    complete: async (key) => {
      await raw.updateOne({ _id: key }, { $set: { state: 'done', until: null } });
    },
    release: async (key) => {
      // Filtered by `_id` alone (what FerretDB pushes down); only the key's holder releases it.
      const doc = await read(key);
      if (doc && stateOf(doc) === 'in_progress') await raw.updateOne({ _id: key }, { $set: { state: 'released' } });
    },
  };
}
