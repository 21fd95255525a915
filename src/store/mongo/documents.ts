/**
 * How domain records become MongoDB documents and back.
 *
 * - Values go through JSON first, exactly as the SQLite adapter stores them: `undefined` members vanish, a Date
 *   becomes its ISO string, and what a read returns deep-equals what SQLite returns.
 * - Field names: FerretDB and MongoDB before 5.0 refuse a `.` in a name or a leading `$`, and free-form maps
 *   (asset attributes, deployment details, audit data, cached ETags keyed by URL) may have either. Every name is
 *   escaped on the way in and unescaped on the way out (`%` -> `%25`, `.` -> `%2E`, `$` -> `%24`); our own field
 *   names contain none of these, so they are stored as they are and stay queryable.
 * - Our bookkeeping fields (`_id`, `_commit`, `__v`) never reach the domain.
 */

const escapeName = (name: string): string =>
  /[%.$]/.test(name) ? name.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24') : name;
const unescapeName = (name: string): string =>
  name.includes('%') ? name.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%') : name;

function mapNames(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapNames(v, rename));
  if (value === null || typeof value !== 'object') return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // ObjectId, Binary, Date: not maps
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[rename(k)] = mapNames(v, rename);
  return out;
}

/** A JSON value as it will be stored: JSON-normalised, field names escaped. */
export const toStored = <T>(value: T): T => mapNames(JSON.parse(JSON.stringify(value) ?? 'null'), escapeName) as T;

/** A stored value with its field names unescaped. */
export const fromStored = <T>(value: unknown): T => mapNames(value, unescapeName) as T;

const BOOKKEEPING = new Set(['_id', '_commit', '__v']);

/** A stored document as the domain record it holds. */
export function toDomain<T>(doc: object): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!BOOKKEEPING.has(k)) out[unescapeName(k)] = fromStored(v);
  return out as T;
}

/**
 * A write refused by a unique index: MongoDB's duplicate-key error (E11000), also inside a bulk write error; and
 * FerretDB v1's SQLite back end, which reports a unique-index violation by an UPDATE as an InternalError (code 1)
 * carrying SQLite's "UNIQUE constraint failed" instead of E11000.
 */
export function isDuplicateKey(e: unknown): boolean {
  if (e === null || typeof e !== 'object') return false;
  const { code, writeErrors, message } = e as { code?: unknown; writeErrors?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  if (code === 1 && typeof message === 'string' && message.includes('UNIQUE constraint failed')) return true;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => isDuplicateKey(w));
}

/** Index of the first failed operation of an ordered bulk write (0 when the error does not say). */
export const failedIndex = (e: unknown): number => {
  const first = (e as { writeErrors?: { index?: unknown }[] }).writeErrors?.[0]?.index;
  return typeof first === 'number' ? first : 0;
};

/**
 * A filter on ids: `{ _id: id }` for one (the only filter FerretDB v1 pushes down to its SQLite tables; anything
 * else scans the collection), `$in` for several.
 */
export const byIds = (ids: readonly string[]): { _id: string | { $in: string[] } } => (ids.length === 1 ? { _id: ids[0]! } : { _id: { $in: [...ids] } });
