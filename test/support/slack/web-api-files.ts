/**
 * The v2 upload flow (files.getUploadURLExternal -> POST bytes to upload_url -> files.completeUploadExternal)
 * and files.info. The upload POST itself and url_private downloads are served by http-routes.ts.
 */
import { validateMessageBlocks } from './block-kit-limits.js';
import { findChannel, randomToken, typeOfName, wireFile, type FileRecord } from './fake-state.js';
import { fail, postMessage, problemsResult, threadParent, type Handler } from './web-api-chat.js';
import { jsonArg, str } from './wire.js';

const missing = (field: string) => fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${field}`] } });

export const fileHandlers: Record<string, Handler> = {
  'files.getUploadURLExternal': (state, args) => {
    const filename = str(args, 'filename');
    if (!filename) return missing('filename');
    const lengthArg = str(args, 'length');
    if (lengthArg === undefined || lengthArg === '') return missing('length');
    const length = Number(lengthArg);
    if (!Number.isInteger(length) || length < 0) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] length must be an integer'] } });
    if (length === 0) return fail('missing_argument');
    if ((str(args, 'alt_text') ?? '').length > 1000) return fail('alt_txt_too_large');
    const id = state.nextId('F');
    const ticket = randomToken(12);
    const record: FileRecord = {
      id, name: filename, title: filename, ...typeOfName(filename), user: state.bot.userId, created: Math.floor(state.now() / 1000),
      length, bytes: null, completed: false, htmlDownload: false, channels: [], uploadTicket: ticket,
    };
    state.files.set(id, record);
    state.uploads.set(ticket, id);
    return { ok: true, upload_url: `${state.origin}/upload/v1/${ticket}`, file_id: id };
  },

  'files.completeUploadExternal': (state, args) => {
    const files = jsonArg(args, 'files');
    if (!files.present) return missing('files');
    if ('invalid' in files || !Array.isArray(files.value) || files.value.length === 0) return fail('invalid_arguments');
    const entries = files.value as Array<{ id?: unknown; title?: unknown }>;
    const records = entries.map((f) => state.files.get(String(f.id)));
    // A file id that was never handed out, already completed, or whose bytes never arrived at upload_url.
    if (records.some((r) => !r || r.completed || r.bytes === null)) return fail('file_not_found');
    const channelArg = str(args, 'channel_id');
    const channel = channelArg ? findChannel(state, channelArg)?.id : undefined;
    if (channelArg && !channel) return fail('invalid_channel');
    const blocks = jsonArg(args, 'blocks');
    if (blocks.present) {
      if ('invalid' in blocks || !Array.isArray(blocks.value)) return fail('invalid_blocks_format');
      const problems = validateMessageBlocks(blocks.value);
      if (problems.length > 0) return problemsResult('invalid_blocks', problems);
    }
    const done = records as FileRecord[];
    done.forEach((r, i) => {
      const title = entries[i]?.title;
      if (typeof title === 'string' && title !== '') r.title = title;
      r.completed = true;
      if (channel) r.channels.push(channel);
    });
    if (channel) {
      const threadTs = threadParent(state, channel, str(args, 'thread_ts'), 'files.completeUploadExternal');
      postMessage(state, channel, { text: str(args, 'initial_comment') ?? '', ...(blocks.present && 'value' in blocks ? { blocks: blocks.value as unknown[] } : {}) },
        { files: done.map((r) => r.id), ...(threadTs ? { thread_ts: threadTs } : {}) });
    }
    return { ok: true, files: done.map((r) => wireFile(state, r)) };
  },

  'files.info': (state, args) => {
    const record = state.files.get(str(args, 'file') ?? '');
    if (!record || !record.completed) return fail('file_not_found');
    return { ok: true, file: wireFile(state, record), comments: [], response_metadata: { next_cursor: '' } };
  },
};
