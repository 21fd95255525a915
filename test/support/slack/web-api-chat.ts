/**
 * chat.postMessage, chat.update, chat.postEphemeral, chat.getPermalink — with Slack's response shapes and
 * error codes, Block Kit limits enforced on every message (also reused for response_url posts).
 */
import { formatProblem, LIMITS, validateMessageBlocks, type BlockKitProblem } from './block-kit-limits.js';
import { channelMessages, findChannel, wireMessage, withGeneratedIds, type ApiResult, type Args, type FakeState, type MessageRecord } from './fake-state.js';
import { jsonArg, str } from './wire.js';

export type Handler = (state: FakeState, args: Args) => ApiResult;

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({ ok: false, error, ...extra });

export function problemsResult(error: string, problems: BlockKitProblem[]): ApiResult {
  const messages = problems.map(formatProblem);
  return fail(error, { errors: messages.map((m) => m.replace(/^\[ERROR\] /, '')), response_metadata: { messages } });
}

interface Content { text?: string; blocks?: unknown[]; attachments?: unknown[] }

/** Decodes and checks text / blocks / attachments the way Slack does before posting or updating a message. */
export function messageContent(state: FakeState, args: Args, requireSomething: boolean): { ok: true; content: Content } | { ok: false; result: ApiResult } {
  const content: Content = {};
  const blocks = jsonArg(args, 'blocks');
  if (blocks.present) {
    if ('invalid' in blocks || !Array.isArray(blocks.value)) return { ok: false, result: fail('invalid_blocks_format') };
    const problems = validateMessageBlocks(blocks.value, { strictActionIds: state.strictActionIds });
    if (problems.length > 0) return { ok: false, result: problemsResult('invalid_blocks', problems) };
    content.blocks = withGeneratedIds(blocks.value) as unknown[];
  }
  const attachments = jsonArg(args, 'attachments');
  if (attachments.present) {
    if ('invalid' in attachments || !Array.isArray(attachments.value)) return { ok: false, result: fail('invalid_attachments') };
    if (attachments.value.length > 100) return { ok: false, result: fail('too_many_attachments') };
    const problems = attachments.value.flatMap((a, i) => {
      const inner = typeof a === 'object' && a !== null ? (a as Record<string, unknown>).blocks : undefined;
      return inner === undefined ? [] : validateMessageBlocks(inner, { pointer: `/attachments/${i}` });
    });
    if (problems.length > 0) return { ok: false, result: problemsResult('invalid_blocks', problems) };
    content.attachments = attachments.value;
  }
  const text = str(args, 'text');
  if (text !== undefined) {
    if (Array.from(text).length > LIMITS.messageText) return { ok: false, result: fail('msg_too_long') };
    content.text = text;
  }
  const empty = (content.text ?? '') === '' && !content.blocks?.length && !content.attachments?.length;
  if (requireSomething && empty) return { ok: false, result: fail('no_text') };
  return { ok: true, content };
}

/** A channel argument: a C/G/D id, or a user id (Slack posts to the DM with that user). */
function resolveChannel(state: FakeState, channel: string | undefined): string | undefined {
  if (channel && /^[UW][A-Z0-9]+$/.test(channel) && state.users.has(channel)) return dmWith(state, channel);
  return findChannel(state, channel)?.id;
}

export function dmWith(state: FakeState, user: string): string {
  let id = state.dms.get(user);
  if (!id) {
    id = state.nextId('D');
    state.dms.set(user, id);
    state.channels.set(id, { id, name: id.toLowerCase(), is_channel: false, is_group: false, is_im: true, is_private: true,
      is_archived: false, is_member: true, created: Math.floor(state.now() / 1000), user });
  }
  return id;
}

export const findMessage = (state: FakeState, channel: string, ts: string | undefined): MessageRecord | undefined =>
  ts === undefined ? undefined : channelMessages(state, channel).find((m) => m.ts === ts);

export function postMessage(state: FakeState, channel: string, content: Content, extra: Partial<MessageRecord> = {}): MessageRecord {
  const text = content.text ?? '';
  const message: MessageRecord = {
    channel, ts: state.nextTs(), user: state.bot.userId, bot_id: state.bot.botId, text,
    ...(content.blocks ? { blocks: content.blocks } : {}), ...(content.attachments ? { attachments: content.attachments } : {}),
    ...extra,
    versions: [{ text, blocks: content.blocks, attachments: content.attachments, editedTs: null }],
  };
  channelMessages(state, channel).push(message);
  return message;
}

/** thread_ts of a reply resolves to its parent; an unknown one posts to the channel, as Slack does (with a warning). */
export function threadParent(state: FakeState, channel: string, threadTs: string | undefined, method: string): string | undefined {
  if (threadTs === undefined || threadTs === '') return undefined;
  const parent = findMessage(state, channel, threadTs);
  if (!parent) {
    state.warnings.push(`${method}: thread_ts ${threadTs} is not a message in ${channel}; Slack posts it to the channel instead`);
    return undefined;
  }
  return parent.thread_ts ?? parent.ts;
}

export const chatHandlers: Record<string, Handler> = {
  'chat.postMessage': (state, args) => {
    const channel = resolveChannel(state, str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const checked = messageContent(state, args, true);
    if (!checked.ok) return checked.result;
    const threadTs = threadParent(state, channel, str(args, 'thread_ts'), 'chat.postMessage');
    const metadata = jsonArg(args, 'metadata');
    const message = postMessage(state, channel, checked.content, {
      ...(threadTs ? { thread_ts: threadTs } : {}), ...(metadata.present && 'value' in metadata ? { metadata: metadata.value } : {}),
    });
    return { ok: true, channel, ts: message.ts, message: wireMessage(state, message) };
  },

  'chat.update': (state, args) => {
    const channel = resolveChannel(state, str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const message = findMessage(state, channel, str(args, 'ts'));
    if (!message) return fail('message_not_found');
    if (message.user !== state.bot.userId) return fail('cant_update_message');
    const checked = messageContent(state, args, false);
    if (!checked.ok) return checked.result;
    const { text, blocks, attachments } = checked.content;
    if (text !== undefined) message.text = text;
    if (blocks !== undefined) message.blocks = blocks;
    if (attachments !== undefined) message.attachments = attachments;
    message.versions.push({ text: message.text, blocks: message.blocks, attachments: message.attachments, editedTs: state.nextTs() });
    return { ok: true, channel, ts: message.ts, text: message.text, message: wireMessage(state, message) };
  },

  'chat.postEphemeral': (state, args) => {
    const channel = resolveChannel(state, str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const user = str(args, 'user');
    if (!user || !state.users.has(user)) return fail('user_not_in_channel');
    const checked = messageContent(state, args, true);
    if (!checked.ok) return checked.result;
    const messageTs = state.nextTs();
    const threadTs = str(args, 'thread_ts');
    state.ephemerals.push({ channel, user, message_ts: messageTs, text: checked.content.text ?? '',
      ...(checked.content.blocks ? { blocks: checked.content.blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) });
    return { ok: true, message_ts: messageTs };
  },

  'chat.getPermalink': (state, args) => {
    const channel = findChannel(state, str(args, 'channel'))?.id;
    if (!channel) return fail('channel_not_found');
    const message = findMessage(state, channel, str(args, 'message_ts'));
    if (!message) return fail('message_not_found');
    const base = `https://${state.team.domain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
    const permalink = message.thread_ts ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base;
    return { ok: true, channel, permalink };
  },
};
