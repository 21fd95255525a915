/**
 * Query-parameter rules of Snyk REST as the fake enforces them: `version` required on every call
 * (YYYY-MM-DD with an optional ~beta / ~experimental), `limit` 10..100 in steps of 10 (default 10),
 * opaque `starting_after` / `ending_before` cursors, comma-list filters, RFC 3339 date filters.
 */
export class ParamError extends Error {
  constructor(
    readonly status: number,
    readonly parameter: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** GA versions the fake knows; a request is served the newest one on or before the date asked for. */
export const KNOWN_VERSIONS = ['2023-05-29', '2024-01-23', '2024-10-15', '2025-11-05'] as const;

export interface Version { requested: string; served: string; stage: string }

export function parseVersion(q: URLSearchParams): Version {
  const requested = q.get('version');
  if (!requested) throw new ParamError(400, 'version', 'Missing required query parameter "version" (e.g. version=2024-10-15).');
  const m = /^(\d{4}-\d{2}-\d{2})(~(beta|experimental))?$/.exec(requested);
  if (!m || Number.isNaN(Date.parse(m[1] as string))) throw new ParamError(400, 'version', `The version "${requested}" is not a valid version; use YYYY-MM-DD, optionally with ~beta or ~experimental.`);
  const date = m[1] as string;
  const served = [...KNOWN_VERSIONS].reverse().find((v) => v <= date);
  if (!served) throw new ParamError(404, 'version', `No version of this endpoint is available on or before ${date}.`);
  return { requested, served: m[2] ? `${served}${m[2]}` : served, stage: m[3] ?? 'ga' };
}

export function parseLimit(q: URLSearchParams): number {
  const raw = q.get('limit');
  if (raw === null) return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 100 || n % 10 !== 0) throw new ParamError(400, 'limit', `limit must be a multiple of 10 between 10 and 100; got "${raw}".`);
  return n;
}

export const encodeCursor = (seq: number): string => `v1.${Buffer.from(JSON.stringify({ seq })).toString('base64url')}`;

export function parseCursors(q: URLSearchParams): { after: number | null; before: number | null } {
  const decode = (name: string): number | null => {
    const raw = q.get(name);
    if (raw === null) return null;
    try {
      const body = JSON.parse(Buffer.from(raw.replace(/^v1\./, ''), 'base64url').toString('utf8')) as { seq?: unknown };
      if (raw.startsWith('v1.') && typeof body.seq === 'number') return body.seq;
    } catch {
      // falls through to the error below
    }
    throw new ParamError(400, name, `The cursor in "${name}" is not valid.`);
  };
  const after = decode('starting_after');
  const before = decode('ending_before');
  if (after !== null && before !== null) throw new ParamError(400, 'starting_after', 'starting_after and ending_before cannot be used together.');
  return { after, before };
}

export function commaList(q: URLSearchParams, name: string, allowed?: readonly string[]): string[] | null {
  const raw = q.get(name);
  if (raw === null) return null;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
  if (bad !== undefined) throw new ParamError(400, name, `"${bad}" is not a valid value for ${name}; expected one of ${allowed?.join(', ')}.`);
  return values;
}

export function dateParam(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null) return null;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new ParamError(400, name, `"${raw}" is not a valid RFC 3339 date-time for ${name}.`);
  return t;
}

export function boolParam(q: URLSearchParams, name: string): boolean | null {
  const raw = q.get(name);
  if (raw === null) return null;
  if (raw !== 'true' && raw !== 'false') throw new ParamError(400, name, `${name} must be true or false.`);
  return raw === 'true';
}
