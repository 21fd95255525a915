/**
 * Reads in slices, for the bot's thread: better-sqlite3 runs a query to its end before anything else can run, so
 * each read first lets the event loop through (requests already on the wire are read and acknowledged before it),
 * and a read of many ids by id (an OS patch run of thousands of findings) is cut into reads of at most
 * GET_MANY_SLICE, each its own slice. What a read returns is unchanged.
 */
import { setImmediate as nextTick } from 'node:timers/promises';

/** Ids read by one query when many are asked for at once. */
export const GET_MANY_SLICE = 1000;

type Fn = (...args: never[]) => unknown;

/** Every method of `repo` (but those in `keep`, e.g. a stream) runs after a turn of the event loop. */
export function yieldingReads<T extends object>(repo: T, keep: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== 'function' || keep.includes(name)) {
      out[name] = value;
      continue;
    }
    out[name] = async (...args: never[]) => {
      await nextTick();
      return (value as Fn)(...args);
    };
  }
  return out as T;
}

/** `getMany(ids)` in slices of GET_MANY_SLICE ids, each after a turn of the event loop; results in id order, as one query gives them. */
export function slicedGetMany<R extends { readonly id: string }>(getMany: (ids: readonly string[]) => Promise<R[]>): (ids: readonly string[]) => Promise<R[]> {
  return async (ids) => {
    if (ids.length <= GET_MANY_SLICE) {
      await nextTick();
      return getMany(ids);
    }
    const out: R[] = [];
    for (let i = 0; i < ids.length; i += GET_MANY_SLICE) {
      await nextTick();
      out.push(...(await getMany(ids.slice(i, i + GET_MANY_SLICE))));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
}
