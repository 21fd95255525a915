import type { Model } from 'mongoose';
import { failedIndex, isDuplicateKey } from './documents.js';
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

/**
 * `count` next values of a counter, increasing, as `nextValue` would give them one by one: claimed by one ordered
 * insert of `<name>:<top+1>`…; a value another caller took stops the insert there, the ones before it are ours,
 * and the rest are claimed again above the new top.
 */
export async function nextValues(counters: Model<CounterDoc>, name: string, count: number): Promise<number[]> {
  const got: number[] = [];
  while (got.length < count) {
    const top = (await counters.findOne({ name }, { value: 1 }).sort({ value: -1 }).lean<Pick<CounterDoc, 'value'>>())?.value ?? 0;
    const values = Array.from({ length: count - got.length }, (_, i) => top + 1 + i);
    try {
      await rawCollection(counters).insertMany(values.map((value) => ({ _id: `${name}:${value}`, name, value })), { ordered: true });
      got.push(...values);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      got.push(...values.slice(0, failedIndex(e)));
    }
  }
  return got;
}
