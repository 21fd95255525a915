/**
 * The bodies Slack POSTs to an app, field for field: slash commands (form fields), block_actions and
 * view_submission (`payload=<json>`), and Events API envelopes. Shapes follow bolt-js src/types
 * (command, actions/block-action.ts, view/index.ts, events) and docs.slack.dev/interactivity.
 */
import type { FakeSlack } from './fake-slack.js';
import type { MessageRecord, ViewRecord } from './fake-state.js';
import { stateValuesFor, type InputValue, type StateValues } from './state-values.js';

type Json = Record<string, unknown>;

export interface PayloadContext {
  fake?: FakeSlack;
  team: { id: string; domain: string };
  apiAppId: string;
  verificationToken: string;
  botUserId: string;
  now: () => number;
}

export type UserRef = string | { id: string; name?: string };

/** Who Slack says it is in payloads: the fake's team, app and bot when given, else fixed test values. */
export function payloadContext(o: { fake?: FakeSlack; team?: { id: string; domain: string }; apiAppId?: string; verificationToken?: string; now?: () => number }): PayloadContext {
  return {
    ...(o.fake ? { fake: o.fake } : {}),
    team: o.team ?? (o.fake ? { id: o.fake.team.id, domain: o.fake.team.domain } : { id: 'T0FAKE001', domain: 'patchwarden-test' }),
    apiAppId: o.apiAppId ?? o.fake?.bot.appId ?? 'A0APP0001',
    verificationToken: o.verificationToken ?? 'fake-verification-token',
    botUserId: o.fake?.bot.userId ?? 'U0BOT0001',
    now: o.now ?? Date.now,
  };
}

/** Fills what Slack adds to an event the test names briefly (app_home_opened: tab, the DM channel, the home view). */
export function fillEvent(fake: FakeSlack | undefined, event: EventInput): Json {
  const user = typeof event.user === 'string' ? event.user : undefined;
  const filled: Json = { ...event };
  if (event.type === 'app_home_opened' && user) {
    filled.tab ??= 'home';
    if (fake) filled.channel ??= fake.dmChannel(user);
    const home = fake?.homeView(user);
    if (home && filled.tab === 'home') filled.view ??= home.view;
  }
  return filled;
}

export function userOf(ctx: PayloadContext, ref: UserRef): { id: string; username: string; name: string; team_id: string } {
  const id = typeof ref === 'string' ? ref : ref.id;
  const name = (typeof ref === 'string' ? undefined : ref.name) ?? ctx.fake?.user(id)?.name ?? id.toLowerCase();
  return { id, username: name, name, team_id: ctx.team.id };
}

export function channelName(ctx: PayloadContext, id: string): string {
  if (id.startsWith('D')) return 'directmessage';
  return ctx.fake?.channel(id)?.name ?? (id.startsWith('G') ? 'privategroup' : id.toLowerCase());
}

export const slackTs = (ms: number, seq = 0): string => `${Math.floor(ms / 1000)}.${String(((ms % 1000) * 1000 + seq) % 1e6).padStart(6, '0')}`;

export const triggerId = (ctx: PayloadContext, context: { user?: string; viewId?: string }): string =>
  ctx.fake?.issueTriggerId(context) ?? `${Math.floor(ctx.now() / 1000)}.000000.${Math.random().toString(16).slice(2, 18)}`;

export const responseUrl = (ctx: PayloadContext): string =>
  ctx.fake?.createResponseUrl() ?? `https://hooks.slack.com/commands/${ctx.team.id}/0000000000/${Math.random().toString(36).slice(2, 14)}`;

export interface SlashCommandInput {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  response_url?: string;
  trigger_id?: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export function slashCommandFields(ctx: PayloadContext, c: SlashCommandInput): Record<string, string> {
  const user = userOf(ctx, c.user_name ? { id: c.user_id, name: c.user_name } : c.user_id);
  return {
    token: ctx.verificationToken,
    team_id: ctx.team.id,
    team_domain: ctx.team.domain,
    ...(c.enterprise_id ? { enterprise_id: c.enterprise_id, enterprise_name: c.enterprise_name ?? '' } : {}),
    channel_id: c.channel_id,
    channel_name: c.channel_name ?? channelName(ctx, c.channel_id),
    user_id: user.id,
    user_name: user.name,
    command: c.command,
    text: c.text ?? '',
    api_app_id: ctx.apiAppId,
    is_enterprise_install: 'false',
    response_url: c.response_url ?? responseUrl(ctx),
    trigger_id: c.trigger_id ?? triggerId(ctx, { user: c.user_id }),
  };
}

/** Finds the element with this action_id (and block_id, if given) on a message's or view's blocks. */
export function findElement(blocks: unknown, actionId: string, blockId?: string): { block_id: string; element: Json } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks as Json[]) {
    if (blockId !== undefined && b.block_id !== blockId) continue;
    const elements = [b.element, b.accessory, ...(Array.isArray(b.elements) ? b.elements : [])] as unknown[];
    const element = elements.find((e): e is Json => typeof e === 'object' && e !== null && (e as Json).action_id === actionId);
    if (element) return { block_id: String(b.block_id), element };
  }
  return undefined;
}

