/**
 * Seeded mutations of what Slack sends: a payload (JSON) or a slash command's form fields is changed at one to
 * three places (a field deleted, nulled, given another type, emptied, made huge or odd, a prototype key planted,
 * nested thousands deep), and sometimes the body itself is broken (cut, garbled, its content type swapped). Same
 * seed, same mutations: a failure names its seed and index, and replaying them gives the same bodies.
 */
import { createRng, type Rng } from '../../support/population/prng.js';

type Json = Record<string, unknown>;
export type Path = readonly (string | number)[];

export interface Mutated {
  readonly body: string;
  readonly contentType: string;
  /** What was done, for the failure message: `view.private_metadata: huge string`. */
  readonly what: readonly string[];
}

const JUNK = [
  '', ' ', '\u0000', '\u202e\u2066evil', '<!channel>', '<@U0LEAD>', '&lt;&amp;', '${process.env}', "'; DROP TABLE remediations; --",
  '../../../../etc/passwd', 'PW-1', 'PW-0', 'PW-999999999999', '{"r":"PW-1"', '[]', 'null', 'NaN', '-1', '1e309', '🧨'.repeat(40),
  'x'.repeat(76), '\ud800', 'constructor', '__proto__', 'toString', 'U0STRANGER', 'C0PATCHES',
];

/** Every path into the value, parents before children, at most `maxDepth` deep. */
export function pathsOf(value: unknown, maxDepth = 7, at: Path = []): Path[] {
  if (at.length >= maxDepth || value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value as Json);
  return keys.flatMap((k) => [[...at, k], ...pathsOf((value as Json)[k as string], maxDepth, [...at, k])]);
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) v = [v];
  return v;
}

function protoKeys(): Json {
  const o = JSON.parse('{"__proto__":{"polluted":true,"roles":["lead"]},"constructor":{"prototype":{"polluted":true}}}') as Json;
  return o;
}

/** The replacement value for one mutation, and its name. */
function replacement(rng: Rng, current: unknown): { value: unknown; name: string } | 'delete' {
  const ops: (() => { value: unknown; name: string } | 'delete')[] = [
    () => 'delete',
    () => ({ value: null, name: 'null' }),
    () => ({ value: rng.pick([0, -1, 1.5, 2 ** 53 + 1, 1e308]), name: 'a number' }),
    () => ({ value: rng.pick([true, false]), name: 'a boolean' }),
    () => ({ value: '', name: 'an empty string' }),
    () => ({ value: 'A'.repeat(rng.between(3_001, 120_000)), name: 'a huge string' }),
    () => ({ value: rng.pick(JUNK), name: 'an odd string' }),
    () => ({ value: [], name: 'an empty array' }),
    () => ({ value: Array.from({ length: rng.between(101, 3_000) }, () => rng.pick(JUNK)), name: 'a long array' }),
    () => ({ value: {}, name: 'an empty object' }),
    () => ({ value: protoKeys(), name: 'prototype keys' }),
    () => ({ value: nested(rng.between(500, 3_000)), name: 'deep nesting' }),
    () => ({ value: typeof current === 'string' ? { value: current } : String(JSON.stringify(current) ?? '').slice(0, 200), name: 'the wrong type' }),
  ];
  return rng.pick(ops)();
}

function setAt(root: unknown, path: Path, value: unknown | 'delete'): void {
  let node = root as Json;
  for (const k of path.slice(0, -1)) {
    const next = node[k as string];
    if (next === null || typeof next !== 'object') return;
    node = next as Json;
  }
  const last = path[path.length - 1]!;
  if (value === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last as string];
  } else if (last === '__proto__') {
    Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  } else node[last as string] = value;
}

const getAt = (root: unknown, path: Path): unknown => path.reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Json)[k as string] : undefined), root);

/** One to three mutations of a JSON value. */
export function mutateValue<T>(base: T, rng: Rng): { value: T; what: string[] } {
  const value = clone(base);
  const what: string[] = [];
  const n = rng.between(1, 3);
  for (let i = 0; i < n; i += 1) {
    const paths = pathsOf(value);
    if (paths.length === 0) break;
    const path = rng.pick(paths);
    const r = replacement(rng, getAt(value, path));
    setAt(value, path, r === 'delete' ? 'delete' : r.value);
    what.push(`${path.join('.')}: ${r === 'delete' ? 'deleted' : r.name}`);
  }
  return { value, what };
}

/** Form encoding that takes anything (a lone surrogate becomes U+FFFD, as it would on the wire). */
function formEncode(fields: Record<string, string | string[]>): string {
  const enc = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${enc(k)}=${enc(x)}`)).join('&');
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Breaks the body itself, sometimes (about one body in eight). */
function breakBody(body: string, contentType: string, rng: Rng): { body: string; contentType: string; what?: string } {
  if (rng.next() >= 0.125) return { body, contentType };
  switch (rng.int(6)) {
    case 0: return { body: body.slice(0, rng.int(Math.max(1, body.length))), contentType, what: 'body cut short' };
    case 1: return { body: `${body}${rng.pick(['}', ']]', '&payload=%7B', '\u0000', '%'])}`, contentType, what: 'junk after the body' };
    case 2: return { body, contentType: contentType === FORM ? JSON_TYPE : FORM, what: 'content type swapped' };
    case 3: return { body, contentType: `${contentType}; charset=utf-8`, what: 'content type with a charset' };
    case 4: return { body: '', contentType, what: 'empty body' };
    default: return { body: body.replace(/%22/g, '%27').replace(/"/g, "'"), contentType, what: 'quotes garbled' };
  }
}

export type Delivered = { readonly kind: 'form'; readonly fields: Record<string, string> } | { readonly kind: 'payload'; readonly payload: Json } | { readonly kind: 'json'; readonly body: Json };

/** A mutated body of one base delivery, ready to sign and send. */
export function mutateDelivery(base: Delivered, rng: Rng): Mutated {
  if (base.kind === 'form') {
    const { value, what } = mutateValue(base.fields, rng);
    const fields = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => String(x)) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
    const broken = breakBody(formEncode(fields), FORM, rng);
    return { body: broken.body, contentType: broken.contentType, what: broken.what ? [...what, broken.what] : what };
  }
  const source = base.kind === 'payload' ? base.payload : base.body;
  const { value, what } = mutateValue(source, rng);
  const text = base.kind === 'payload' ? formEncode({ payload: JSON.stringify(value) }) : JSON.stringify(value);
  const broken = breakBody(text, base.kind === 'payload' ? FORM : JSON_TYPE, rng);
  return { body: broken.body, contentType: broken.contentType, what: broken.what ? [...what, broken.what] : what };
}

/** The seed of a run: FAULTS_SEED when given (to replay a failure), else a new one; printed by the caller. */
export function faultSeed(): number {
  const given = Number(process.env['FAULTS_SEED']);
  return Number.isInteger(given) && given > 0 ? given : 1 + Math.floor(Math.random() * 2 ** 31);
}

export { createRng };
