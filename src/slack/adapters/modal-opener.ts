/**
 * views.open within what a trigger allows. Slack's trigger_id is good for about 3 s and once, so the Web API
 * client's usual retries (ten over half an hour) would only end in `expired_trigger_id` long after the person gave
 * up, with nothing said meanwhile. This client of its own retries twice within the trigger's life; when Slack still
 * does not open the form (down, rate limiting, the trigger gone), the person is told so in a sentence (a Refusal:
 * nothing was changed, press the button again). Anything else (a view Slack refuses) stays an error, logged.
 */
import { WebClient, type View, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config.js';
import { boltLogger, type Logger } from '../../logger.js';
import { Refusal } from '../refusal.js';

export type OpenModal = (triggerId: string, view: View) => Promise<void>;

/** Two retries, well inside a trigger's three seconds (a longer Retry-After is waited out, then the trigger has expired). */
export const TRIGGER_RETRIES = { retries: 2, factor: 1, minTimeout: 300, maxTimeout: 500 };

/** Slack's answers that say it did not, or could not in time, open the form; the others are ours to fix. */
const NOT_OPENED = new Set(['expired_trigger_id', 'exchanged_trigger_id', 'ratelimited', 'service_unavailable', 'fatal_error', 'internal_error', 'request_timeout']);

/** What Slack answered, in a few words, when it is one of those; null for anything else. */
export function notOpenedReason(e: unknown): string | null {
  const { code, data, statusCode, message } = e as { code?: string; data?: { error?: unknown }; statusCode?: number; message?: string };
  if (code === 'slack_webapi_platform_error') return typeof data?.error === 'string' && NOT_OPENED.has(data.error) ? `“${data.error}”` : null;
  if (code === 'slack_webapi_http_error') return `HTTP ${statusCode ?? 'error'}`;
  if (code === 'slack_webapi_rate_limited_error' || /rate limit was exceeded/i.test(message ?? '')) return '“ratelimited”';
  if (code === 'slack_webapi_request_error') return 'nothing: no answer';
  return null;
}

export function createModalOpener(client: WebClient): OpenModal {
  return async (triggerId, view) => {
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (e) {
      const reason = notOpenedReason(e);
      if (reason === null) throw e;
      throw new Refusal({ code: 'slack.modal_not_opened', reason });
    }
  };
}

/** The client views.open goes through: the bot's token and API URL, its own short retries (tests may set theirs). */
export function modalClient(config: Pick<Config, 'slack'>, logger: Logger, options: WebClientOptions = {}): WebClient {
  return new WebClient(config.slack.botToken, {
    ...options,
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    retryConfig: options.retryConfig ?? TRIGGER_RETRIES,
  });
}
