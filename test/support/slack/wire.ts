/**
 * HTTP plumbing of the fake: reading bodies, decoding Web API arguments the way Slack accepts them
 * (form-encoded with JSON strings inside, JSON bodies, multipart when the SDK sends buffers, query string),
 * finding the token, and writing responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Args } from './fake-state.js';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const mimeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const firstValues = (q: Record<string, string | string[] | undefined>): Args =>
  Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

export type ParsedArgs = { ok: true; args: Args; json: boolean } | { ok: false; error: string };

/** Decodes a Web API request body. Errors are Slack's own codes (invalid_json, invalid_post_type…). */
export async function parseApiArgs(req: IncomingMessage, raw: Buffer): Promise<ParsedArgs> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const query = firstValues(parseQuery(url.search.slice(1)));
  const contentType = req.headers['content-type'];
  const mime = mimeOf(contentType);
  if (raw.length === 0) return { ok: true, args: query, json: false };
  if (!contentType) return { ok: false, error: 'missing_post_type' };
  if (mime === 'application/x-www-form-urlencoded' || mime === 'text/plain') {
    return { ok: true, args: { ...query, ...firstValues(parseQuery(raw.toString('utf8'))) }, json: false };
  }
  if (mime === 'application/json') {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: { ...query, ...(body as Args) }, json: true };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (mime === 'multipart/form-data') {
    const form = await parseMultipart(raw, contentType);
    if (!form) return { ok: false, error: 'invalid_form_data' };
    return { ok: true, args: { ...query, ...form }, json: false };
  }
  return { ok: false, error: 'invalid_post_type' };
}

/** multipart/form-data -> fields; file parts become Buffers. Uses the platform's own multipart parser. */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, string | Buffer> | null> {
  try {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const out: Record<string, string | Buffer> = {};
    for (const [key, value] of form.entries()) {
      out[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return out;
  } catch {
    return null;
  }
}

/** The bearer token, or the `token` argument (accepted by Slack for form bodies only, not for JSON bodies). */
export function tokenOf(req: IncomingMessage, parsed: { args: Args; json: boolean }): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  if (!parsed.json && typeof parsed.args.token === 'string' && parsed.args.token !== '') return parsed.args.token;
  return null;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const str = (args: Args, key: string): string | undefined => {
  const v = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};

export const bool = (args: Args, key: string): boolean => args[key] === true || args[key] === 'true' || args[key] === '1';

/** An argument Slack expects as a JSON-encoded string (blocks, view, attachments, files). JSON bodies may inline it. */
export function jsonArg(args: Args, key: string): { present: false } | { present: true; value: unknown } | { present: true; invalid: true } {
  const v = args[key];
  if (v === undefined || v === null || v === '') return { present: false };
  if (typeof v !== 'string') return { present: true, value: v };
  try {
    return { present: true, value: JSON.parse(v) as unknown };
  } catch {
    return { present: true, invalid: true };
  }
}
