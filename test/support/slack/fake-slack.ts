/**
 * A wire-faithful fake of the Slack Web API on a real HTTP server (127.0.0.1, random port).
 *
 *   const slack = await startFakeSlack();
 *   const client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
 *
 * It answers the methods the bot uses with Slack's response shapes and `ok:false` error codes, enforces
 * Block Kit limits, single-use expiring trigger_ids, the v2 file upload flow and authenticated downloads,
 * and lets a test rate-limit or fail any method. See README.md for what is and is not emulated.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createState, findChannel, makeUser, randomToken, typeOfName, wireFile, wireMessage,
  type ApiResult, type CallRecord, type EphemeralRecord, type FakeState, type FileRecord, type MessageRecord,
  type SlackChannel, type SlackUser, type ViewRecord,
} from './fake-state.js';
import { handleDownload, handleResponseUrl, handleUpload } from './http-routes.js';
import { SocketModeHub, type SocketModeFake } from './socket-mode.js';
import { chatHandlers, dmWith, type Handler } from './web-api-chat.js';
import { directoryHandlers } from './web-api-directory.js';
import { historyHandlers } from './web-api-history.js';
import { fileHandlers } from './web-api-files.js';
import { applyViewSubmissionResponse, viewHandlers } from './web-api-views.js';
import { parseApiArgs, readBody, sendJson, sendText, tokenOf } from './wire.js';

export type { SocketAck, SocketConnection, SocketModeFake } from './socket-mode.js';
export type { CallRecord, EphemeralRecord, FileRecord, MessageRecord, SlackChannel, SlackUser, ViewRecord } from './fake-state.js';

export interface FakeSlackOptions {
  /** The bot token the fake accepts (default `xoxb-fake-bot-token`); `extraTokens` are accepted too. */
  botToken?: string;
  extraTokens?: string[];
  team?: Partial<FakeState['team']>;
  bot?: Partial<FakeState['bot']>;
  /** Clock in ms (trigger expiry, ts, timestamps). Default Date.now; `advanceClock` adds to it. */
  now?: () => number;
  /** How long a trigger_id stays usable (Slack: about 3 s). */
  triggerTtlMs?: number;
  /** Reject channel ids that were not registered with addChannel (default: any well-formed C/G/D id exists). */
  strictChannels?: boolean;
  /** Also require action_ids to be unique across a whole message or view (Slack only requires it per block). */
  strictActionIds?: boolean;
  /** The app-level token apps.connections.open accepts (Socket Mode). Default `xapp-1-A0APP0001-1-fake`. */
  appToken?: string;
  /** How often the Socket Mode server pings each connection (Slack: about every 10 s). */
  socketPingIntervalMs?: number;
}

export interface FakeSlack {
  /** The `slackApiUrl` to give WebClient / Bolt's clientOptions: `http://127.0.0.1:<port>/api/`. */
  url: string;
  origin: string;
  botToken: string;
  team: FakeState['team'];
  bot: FakeState['bot'];
  close(): Promise<void>;

  calls(method?: string): CallRecord[];
  /** Things Slack would silently accept but that are probably bugs (e.g. a thread_ts that is no message). */
  warnings(): string[];
  /** Top-level messages of a channel, oldest first; each carries its `versions` (original + every chat.update). */
  messages(channel: string): MessageRecord[];
  replies(channel: string, threadTs: string): MessageRecord[];
  message(channel: string, ts: string): MessageRecord | undefined;
  /** A message as Slack puts it in payloads and API responses (type, user, bot_id, text, blocks, ts, thread info…). */
  wireMessage(channel: string, ts: string): Record<string, unknown> | undefined;
  user(id: string): SlackUser | undefined;
  /** The id of the bot's DM with this user (opened on first use, as conversations.open would). */
  dmChannel(user: string): string;
  channel(id: string): SlackChannel | undefined;
  ephemerals(filter?: { channel?: string; user?: string }): EphemeralRecord[];
  /** Modals in the order they were opened or pushed. */
  views(filter?: { callbackId?: string; user?: string; open?: boolean }): ViewRecord[];
  view(id: string): ViewRecord | undefined;
  /** The user's current modal stack, bottom first. */
  openViews(user: string): ViewRecord[];
  homeView(user: string): ViewRecord | undefined;
  files(): FileRecord[];
  /** What the bot posted to response_urls (all of them, or the one given). */
  responses(responseUrl?: string): Array<{ url: string; body: unknown; contentType: string; at: number }>;

