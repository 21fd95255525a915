import type { mongo } from 'mongoose';
import { failedIndex, isDuplicateKey } from './documents.js';

/**
 * Update statements per command. FerretDB v1 keeps one SQLite connection open per statement of an update
 * command until the command ends, from a pool of 100: a bulk of 100+ replaces deadlocks its database. 50 leaves
 * room for everyone else; MongoDB does not mind the smaller batches.
 */
export const UPDATE_BATCH = 50;

/**
 * Runs upserts in order, in batches, and returns the indexes of those refused with a duplicate key. That means
 * the document exists but the operation's filter did not match it: a guarded upsert whose guard refused, or two
 * first-ever upserts of one `_id` that raced (which MongoDB retries itself, and FerretDB does not).
 */
export async function orderedUpserts<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  ops: readonly mongo.AnyBulkWriteOperation<T>[],
): Promise<number[]> {
  const refused: number[] = [];
  for (let from = 0; from < ops.length; ) {
    const batch = ops.slice(from, from + UPDATE_BATCH);
    try {
      await collection.bulkWrite(batch, { ordered: true });
      from += batch.length;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      refused.push(from + failedIndex(e));
      from += failedIndex(e) + 1;
    }
  }
  return refused;
}

/** Inserts in order; returns the indexes of those refused with a duplicate key (they exist already). */
export async function orderedInserts<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  docs: readonly mongo.OptionalUnlessRequiredId<T>[],
): Promise<number[]> {
  const refused: number[] = [];
  for (let from = 0; from < docs.length; ) {
    try {
      await collection.insertMany(docs.slice(from), { ordered: true });
      break;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      refused.push(from + failedIndex(e));
      from += failedIndex(e) + 1;
    }
  }
  return refused;
}
