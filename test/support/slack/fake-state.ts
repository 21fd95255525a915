/**
 * Everything the fake Slack remembers: directory (team, users, groups, channels), messages with their
 * edit history, views and view stacks, files, trigger_ids, response_urls, recorded calls and the
 * failure knobs. Plain data plus small helpers; the method handlers live in web-api-*.ts.
 */
import { randomBytes } from 'node:crypto';

export type Args = Record<string, unknown>;
export type ApiResult = { ok: boolean; [key: string]: unknown };

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_admin: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  profile: { real_name: string; display_name: string; email?: string; bot_id?: string };
}

export interface SlackChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_member: boolean;
  created: number;
  user?: string;
}

export interface MessageVersion {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** ts of the chat.update that produced this version; null for the original post. */
  editedTs: string | null;
}

export interface MessageRecord {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: string[];
  metadata?: unknown;
  /** versions[0] is the original post; every chat.update appends one. */
  versions: MessageVersion[];
}

export interface EphemeralRecord { channel: string; user: string; message_ts: string; thread_ts?: string; text: string; blocks?: unknown[] }

export interface ViewRecord {
  id: string;
  user: string;
  /** The view as Slack returns it (id, hash, state, root_view_id, …): use it to build view_submission payloads. */
  view: Record<string, unknown>;
  /** Every version of the view, oldest first (open/push, then each update). */
  versions: Record<string, unknown>[];
  open: boolean;
  openedWith: 'views.open' | 'views.push' | 'views.publish' | 'response_action';
}

export interface FileRecord {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  user: string;
  created: number;
  /** Length announced to files.getUploadURLExternal (or the real size for files added by a test). */
  length: number;
  bytes: Buffer | null;
  completed: boolean;
  htmlDownload: boolean;
  channels: string[];
  uploadTicket?: string;
}

export interface TriggerRecord { id: string; issuedAt: number; used: boolean; user?: string; viewId?: string }
export interface ResponseUrlRecord { id: string; url: string; issuedAt: number; posts: Array<{ body: unknown; contentType: string; at: number }> }

export interface CallRecord {
  method: string;
  args: Args;
  token: string | null;
  contentType: string;
  status: number;
  response: unknown;
  at: number;
}

export interface FakeState {
  origin: string;
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string };
  tokens: Set<string>;
  users: Map<string, SlackUser>;
  usergroups: Map<string, { id: string; handle: string; users: string[] }>;
  channels: Map<string, SlackChannel>;
  strictChannels: boolean;
  strictActionIds: boolean;
  dms: Map<string, string>;
  messages: Map<string, MessageRecord[]>;
  ephemerals: EphemeralRecord[];
  views: Map<string, ViewRecord>;
  stacks: Map<string, string[]>;
  homes: Map<string, string>;
  files: Map<string, FileRecord>;
  uploads: Map<string, string>;
  triggers: Map<string, TriggerRecord>;
  triggerTtlMs: number;
  responseUrls: Map<string, ResponseUrlRecord>;
  calls: CallRecord[];
  warnings: string[];
  rateLimits: Map<string, { times: number; retryAfterSeconds: number }>;
  failures: Map<string, Array<{ error: string; extra: Record<string, unknown> }>>;
  httpFailures: Map<string, { status: number; times: number }>;
  /** Methods whose next calls are carried out, then answered with an HTTP error (the answer is lost). */
  lostAnswers: Map<string, { status: number; times: number }>;
  /** Messages removed by chat.delete, in order. */
  deleted: MessageRecord[];
  /** While set, file downloads wait for it (a slow download); `downloadsWaiting` counts those waiting. */
  downloadGate: Promise<void> | null;
  downloadsWaiting: number;
  now: () => number;
  nextId: (prefix: string) => string;
  nextTs: () => string;
}

export function createState(opts: { origin: string; now: () => number; team: FakeState['team']; bot: FakeState['bot']; tokens: string[] }): FakeState {
  let seq = 0;
  let lastMicros = 0;
  return {
    origin: opts.origin,
    team: opts.team,
    bot: opts.bot,
    tokens: new Set(opts.tokens),
    users: new Map(),
    usergroups: new Map(),
    channels: new Map(),
    strictChannels: false,
    strictActionIds: false,
    dms: new Map(),
    messages: new Map(),
    ephemerals: [],
    views: new Map(),
    stacks: new Map(),
    homes: new Map(),
    files: new Map(),
    uploads: new Map(),
    triggers: new Map(),
    triggerTtlMs: 3000,
    responseUrls: new Map(),
    calls: [],
    warnings: [],
    rateLimits: new Map(),
    failures: new Map(),
    httpFailures: new Map(),
    lostAnswers: new Map(),
    deleted: [],
    downloadGate: null,
    downloadsWaiting: 0,
    now: opts.now,
    nextId: (prefix) => `${prefix}${(seq += 1).toString(36).toUpperCase().padStart(8, '0')}`,
    // Slack ts: "<unix seconds>.<6 digits>", unique and increasing within a channel.
    nextTs: () => {
      lastMicros = Math.max(lastMicros + 1, Math.floor(opts.now()) * 1000);
      return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
    },
  };
}

export const randomToken = (bytes = 8): string => randomBytes(bytes).toString('hex');