  addUser(user: { id: string; name: string; real_name?: string; tz?: string; is_bot?: boolean; is_admin?: boolean; email?: string }): SlackUser;
  addUsergroup(group: { id: string; handle: string; users: string[] }): void;
  addChannel(channel: { id: string; name: string; is_private?: boolean; is_archived?: boolean }): SlackChannel;
  /** Registers a file as if a user uploaded it (e.g. through a file_input); returns the Slack file object. */
  addFile(file: { name: string; bytes: Buffer | string; user: string; mimetype?: string; filetype?: string; title?: string }): Record<string, unknown>;

  issueTriggerId(context?: { user?: string; viewId?: string }): string;
  createResponseUrl(): string;
  applyViewSubmissionResponse(viewId: string, ackBody: unknown): string[];

  rateLimit(method: string, opts?: { times?: number; retryAfterSeconds?: number }): void;
  failNext(method: string, error: string, extra?: Record<string, unknown>): void;
  failHttp(method: string, status: number, times?: number): void;
  /** The next `times` calls of `method` are carried out, then answered with HTTP `status` (Slack did it; the answer got lost). */
  loseAnswer(method: string, status?: number, times?: number): void;
  /** Messages the bot deleted (chat.delete), in order. */
  deleted(): MessageRecord[];
  /** File downloads wait until `release()` (a slow download); `waiting()` is how many are waiting now. */
  holdDownloads(): { release(): void; waiting(): number };
  /** Make url_private(_download) of this file return the HTML sign-in page even with a valid token. */
  nonFileDownload(fileId: string, on?: boolean): void;
  advanceClock(ms: number): void;
  /** Slack's side of Socket Mode (apps.connections.open, the WebSocket, envelopes and acks): socket-mode.ts. */
  socketMode: SocketModeFake;
}

