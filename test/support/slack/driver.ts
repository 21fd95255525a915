/**
 * Plays Slack's side of the Events API / interactivity: POSTs signed requests to the bot's `/slack/events`
 * exactly as Slack does — `application/x-www-form-urlencoded` (no charset: Bolt matches it exactly) for
 * slash commands and `payload=<json>` interactions, `application/json` for event envelopes, signed
 * `v0=HMAC-SHA256(secret, "v0:<ts>:<raw body>")` with X-Slack-Request-Timestamp.
 *
 *   const slack = createSlackDriver({ botUrl, signingSecret, fake });
 *   await slack.slashCommand({ command: '/patch', text: 'status', user_id: 'U1', channel_id: 'C1' });
 */
import { createHmac, randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import type { FakeSlack } from './fake-slack.js';
import {
  blockActionPayload, eventEnvelope, fillEvent, payloadContext, slashCommandFields, submission,
  type BlockActionInput, type EventInput, type SlashCommandInput, type ViewSubmissionInput,
} from './payloads.js';

export { stateValuesFor } from './state-values.js';
export type { BlockActionInput, EventInput, SlashCommandInput, UserRef, ViewSubmissionInput } from './payloads.js';
export type { InputValue, StateValues } from './state-values.js';

export interface SlackDriverOptions {
  /** e.g. http://127.0.0.1:3000/slack/events */
  botUrl: string;
  signingSecret: string;
  fake?: FakeSlack;
  team?: { id: string; domain: string };
  apiAppId?: string;
  /** The deprecated verification token Slack still puts in payloads. */
  verificationToken?: string;
  /** Clock in ms used for X-Slack-Request-Timestamp and payload timestamps. */
  now?: () => number;
}

export interface SendOptions {
  retryNum?: number;
  retryReason?: string;
  /** Sign with the wrong secret (Bolt answers 401). */
  badSignature?: boolean;
  /** Send a timestamp more than 5 minutes old, correctly signed (Bolt answers 401). */
  staleTimestamp?: boolean;
}

export interface DriverResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else the text ('' for a bare ack). */
  body: unknown;
  /** What was sent, so a test can redeliver it (Slack retries reuse the same body). */
  sent: { rawBody: string; contentType: string; payload: Record<string, unknown> };
}

export interface SlackDriver {
  slashCommand(command: SlashCommandInput, opts?: SendOptions): Promise<DriverResponse>;
  blockAction(action: BlockActionInput, opts?: SendOptions): Promise<DriverResponse>;
  viewSubmission(submission: ViewSubmissionInput, opts?: SendOptions): Promise<DriverResponse & { viewResponseProblems: string[] }>;
  event(event: EventInput, opts?: SendOptions & { eventId?: string }): Promise<DriverResponse>;
  /** Sends the same body again with fresh headers (a Slack retry, or a duplicate delivery). */
  redeliver(previous: DriverResponse, opts?: SendOptions): Promise<DriverResponse>;
}

export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const now = options.now ?? Date.now;
  const ctx = payloadContext(options);

  async function send(rawBody: string, contentType: string, payload: Record<string, unknown>, opts: SendOptions = {}): Promise<DriverResponse> {
    const nowSec = Math.floor(now() / 1000);
    const timestamp = opts.staleTimestamp ? nowSec - 6 * 60 : nowSec;
    const secret = opts.badSignature ? `${options.signingSecret}-wrong` : options.signingSecret;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(secret, timestamp, rawBody),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    const res = await fetch(options.botUrl, { method: 'POST', headers, body: rawBody });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      body: isJson && text !== '' ? (JSON.parse(text) as unknown) : text,
      sent: { rawBody, contentType, payload },
    };
  }

  const FORM = 'application/x-www-form-urlencoded';
  const interaction = (payload: Record<string, unknown>, opts?: SendOptions) =>
    send(stringify({ payload: JSON.stringify(payload) }), FORM, payload, opts);

  return {
    slashCommand: (command, opts) => {
      const fields = slashCommandFields(ctx, command);
      return send(stringify(fields), FORM, fields, opts);
    },

    blockAction: (action, opts) => interaction(blockActionPayload(ctx, action), opts),

    viewSubmission: async (s, opts) => {
      const { view, payload } = submission(ctx, s);
      const res = await interaction(payload, opts);
      const viewResponseProblems = options.fake && res.status === 200
        ? options.fake.applyViewSubmissionResponse(String(view.id), res.body === '' ? undefined : res.body)
        : [];
      return { ...res, viewResponseProblems };
    },

    event: (event, opts = {}) => {
      const eventId = opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
      const envelope = eventEnvelope(ctx, fillEvent(options.fake, event), eventId);
      return send(JSON.stringify(envelope), 'application/json', envelope, opts);
    },

    redeliver: (previous, opts) => send(previous.sent.rawBody, previous.sent.contentType, previous.sent.payload, opts),
  };
}
