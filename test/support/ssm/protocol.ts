/**
 * awsJson1_1 as SSM speaks it: errors are HTTP 400 with `{"__type": "...", "message": "..."}`, model
 * constraints fail with a ValidationException worded like AWS's ("1 validation error detected: Value '4'
 * at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 5"),
 * timestamps are epoch seconds, and list operations page with an opaque NextToken bound to the request.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const member = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const violation = (value: string, name: string, constraint: string): AwsError =>
  new AwsError('ValidationException', `1 validation error detected: Value '${value}' at '${member(name)}' failed to satisfy constraint: Member must ${constraint}`);

export type Input = Record<string, unknown>;

export function int(input: Input, name: string, min: number, max: number, fallback: number): number {
  const v = input[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new AwsError('SerializationException', `${name} must be an integer`);
  if (v < min) throw violation(String(v), name, `have value greater than or equal to ${min}`);
  if (v > max) throw violation(String(v), name, `have value less than or equal to ${max}`);
  return v;
}

export function str(input: Input, name: string, required: boolean): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw violation('null', name, 'not be null');
    return undefined;
  }
  if (typeof v !== 'string') throw new AwsError('SerializationException', `${name} must be a string`);
  return v;
}

export function list<T = unknown>(input: Input, name: string, max: number, required = false, min = required ? 1 : 0): T[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw violation('null', name, 'not be null');
    return undefined;
  }
  if (!Array.isArray(v)) throw new AwsError('SerializationException', `${name} must be a list`);
  if (v.length > max) throw violation(`[${v.join(', ')}]`, name, `have length less than or equal to ${max}`);
  if (v.length < min) throw violation('[]', name, `have length greater than or equal to ${min}`);
  return v as T[];
}

export function pattern(input: Input, name: string, re: RegExp, maxLength: number): string | undefined {
  const v = str(input, name, false);
  if (v === undefined) return undefined;
  if (v.length > maxLength) throw violation(v, name, `have length less than or equal to ${maxLength}`);
  if (!re.test(v)) throw violation(v, name, `satisfy regular expression pattern: ${re.source}`);
  return v;
}

/** Epoch seconds, as awsJson1_1 writes a `timestamp` member. */
export const epoch = (iso: string | Date): number => (typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) / 1000;

/** The request without its paging members: a NextToken is only good for the request that produced it. */
const fingerprint = (op: string, input: Input): string => JSON.stringify([op, Object.entries(input).filter(([k]) => k !== 'NextToken' && k !== 'MaxResults').sort(([a], [b]) => a.localeCompare(b))]);

export interface Paged<T> { items: T[]; nextToken?: string; page: number }

export function paginate<T>(op: string, input: Input, all: T[], size: number): Paged<T> {
  const token = str(input, 'NextToken', false);
  let start = 0;
  if (token !== undefined) {
    let decoded: { f?: string; o?: number } = {};
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { f?: string; o?: number };
    } catch {
      // falls through
    }
    if (decoded.f !== fingerprint(op, input) || typeof decoded.o !== 'number') throw new AwsError('InvalidNextToken', 'The specified token is not valid.');
    start = decoded.o;
  }
  const end = Math.min(start + size, all.length);
  const out: Paged<T> = { items: all.slice(start, end), page: Math.floor(start / size) + 1 };
  if (end < all.length) out.nextToken = Buffer.from(JSON.stringify({ f: fingerprint(op, input), o: end })).toString('base64');
  return out;
}

/** The page a request asks for, without running it: for the fault knobs. */
export function pageOf(input: Input, size: number): number {
  const token = input.NextToken;
  if (typeof token !== 'string') return 1;
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown }).o;
    return typeof o === 'number' ? Math.floor(o / size) + 1 : 1;
  } catch {
    return 1;
  }
}
