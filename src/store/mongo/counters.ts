import type { Model } from 'mongoose';
import { isDuplicateKey } from './documents.js';
import { rawCollection, type CounterDoc } from './models.js';

/**
 * The next value of a named counter, unique across connections and replicas. Not a `$inc`: FerretDB v1 applies
 * an update as read, modify, write back, so two concurrent increments can both return the same value. Each value
 * is instead claimed by inserting `<name>:<value>` (a unique `_id`): of two claims of the same value one insert
 * fails, and that caller moves on to the next value.
 */
export async function nextValue(counters: Model<CounterDoc>, name: string): Promise<number> {
  for (;;) {
    const top = await counters.findOne({ name }, { value: 1 }).sort({ value: -1 }).lean<Pick<CounterDoc, 'value'>>();
    const value = (top?.value ?? 0) + 1;
    try {
      await rawCollection(counters).insertOne({ _id: `${name}:${value}`, name, value });
      return value;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
}
