/**
 * Bolt's HTTP receiver (signature check, `/slack/events`, custom routes such as `/healthz`), with one guard in
 * front: a correctly signed body that is not one of Slack's payloads is answered 400 at once. Bolt reads `body.ssl_check` of
 * whatever JSON it parsed outside any try, so `payload=null` was an unhandled rejection that left the request
 * unanswered (under Node's default, it took the process down); a body whose kind Bolt cannot tell (an array, an
 * unknown `type`) waited 3 s for an ack that never came; one Bolt's own introspection throws on (an `event` that is
 * a string) was a 500. The guard asks Bolt's own introspection first; what Bolt still cannot read (a user that is
 * null) is a 400, not Bolt's 500. The body is buffered here as Bolt would
 * buffer it (it reads `rawBody` when present), so nothing changes for every other request.
 *
 * The signature is checked here, once, and Bolt's own check is off: it read the form and computed the HMAC a
 * second time for every request, about 15 % of the bot's time before the acks of 50 modal submissions at once. What
 * Bolt did for a body that is not correctly signed is done here: a 401 with no body, or a 200 for Slack's unsigned
 * `ssl_check` (which goes no further, whatever else the form holds).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import bolt from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
// Bolt's own reading of a body's kind (not re-exported by the package root).
import { getTypeAndConversation } from '@slack/bolt/dist/helpers.js';
import type { PendingAcks } from './turns.js';

const { ErrorCode, HTTPReceiver, isValidSlackRequest } = bolt;
type CustomRoute = { path: string; method: string | string[]; handler: (req: IncomingMessage, res: ServerResponse) => void };

/** Bolt's own limit on a request body. */
const BODY_LIMIT = 4 * 1024 * 1024;
const ENDPOINT = '/slack/events';
const FORM = 'application/x-www-form-urlencoded';

/** Slack's SSL check: a form with `ssl_check=1`, which Slack may send unsigned. */
const isSslCheck = (contentType: string | undefined, body: string): boolean => contentType === FORM && parseQuery(body).ssl_check === '1';

/** What Bolt would parse the body into: undefined when it would refuse it itself (not JSON: a 400 of its own). */
export function parsedBody(contentType: string | undefined, body: string): unknown {
  try {
    if (contentType === FORM) {
      const form = parseQuery(body);
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as unknown) : form;
    }
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether Bolt can route this body: its handshakes (ssl_check, url_verification), or a kind it can tell. */
export function routable(body: unknown): boolean {
  if (!isObject(body)) return false;
  if (body.ssl_check === '1' || body.type === 'url_verification') return true;
  try {
    return getTypeAndConversation(body).type !== undefined;
  } catch {
    return false;
  }
}

/** The whole body, or null past `limit` bytes (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Requests to `/slack/events` read and not yet answered: what the turns wait for before starting work (turns.ts). */
export interface AckCounter extends PendingAcks {
  /** Counts `res` until it is answered or its connection closes. */
  track(res: ServerResponse): void;
}

export function createAckCounter(): AckCounter {
  let pending = 0;
  let waiting: (() => void)[] = [];
  return {
    pending: () => pending,
    whenNone: (then) => (pending === 0 ? then() : void waiting.push(then)),
    track: (res) => {
      pending += 1;
      res.once('close', () => {
        pending -= 1;
        if (pending > 0) return;
        const all = waiting;
        waiting = [];
        for (const then of all) then();
      });
    },
  };
}

export function createHttpReceiver(opts: { signingSecret: string; customRoutes: CustomRoute[]; logger: BoltLogger; acks?: AckCounter }): InstanceType<typeof HTTPReceiver> {
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    // Checked below, once, before Bolt sees the request.
    signatureVerification: false,
    customRoutes: opts.customRoutes,
    logger: opts.logger,
    bodyLimit: BODY_LIMIT,
    processEventErrorHandler: async ({ error, logger, response }) => {
      if (response.headersSent) return false;
      // What Bolt throws itself, before any listener (they all ack first, and report to app.error): a body it could
      // not read (a user that is null, an event of the wrong shape), or no authorization.
      const unauthorized = (error as { code?: string }).code === ErrorCode.AuthorizationError;
      logger.warn(unauthorized ? 'a request without authorization' : `a request Bolt could not read (${error.name}); answered 400`);
      response.writeHead(unauthorized ? 401 : 400).end();
      return true;
    },
  });
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== ENDPOINT) return inner(req, res);
    opts.acks?.track(res);
    readBody(req, BODY_LIMIT).then(
      (buffer) => {
        if (buffer === null) return void res.writeHead(413).end();
        const text = buffer.toString();
        // Only a correctly signed body is looked at: anything else gets a 401, whatever it holds.
        const signed = isValidSlackRequest({
          signingSecret: opts.signingSecret,
          body: text,
          headers: { 'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''), 'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']) },
        });
        if (!signed) {
          if (isSslCheck(req.headers['content-type'], text)) return void res.writeHead(200).end();
          opts.logger.warn('refused a request that is not correctly signed by Slack (401)');
          return void res.writeHead(401).end();
        }
        const parsed = parsedBody(req.headers['content-type'], text);
        if (parsed !== undefined && !routable(parsed)) {
          opts.logger.warn('refused a request that is not a Slack payload');
          return void res.writeHead(400).end();
        }
        Object.assign(req, { rawBody: buffer });
        inner(req, res);
      },
      () => void res.writeHead(400).end(),
    );
  };
  return receiver;
}
