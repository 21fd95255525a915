/**
 * Reads in slices, for the bot's thread: better-sqlite3 runs a query to its end before anything else can run, so
 * each read first lets the event loop through (requests already on the wire are read and acknowledged before it),
 * a read of many ids by id (an OS patch run of thousands of findings) is cut into reads of at most
 * GET_MANY_SLICE, each its own slice, and the docs a read returns are parsed PARSE_SLICE at a time. What a read
 * returns is unchanged.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import type { ParseDocs } from './doc-table.js';

/** Ids read by one query when many are asked for at once. */
export const GET_MANY_SLICE = 1000;
/** Docs parsed between two turns of the event loop (about 5 ms of remediations). */
export const PARSE_SLICE = 1000;

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

/**
 * A read's docs parsed PARSE_SLICE at a time, each slice after a turn of the event loop: the digest's read of every
 * open remediation (9,000 at the bench's size, about 45 ms to parse) no longer holds the acks and the people's work
 * behind it. The docs come from one statement, so the records are one snapshot, as before.
 */
export const parseInSlices: ParseDocs = async <T>(docs: readonly string[]): Promise<T[]> => {
  const out: T[] = [];
  for (let i = 0; i < docs.length; i += PARSE_SLICE) {
    if (i > 0) await nextTick();
    for (const doc of docs.slice(i, i + PARSE_SLICE)) out.push(JSON.parse(doc) as T);
  }
  return out;
};
