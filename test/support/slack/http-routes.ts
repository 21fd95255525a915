/**
 * The fake's non-Web-API routes: the upload_url handed out by files.getUploadURLExternal, url_private /
 * url_private_download, and response_url (what the bot posts there is recorded and limit-checked).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatProblem, validateMessageBlocks } from './block-kit-limits.js';
import type { FakeState } from './fake-state.js';
import { mimeOf, parseMultipart, sendJson, sendText } from './wire.js';

/** What Slack serves for a file URL fetched without a valid token: its sign-in page, with status 200. */
export const LOGIN_PAGE = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slack</title></head>'
  + '<body><h1>Sign in to your workspace</h1><form action="/signin" method="post"><input name="email"></form></body></html>';

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** POST <upload_url>: multipart (the SDK puts the bytes in field `body`) or the raw bytes. */
export async function handleUpload(state: FakeState, req: IncomingMessage, res: ServerResponse, ticket: string, raw: Buffer): Promise<void> {
  const record = state.files.get(state.uploads.get(ticket) ?? '');
  if (!record) return sendText(res, 404, 'upload ticket not found');
  let bytes: Buffer = raw;
  if (mimeOf(req.headers['content-type']) === 'multipart/form-data') {
    const form = await parseMultipart(raw, String(req.headers['content-type']));
    const part = form ? (form.body ?? form.file ?? Object.values(form).find((v) => Buffer.isBuffer(v))) : undefined;
    if (!Buffer.isBuffer(part)) return sendText(res, 400, 'no file part in multipart upload');
    bytes = part;
  }
  if (bytes.length !== record.length) {
    return sendText(res, 400, `length mismatch: files.getUploadURLExternal announced ${record.length} bytes, received ${bytes.length}`);
  }
  record.bytes = Buffer.from(bytes);
  sendText(res, 200, `OK - ${bytes.length}`);
}

/** failHttp(DOWNLOADS, status) fails the next file downloads (url_private and url_private_download). */
export const DOWNLOADS = 'files.download';

/** GET url_private / url_private_download: the bytes with a valid bot token, else the HTML sign-in page. */
export function handleDownload(state: FakeState, req: IncomingMessage, res: ServerResponse, fileId: string): void {
  const outage = state.httpFailures.get(DOWNLOADS);
  if (outage && outage.times > 0) {
    outage.times -= 1;
    return sendText(res, outage.status, `${outage.status} fake upstream failure`);
  }
  const auth = req.headers.authorization;
  const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
  const record = state.files.get(fileId);
  if (!token || !state.tokens.has(token)) return sendText(res, 200, LOGIN_PAGE, 'text/html; charset=utf-8');
  if (!record || record.bytes === null) return sendText(res, 404, LOGIN_PAGE, 'text/html; charset=utf-8');
  if (record.htmlDownload) return sendText(res, 200, LOGIN_PAGE, 'text/html; charset=utf-8');
  res.writeHead(200, {
    'content-type': record.mimetype,
    'content-length': record.bytes.length,
    'content-disposition': `attachment; filename="${record.name.replace(/"/g, '')}"`,
  });
  res.end(record.bytes);
}

/** POST response_url: JSON body as Bolt's respond() sends it; at most 5 uses within 30 minutes. */
export function handleResponseUrl(state: FakeState, req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer): void {
  const record = state.responseUrls.get(id);
  if (!record) return sendJson(res, 404, { ok: false, error: 'invalid_url' });
  if (state.now() - record.issuedAt > RESPONSE_URL_TTL_MS) return sendJson(res, 404, { ok: false, error: 'expired_url' });
  if (record.posts.length >= RESPONSE_URL_USES) return sendJson(res, 404, { ok: false, error: 'used_url' });
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
  }
  const blocks = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).blocks : undefined;
  const problems = blocks === undefined ? [] : validateMessageBlocks(blocks, { strictActionIds: state.strictActionIds });
  if (problems.length > 0) {
    return sendJson(res, 400, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems.map(formatProblem) } });
  }
  record.posts.push({ body, contentType: String(req.headers['content-type'] ?? ''), at: state.now() });
  sendJson(res, 200, { ok: true });
}
