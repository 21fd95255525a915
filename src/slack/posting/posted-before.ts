/**
 * What the outbox's handlers share: every message the bot posts for an effect carries Slack message metadata
 * naming the effect (and the remediation, for its one message), so a replay can look in the conversation for what
 * an earlier attempt already posted instead of posting it twice; and the Slack refusals that no retry will change.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { EffectRefused } from '../../app/outbox/drain-outbox.js';
import type { Effect } from '../../app/outbox/effects.js';

export const EVENT_TYPE = 'patchwarden_effect';

/** The metadata of a message posted for `effect` (`chat.postMessage`'s `metadata`). */
export const metadataFor = (effect: Pick<Effect, 'id'>, extra: Record<string, string> = {}) => ({
  event_type: EVENT_TYPE,
  event_payload: { effect: effect.id, ...extra },
});

export interface Posted {
  readonly channel: string;
  readonly ts: string;
}

/** The same message (or both none). */
export const samePlace = (a: Posted | null, b: Posted | null): boolean => a?.channel === b?.channel && a?.ts === b?.ts;

/** Slack's word that a message is gone, or elsewhere than we can edit: post a new one. */
export const MESSAGE_GONE = new Set(['message_not_found', 'channel_not_found', 'cant_update_message']);

/** How far back a replay looks: the newest messages of the conversation, this many pages of 200. */
const PAGES = 3;

const history = z.object({
  messages: z
    .array(z.object({ ts: z.string(), metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional() }))
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/**
 * Messages the bot posted in a channel (top level) or a thread whose effect metadata matches, oldest first. Only the
 * newest few hundred are read: a replay follows its first attempt closely.
 */
export async function postedBefore(
  client: WebClient,
  where: { readonly channel: string; readonly thread?: string },
  match: (payload: Readonly<Record<string, unknown>>) => boolean,
): Promise<Posted[]> {
  const found: Posted[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page += 1) {
    const args = { channel: where.channel, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
    const raw = where.thread ? await client.conversations.replies({ ...args, ts: where.thread }) : await client.conversations.history(args);
    const res = history.parse(raw);
    for (const m of res.messages) {
      if (m.metadata?.event_type === EVENT_TYPE && m.metadata.event_payload && match(m.metadata.event_payload)) found.push({ channel: where.channel, ts: m.ts });
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found.sort((a, b) => Number(a.ts) - Number(b.ts));
}

/** The error code of a Slack Web API refusal (`ok: false`), if that is what `e` is. */
export const slackError = (e: unknown): string | undefined => {
  const code = (e as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
};

/** Refusals that retrying cannot change: the effect is given up (and audited) at once. */
const FOR_GOOD = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'cannot_dm_bot', 'invalid_blocks', 'invalid_blocks_format',
  'msg_too_long', 'no_text', 'too_many_attachments', 'invalid_arguments', 'restricted_action',
]);

/** Runs a Slack call; a refusal for good becomes EffectRefused, anything else is thrown as it is (retried). */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const code = slackError(e);
    if (code && FOR_GOOD.has(code)) throw new EffectRefused(code);
    throw e;
  }
}