export function makeUser(state: FakeState, u: { id: string; name: string; real_name?: string; tz?: string; is_bot?: boolean; is_admin?: boolean; email?: string }): SlackUser {
  const realName = u.real_name ?? u.name;
  return {
    id: u.id,
    team_id: state.team.id,
    name: u.name,
    real_name: realName,
    deleted: false,
    is_bot: u.is_bot ?? false,
    is_admin: u.is_admin ?? false,
    tz: u.tz ?? 'Europe/London',
    tz_label: u.tz ?? 'Europe/London',
    tz_offset: 0,
    profile: { real_name: realName, display_name: u.name, ...(u.email ? { email: u.email } : {}) },
  };
}

/** Channels: known ones, DMs the fake opened, or (unless strictChannels) any well-formed C/G/D id. */
export function findChannel(state: FakeState, id: unknown): SlackChannel | undefined {
  if (typeof id !== 'string') return undefined;
  const known = state.channels.get(id);
  if (known) return known;
  if (state.strictChannels || !/^[CGD][A-Z0-9]{2,}$/.test(id)) return undefined;
  const channel: SlackChannel = {
    id, name: id.toLowerCase(), is_channel: id.startsWith('C'), is_group: id.startsWith('G'), is_im: id.startsWith('D'),
    is_private: !id.startsWith('C'), is_archived: false, is_member: true, created: Math.floor(state.now() / 1000),
  };
  state.channels.set(id, channel);
  return channel;
}

export function channelMessages(state: FakeState, channel: string): MessageRecord[] {
  let list = state.messages.get(channel);
  if (!list) state.messages.set(channel, (list = []));
  return list;
}

/** The message as Slack returns it in chat.postMessage / conversations.history. */
export function wireMessage(state: FakeState, m: MessageRecord): Record<string, unknown> {
  const replies = m.thread_ts === undefined ? channelMessages(state, m.channel).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts) : [];
  const edited = m.versions.at(-1)?.editedTs;
  return {
    type: 'message',
    user: m.user,
    ...(m.bot_id ? { bot_id: m.bot_id, app_id: state.bot.appId } : {}),
    text: m.text,
    ts: m.ts,
    team: state.team.id,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.files ? { files: m.files.map((id) => state.files.get(id)).filter((f) => f).map((f) => wireFile(state, f as FileRecord)), upload: true } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts, parent_user_id: state.bot.userId } : {}),
    ...(replies.length > 0 ? { thread_ts: m.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts } : {}),
    ...(edited ? { edited: { user: m.user, ts: edited } } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
  };
}

/** A Slack file object, as in files.info and in view_submission `file_input` state. */
export function wireFile(state: FakeState, f: FileRecord): Record<string, unknown> {
  const base = `${state.origin}/files-pri/${state.team.id}-${f.id}`;
  const name = encodeURIComponent(f.name);
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.filetype,
    pretty_type: f.filetype.toUpperCase(),
    user: f.user,
    user_team: state.team.id,
    editable: false,
    size: f.bytes?.length ?? f.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: f.channels.some((c) => c.startsWith('C')),
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${base}/${name}`,
    url_private_download: `${base}/download/${name}`,
    permalink: `https://${state.team.domain}.slack.com/files/${f.user}/${f.id}/${name}`,
    permalink_public: `https://slack-files.com/${state.team.id}-${f.id}-${randomToken(5)}`,
    channels: f.channels.filter((c) => c.startsWith('C')),
    groups: f.channels.filter((c) => c.startsWith('G')),
    ims: f.channels.filter((c) => c.startsWith('D')),
    comments_count: 0,
  };
}

const TYPES: Record<string, [string, string]> = {
  png: ['png', 'image/png'], jpg: ['jpg', 'image/jpeg'], jpeg: ['jpg', 'image/jpeg'], gif: ['gif', 'image/gif'],
  pdf: ['pdf', 'application/pdf'], txt: ['text', 'text/plain'], log: ['text', 'text/plain'], csv: ['csv', 'text/csv'],
  json: ['json', 'application/json'], zip: ['zip', 'application/zip'],
};

/** filetype / mimetype Slack derives from a file name ("evidence.png" -> png, image/png). */
export function typeOfName(name: string): { filetype: string; mimetype: string } {
  const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  const [filetype, mimetype] = TYPES[ext] ?? ['binary', 'application/octet-stream'];
  return { filetype, mimetype };
}

/**
 * Slack fills in a block_id for every block and an action_id for every interactive element the app left
 * without one, and echoes them back in messages and views; state.values is keyed by them.
 */
export function withGeneratedIds(blocks: unknown): unknown {
  if (!Array.isArray(blocks)) return blocks;
  const gen = (): string => randomToken(3);
  const element = (e: unknown): unknown =>
    typeof e === 'object' && e !== null && !('action_id' in e) && isInteractive((e as Record<string, unknown>).type) ? { ...e, action_id: gen() } : e;
  return blocks.map((b) => {
    if (typeof b !== 'object' || b === null) return b;
    const block = { ...(b as Record<string, unknown>) };
    if (block.block_id === undefined) block.block_id = gen();
    if (block.element !== undefined) block.element = element(block.element);
    if (block.accessory !== undefined) block.accessory = element(block.accessory);
    if (block.type === 'actions' && Array.isArray(block.elements)) block.elements = block.elements.map(element);
    return block;
  });
}

const isInteractive = (type: unknown): boolean => typeof type === 'string' && !['image', 'plain_text', 'mrkdwn'].includes(type);
