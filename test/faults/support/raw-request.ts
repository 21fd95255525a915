/**
 * A request to the bot's `/slack/events` built by hand: any body, any content type, signed with any secret at any
 * timestamp (or not signed), the body changed after signing if asked. What a forger, a replayer or a broken proxy
 * sends; the driver (test/support/slack/driver.ts) is what Slack sends.
 */
import { signSlackRequest } from '../../support/slack/driver.js';

export interface RawRequest {
  readonly body: string | Buffer;
  readonly contentType: string;
  /** Seconds; default now. */
  readonly timestamp?: number;
  /** Default: a correct signature of `body` at `timestamp` with `secret`. */
  readonly signature?: string | null;
  readonly secret: string;
  /** Sign this body, send `body`. */
  readonly signedBody?: string;
  readonly headers?: Record<string, string>;
}

export interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
}

export async function sendRaw(botUrl: string, r: RawRequest): Promise<RawResponse> {
  const timestamp = r.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = r.signedBody ?? (typeof r.body === 'string' ? r.body : r.body.toString('latin1'));
  const signature = r.signature === undefined ? signSlackRequest(r.secret, timestamp, signed) : r.signature;
  const headers: Record<string, string> = { 'content-type': r.contentType, 'x-slack-request-timestamp': String(timestamp), ...r.headers };
  if (signature !== null) headers['x-slack-signature'] = signature;
  const res = await fetch(botUrl, { method: 'POST', headers, body: typeof r.body === 'string' ? r.body : new Uint8Array(r.body) });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}