const HANDLERS: Record<string, Handler> = { ...chatHandlers, ...viewHandlers, ...directoryHandlers, ...fileHandlers, ...historyHandlers };

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  let offset = 0;
  const botToken = opts.botToken ?? 'xoxb-fake-bot-token';
  const state = createState({
    origin: '',
    now: () => (opts.now ?? Date.now)() + offset,
    team: { id: 'T0FAKE001', name: 'Patchwarden Test', domain: 'patchwarden-test', ...opts.team },
    bot: { userId: 'U0BOT0001', botId: 'B0BOT0001', appId: 'A0APP0001', name: 'patchwarden', ...opts.bot },
    tokens: [botToken, ...(opts.extraTokens ?? [])],
  });
  state.triggerTtlMs = opts.triggerTtlMs ?? 3000;
  state.strictChannels = opts.strictChannels ?? false;
  state.strictActionIds = opts.strictActionIds ?? false;
  state.users.set(state.bot.userId, { ...makeUser(state, { id: state.bot.userId, name: state.bot.name, is_bot: true }), profile: { real_name: state.bot.name, display_name: state.bot.name, bot_id: state.bot.botId } });

  const appId = state.bot.appId;
  const socketMode = new SocketModeHub(opts.appToken ?? `xapp-1-${appId}-1-fake`, appId, () => state.origin, (w) => state.warnings.push(w), opts.socketPingIntervalMs);
  const server = createServer((req, res) => {
    route(state, socketMode, req, res).catch((error: unknown) => {
      state.warnings.push(`fake crashed on ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'fake slack error');
    });
  });
  server.on('upgrade', (req, socket, head) => socketMode.upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;

  return {
    url: `${state.origin}/api/`,
    origin: state.origin,
    botToken,
    team: state.team,
    bot: state.bot,
    close: () => socketMode.close().then(() => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })),
    calls: (method) => state.calls.filter((c) => method === undefined || c.method === method),
    warnings: () => [...state.warnings],
    messages: (channel) => (state.messages.get(channel) ?? []).filter((m) => m.thread_ts === undefined),
    replies: (channel, threadTs) => (state.messages.get(channel) ?? []).filter((m) => m.thread_ts === threadTs),
    message: (channel, ts) => state.messages.get(channel)?.find((m) => m.ts === ts),
    wireMessage: (channel, ts) => {
      const m = state.messages.get(channel)?.find((x) => x.ts === ts);
      return m ? wireMessage(state, m) : undefined;
    },
    user: (id) => state.users.get(id),
    dmChannel: (user) => dmWith(state, user),
    channel: (id) => findChannel(state, id),
    ephemerals: (f = {}) => state.ephemerals.filter((e) => (f.channel === undefined || e.channel === f.channel) && (f.user === undefined || e.user === f.user)),
    views: (f = {}) => [...state.views.values()].filter((v) => v.openedWith !== 'views.publish'
      && (f.callbackId === undefined || v.view.callback_id === f.callbackId) && (f.user === undefined || v.user === f.user) && (f.open === undefined || v.open === f.open)),
    view: (id) => state.views.get(id),
    openViews: (user) => (state.stacks.get(user) ?? []).map((id) => state.views.get(id)).filter((v): v is ViewRecord => v !== undefined),
    homeView: (user) => state.views.get(state.homes.get(user) ?? ''),
    files: () => [...state.files.values()],
    responses: (url) => [...state.responseUrls.values()].filter((r) => url === undefined || r.url === url || r.id === url)
      .flatMap((r) => r.posts.map((p) => ({ url: r.url, ...p }))),

    addUser: (u) => {
      const user = makeUser(state, u);
      state.users.set(u.id, user);
      return user;
    },
    addUsergroup: (g) => void state.usergroups.set(g.id, { ...g, users: [...g.users] }),
    addChannel: (c) => {
      const channel: SlackChannel = { id: c.id, name: c.name, is_channel: !c.is_private, is_group: c.is_private ?? false, is_im: false,
        is_private: c.is_private ?? false, is_archived: c.is_archived ?? false, is_member: true, created: Math.floor(state.now() / 1000) };
      state.channels.set(c.id, channel);
      return channel;
    },
    addFile: (f) => {
      const bytes = Buffer.isBuffer(f.bytes) ? f.bytes : Buffer.from(f.bytes, 'utf8');
      const guessed = typeOfName(f.name);
      const record: FileRecord = {
        id: state.nextId('F'), name: f.name, title: f.title ?? f.name, mimetype: f.mimetype ?? guessed.mimetype, filetype: f.filetype ?? guessed.filetype,
        user: f.user, created: Math.floor(state.now() / 1000), length: bytes.length, bytes, completed: true, htmlDownload: false, channels: [],
      };
      state.files.set(record.id, record);
      return wireFile(state, record);
    },

    issueTriggerId: (context = {}) => {
      const id = `${Math.floor(state.now() / 1000)}.${String(state.calls.length + state.triggers.size).padStart(6, '0')}.${randomToken(16)}`;
      state.triggers.set(id, { id, issuedAt: state.now(), used: false, ...context });
      return id;
    },
    createResponseUrl: () => {
      const id = `${state.team.id}/${randomToken(6)}/${randomToken(12)}`;
      const url = `${state.origin}/response-url/${id}`;
      state.responseUrls.set(id, { id, url, issuedAt: state.now(), posts: [] });
      return url;
    },
    applyViewSubmissionResponse: (viewId, ackBody) => applyViewSubmissionResponse(state, viewId, ackBody),

    rateLimit: (method, o = {}) => void state.rateLimits.set(method, { times: o.times ?? 1, retryAfterSeconds: o.retryAfterSeconds ?? 1 }),
    failNext: (method, error, extra = {}) => {
      const queue = state.failures.get(method) ?? [];
      queue.push({ error, extra });
      state.failures.set(method, queue);
    },
    failHttp: (method, status, times = 1) => void state.httpFailures.set(method, { status, times }),
    loseAnswer: (method, status = 503, times = 1) => void state.lostAnswers.set(method, { status, times }),
    deleted: () => [...state.deleted],
    holdDownloads: () => {
      let release = (): void => undefined;
      state.downloadGate = new Promise<void>((done) => (release = done));
      return {
        release: () => {
          state.downloadGate = null;
          release();
        },
        waiting: () => state.downloadsWaiting,
      };
    },
    nonFileDownload: (fileId, on = true) => {
      const record = state.files.get(fileId);
      if (!record) throw new Error(`nonFileDownload: unknown file ${fileId}`);
      record.htmlDownload = on;
    },
    advanceClock: (ms) => void (offset += ms),
    socketMode,
  };
}

async function route(state: FakeState, socketMode: SocketModeHub, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', state.origin).pathname;
  const raw = await readBody(req);
  const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
  if (api && (req.method === 'POST' || req.method === 'GET')) return webApi(state, socketMode, req, res, api[1] as string, raw);
  const upload = /^\/upload\/v1\/([a-f0-9]+)$/.exec(path);
  if (upload && req.method === 'POST') return handleUpload(state, req, res, upload[1] as string, raw);
  const download = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(?:download\/)?[^/]+$/.exec(path);
  if (download && req.method === 'GET') {
    if (state.downloadGate) {
      state.downloadsWaiting += 1;
      await state.downloadGate;
      state.downloadsWaiting -= 1;
    }
    return handleDownload(state, req, res, download[1] as string);
  }
  const responseUrl = /^\/response-url\/(.+)$/.exec(path);
  if (responseUrl && req.method === 'POST') return handleResponseUrl(state, req, res, responseUrl[1] as string, raw);
  sendText(res, 404, 'not found');
}

async function webApi(state: FakeState, socketMode: SocketModeHub, req: IncomingMessage, res: ServerResponse, method: string, raw: Buffer): Promise<void> {
  const parsed = await parseApiArgs(req, raw);
  const args = parsed.ok ? parsed.args : {};
  const token = parsed.ok ? tokenOf(req, parsed) : null;
  const record: CallRecord = { method, args, token, contentType: String(req.headers['content-type'] ?? ''), status: 200, response: null, at: state.now() };
  state.calls.push(record);
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    record.status = status;
    record.response = body;
    if (typeof body === 'string') sendText(res, status, body);
    else sendJson(res, status, body, headers);
  };

  const http = state.httpFailures.get(method);
  if (http && http.times > 0) {
    http.times -= 1;
    return answer(http.status, `${http.status} fake upstream failure`);
  }
  const limit = state.rateLimits.get(method);
  if (limit && limit.times > 0) {
    limit.times -= 1;
    return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfterSeconds) });
  }
  if (!parsed.ok) return answer(200, { ok: false, error: parsed.error });
  if (token === null) return answer(200, { ok: false, error: 'not_authed' });
  const appLevel = socketMode.authorize(method, token, state.tokens.has(token));
  if (appLevel ? !appLevel.ok : !state.tokens.has(token)) return answer(200, appLevel ?? { ok: false, error: 'invalid_auth' });
  const failure = state.failures.get(method)?.shift();
  if (failure) return answer(200, { ok: false, error: failure.error, ...failure.extra });
  if (appLevel) return answer(200, socketMode.open());
  const handler = HANDLERS[method];
  if (!handler) {
    state.warnings.push(`${method} is not emulated by the fake`);
    return answer(200, { ok: false, error: 'unknown_method' });
  }
  const result: ApiResult = handler(state, args);
  const lost = state.lostAnswers.get(method);
  if (lost && lost.times > 0) {
    lost.times -= 1;
    return answer(lost.status, `${lost.status} upstream timed out after doing it`);
  }
  answer(200, result);
}
