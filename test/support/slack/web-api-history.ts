/**
 * conversations.history, conversations.replies and chat.delete: reading back what was posted (newest first for
 * history, the parent then its replies oldest first for replies), `limit` and an opaque `next_cursor`, message
 * `metadata` only when `include_all_metadata` is true, as Slack does.
 */
import { channelMessages, findChannel, wireMessage, type ApiResult, type FakeState, type MessageRecord } from './fake-state.js';
import { fail, findMessage, type Handler } from './web-api-chat.js';
import { str } from './wire.js';

/** Slack's own default and cap for these lists. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

function page(state: FakeState, args: Record<string, unknown>, messages: readonly MessageRecord[]): ApiResult {
  const limit = Math.min(Math.max(Number(str(args, 'limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1), MAX_LIMIT);
  const cursor = str(args, 'cursor');
  const from = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, '')) : 0;
  if (cursor && !Number.isInteger(from)) return fail('invalid_cursor');
  const withMetadata = str(args, 'include_all_metadata') === 'true';
  const slice = messages.slice(from, from + limit).map((m) => {
    const { metadata: _m, ...rest } = wireMessage(state, m);
    return withMetadata && m.metadata ? { ...rest, metadata: m.metadata } : rest;
  });
  const more = from + limit < messages.length;
  return {
    ok: true,
    messages: slice,
    has_more: more,
    ...(more ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${from + limit}`).toString('base64') } } : {}),
  };
}

export const historyHandlers: Record<string, Handler> = {
  'conversations.history': (state, args) => {
    const channel = findChannel(state, str(args, 'channel'))?.id;
    if (!channel) return fail('channel_not_found');
    const top = channelMessages(state, channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    return page(state, args, [...top].reverse());
  },

  'conversations.replies': (state, args) => {
    const channel = findChannel(state, str(args, 'channel'))?.id;
    if (!channel) return fail('channel_not_found');
    const parent = findMessage(state, channel, str(args, 'ts'));
    if (!parent) return fail('thread_not_found');
    const root = parent.thread_ts ?? parent.ts;
    const thread = channelMessages(state, channel).filter((m) => m.ts === root || m.thread_ts === root);
    return page(state, args, thread);
  },

  'chat.delete': (state, args) => {
    const channel = findChannel(state, str(args, 'channel'))?.id;
    if (!channel) return fail('channel_not_found');
    const list = channelMessages(state, channel);
    const at = list.findIndex((m) => m.ts === str(args, 'ts'));
    if (at < 0) return fail('message_not_found');
    if (list[at]!.user !== state.bot.userId) return fail('cant_delete_message');
    const [gone] = list.splice(at, 1);
    state.deleted.push(gone!);
    return { ok: true, channel, ts: gone!.ts };
  },
};