export interface BlockActionInput {
  user: UserRef;
  action_id: string;
  block_id?: string;
  value?: string;
  /** Extra fields of the action (selected_option, selected_date, …); `type` defaults to the element's. */
  action?: Json;
  /** The message the button is on (from the fake): fills channel, container, message and response_url. */
  message?: MessageRecord;
  /** The view the element is in (from the fake): fills container and view. */
  view?: ViewRecord | Json;
  channel?: string;
  container?: Json;
  state?: Json;
}

export function blockActionPayload(ctx: PayloadContext, a: BlockActionInput): Json {
  const user = userOf(ctx, a.user);
  const view = a.view && 'versions' in a.view ? (a.view as ViewRecord).view : (a.view as Json | undefined);
  const message = a.message ? (ctx.fake?.wireMessage(a.message.channel, a.message.ts) ?? { type: 'message', ts: a.message.ts, text: a.message.text, blocks: a.message.blocks }) : undefined;
  const surfaceBlocks = message?.blocks ?? view?.blocks;
  const found = surfaceBlocks === undefined ? undefined : findElement(surfaceBlocks, a.action_id, a.block_id);
  if (surfaceBlocks !== undefined && !found) {
    throw new Error(`no element with action_id "${a.action_id}"${a.block_id ? ` in block "${a.block_id}"` : ''} on the ${message ? 'message' : 'view'}`);
  }
  const el = found?.element ?? {};
  const channelId = a.channel ?? a.message?.channel;
  const value = a.value ?? el.value;
  const action: Json = {
    type: el.type ?? 'button', action_id: a.action_id, block_id: a.block_id ?? found?.block_id ?? 'block',
    ...(el.text ? { text: el.text } : {}), ...(value !== undefined ? { value } : {}),
    ...(el.style ? { style: el.style } : {}), action_ts: slackTs(ctx.now(), 1), ...a.action,
  };
  const container = a.container ?? (view ? { type: 'view', view_id: view.id }
    : message ? { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false } : { type: 'message' });
  return {
    type: 'block_actions',
    user,
    api_app_id: ctx.apiAppId,
    token: ctx.verificationToken,
    container,
    trigger_id: triggerId(ctx, { user: user.id, ...(view ? { viewId: String(view.id) } : {}) }),
    team: { id: ctx.team.id, domain: ctx.team.domain },
    enterprise: null,
    is_enterprise_install: false,
    ...(channelId ? { channel: { id: channelId, name: channelName(ctx, channelId) } } : {}),
    ...(message ? { message, response_url: responseUrl(ctx) } : {}),
    ...(view ? { view: { ...view, state: { values: a.state ?? {} } } } : { state: { values: a.state ?? {} } }),
    actions: [action],
  };
}

/** A submission as tests give it: `values` is a real state.values map; or `inputs` ({ action_id: value }) built by stateValuesFor. */
export interface ViewSubmissionInput { user: UserRef; view: ViewRecord | Json; values?: StateValues; inputs?: Record<string, InputValue> }
export type EventInput = { type: string; [field: string]: unknown };

/** The submitted view (as the fake holds it) and the view_submission payload for it. */
export function submission(ctx: PayloadContext, s: ViewSubmissionInput): { view: Json; payload: Json } {
  const view = 'versions' in s.view ? (s.view as ViewRecord).view : s.view;
  return { view, payload: viewSubmissionPayload(ctx, s.user, view, s.values ?? stateValuesFor(view, s.inputs ?? {})) };
}

export function viewSubmissionPayload(ctx: PayloadContext, user: UserRef, view: Json, values: Json): Json {
  const u = userOf(ctx, user);
  return {
    type: 'view_submission',
    team: { id: ctx.team.id, domain: ctx.team.domain },
    user: u,
    api_app_id: ctx.apiAppId,
    token: ctx.verificationToken,
    trigger_id: triggerId(ctx, { user: u.id, viewId: String(view.id) }),
    view: { ...view, state: { values } },
    response_urls: [],
    enterprise: null,
    is_enterprise_install: false,
  };
}

export function eventEnvelope(ctx: PayloadContext, event: Json, eventId: string): Json {
  const now = ctx.now();
  return {
    token: ctx.verificationToken,
    team_id: ctx.team.id,
    api_app_id: ctx.apiAppId,
    event: { ...event, event_ts: event.event_ts ?? slackTs(now) },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: ctx.team.id, user_id: ctx.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: ctx.team.id, aid: ctx.apiAppId })).toString('base64url')}`,
  };
}
