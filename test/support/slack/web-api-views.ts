/**
 * views.open / views.push / views.update / views.publish, single-use expiring trigger_ids, modal stacks
 * (at most 3 views), hash checks, and what a view_submission ack (`response_action`) does to the stack.
 */
import { formatProblem, validateView } from './block-kit-limits.js';
import type { ApiResult, Args, FakeState, TriggerRecord, ViewRecord } from './fake-state.js';
import { randomToken, withGeneratedIds } from './fake-state.js';
import { fail, problemsResult, type Handler } from './web-api-chat.js';
import { jsonArg, str } from './wire.js';

const MAX_STACK = 3;

type Checked<T> = { ok: true; value: T } | { ok: false; result: ApiResult };

function viewArg(state: FakeState, args: Args): Checked<Record<string, unknown>> {
  const arg = jsonArg(args, 'view');
  if (!arg.present) return { ok: false, result: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } }) };
  if ('invalid' in arg || typeof arg.value !== 'object' || arg.value === null) return { ok: false, result: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be a JSON object'] } }) };
  const view = arg.value as Record<string, unknown>;
  const problems = validateView(view, { strictActionIds: state.strictActionIds });
  if (problems.some((p) => p.code === 'view_too_large')) return { ok: false, result: fail('view_too_large') };
  if (problems.length > 0) return { ok: false, result: problemsResult('invalid_arguments', problems) };
  return { ok: true, value: view };
}

function useTrigger(state: FakeState, args: Args): Checked<TriggerRecord> {
  const id = str(args, 'trigger_id') ?? str(args, 'interactivity_pointer');
  if (!id) return { ok: false, result: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } }) };
  const trigger = state.triggers.get(id);
  if (!trigger) return { ok: false, result: fail('invalid_trigger_id') };
  if (trigger.used) return { ok: false, result: fail('exchanged_trigger_id') };
  if (state.now() - trigger.issuedAt > state.triggerTtlMs) return { ok: false, result: fail('expired_trigger_id') };
  trigger.used = true;
  return { ok: true, value: trigger };
}

const newHash = (state: FakeState): string => `${Math.floor(state.now() / 1000)}.${randomToken(4)}`;

function duplicateExternalId(state: FakeState, view: Record<string, unknown>, except?: string): boolean {
  const ext = view.external_id;
  if (typeof ext !== 'string' || ext === '') return false;
  return [...state.views.values()].some((v) => v.id !== except && v.open && v.view.external_id === ext);
}

/** The view as Slack echoes it back: the app's fields plus id, hash, state, root/previous ids, app/bot ids. */
function wireView(state: FakeState, view: Record<string, unknown>, id: string, root: string, previous: string | null): Record<string, unknown> {
  const isModal = view.type !== 'home';
  return {
    id, team_id: state.team.id, type: view.type, blocks: withGeneratedIds(view.blocks ?? []),
    ...(isModal ? { title: view.title, ...(view.submit ? { submit: view.submit } : {}), close: view.close ?? { type: 'plain_text', text: 'Cancel', emoji: true } } : {}),
    private_metadata: view.private_metadata ?? '', callback_id: view.callback_id ?? '', external_id: view.external_id ?? '',
    state: { values: {} }, hash: newHash(state),
    ...(isModal ? { clear_on_close: view.clear_on_close ?? false, notify_on_close: view.notify_on_close ?? false, submit_disabled: false } : {}),
    root_view_id: root, previous_view_id: previous, app_id: state.bot.appId, app_installed_team_id: state.team.id, bot_id: state.bot.botId,
  };
}

function createView(state: FakeState, view: Record<string, unknown>, user: string, stack: string[] | null, via: ViewRecord['openedWith']): ViewRecord {
  const id = state.nextId('V');
  const root = stack?.[0] ?? id;
  const wire = wireView(state, view, id, root, stack?.at(-1) ?? null);
  const record: ViewRecord = { id, user, view: wire, versions: [wire], open: true, openedWith: via };
  state.views.set(id, record);
  stack?.push(id);
  return record;
}

function replaceView(state: FakeState, record: ViewRecord, view: Record<string, unknown>): void {
  const wire = wireView(state, view, record.id, String(record.view.root_view_id), (record.view.previous_view_id as string | null) ?? null);
  record.view = wire;
  record.versions.push(wire);
}

/** The stack a trigger belongs to: the one holding the view it came from, else the user's current stack. */
function stackFor(state: FakeState, trigger: TriggerRecord): string[] | undefined {
  const fromView = trigger.viewId ? state.views.get(trigger.viewId) : undefined;
  const user = fromView?.user ?? trigger.user;
  return user === undefined ? undefined : state.stacks.get(user);
}

function closeStack(state: FakeState, user: string, keep = 0): void {
  const stack = state.stacks.get(user) ?? [];
  for (const id of stack.splice(keep)) {
    const v = state.views.get(id);
    if (v) v.open = false;
  }
}

export const viewHandlers: Record<string, Handler> = {
  'views.open': (state, args) => {
    const view = viewArg(state, args);
    if (!view.ok) return view.result;
    if (view.value.type !== 'modal') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] views.open only opens modal views [json-pointer:/view/type]'] } });
    if (duplicateExternalId(state, view.value)) return fail('duplicate_external_id');
    const trigger = useTrigger(state, args);
    if (!trigger.ok) return trigger.result;
    const user = trigger.value.user ?? 'UNKNOWN';
    closeStack(state, user);
    const stack: string[] = [];
    state.stacks.set(user, stack);
    return { ok: true, view: createView(state, view.value, user, stack, 'views.open').view };
  },

  'views.push': (state, args) => {
    const view = viewArg(state, args);
    if (!view.ok) return view.result;
    if (duplicateExternalId(state, view.value)) return fail('duplicate_external_id');
    const trigger = useTrigger(state, args);
    if (!trigger.ok) return trigger.result;
    const stack = stackFor(state, trigger.value);
    if (!stack || stack.length === 0) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] no open view to push onto'] } });
    if (stack.length >= MAX_STACK) return fail('push_limit_reached');
    const owner = state.views.get(stack[0] ?? '')?.user ?? 'UNKNOWN';
    return { ok: true, view: createView(state, view.value, owner, stack, 'views.push').view };
  },

  'views.update': (state, args) => {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    if (!viewId && !externalId) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] must provide view_id or external_id'] } });
    const record = [...state.views.values()].find((v) => v.open && (viewId ? v.id === viewId : v.view.external_id === externalId));
    if (!record) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== record.view.hash) return fail('hash_conflict');
    const view = viewArg(state, args);
    if (!view.ok) return view.result;
    if (duplicateExternalId(state, view.value, record.id)) return fail('duplicate_external_id');
    replaceView(state, record, view.value);
    return { ok: true, view: record.view };
  },

  'views.publish': (state, args) => {
    const user = str(args, 'user_id');
    if (!user || !/^[UW][A-Z0-9]+$/.test(user)) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
    const view = viewArg(state, args);
    if (!view.ok) return view.result;
    if (view.value.type !== 'home') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] views.publish only publishes home views [json-pointer:/view/type]'] } });
    const existing = state.views.get(state.homes.get(user) ?? '');
    const hash = str(args, 'hash');
    if (existing && hash !== undefined && hash !== existing.view.hash) return fail('hash_conflict');
    if (existing) {
      replaceView(state, existing, view.value);
      return { ok: true, view: existing.view };
    }
    const record = createView(state, view.value, user, null, 'views.publish');
    state.homes.set(user, record.id);
    return { ok: true, view: record.view };
  },
};

/**
 * What Slack does with the HTTP response to a view_submission: no body closes the submitted view;
 * `errors` keeps it open (keys must be block_ids of input blocks); `update` replaces it; `push` stacks a new
 * view; `clear` closes the whole stack. Returns the problems Slack would have shown instead of doing it.
 */
export function applyViewSubmissionResponse(state: FakeState, viewId: string, body: unknown): string[] {
  const record = state.views.get(viewId);
  if (!record) return [`view ${viewId} is unknown to the fake`];
  const stack = state.stacks.get(record.user) ?? [];
  const at = stack.indexOf(viewId);
  const ack = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const action = ack.response_action;
  if (action === undefined) {
    if (at >= 0) closeStack(state, record.user, at);
    else record.open = false;
    return [];
  }
  if (action === 'clear') return (closeStack(state, record.user), []);
  if (action === 'errors') {
    const inputs = new Set(((record.view.blocks as unknown[]) ?? []).flatMap((b) => (isInput(b) ? [String((b as Record<string, unknown>).block_id)] : [])));
    const errors = typeof ack.errors === 'object' && ack.errors !== null ? Object.keys(ack.errors) : [];
    if (errors.length === 0) return ['response_action errors needs a non-empty errors object'];
    return errors.filter((k) => !inputs.has(k)).map((k) => `errors key "${k}" is not the block_id of an input block in the view`);
  }
  if (action !== 'update' && action !== 'push') return [`unknown response_action "${String(action)}"`];
  const problems = validateView(ack.view, { strictActionIds: state.strictActionIds });
  if (problems.length > 0) return problems.map(formatProblem);
  const view = ack.view as Record<string, unknown>;
  if (action === 'update') return (replaceView(state, record, view), []);
  if (stack.length >= MAX_STACK) return ['push_limit_reached'];
  createView(state, view, record.user, stack, 'response_action');
  return [];
}

const isInput = (b: unknown): boolean => typeof b === 'object' && b !== null && (b as Record<string, unknown>).type === 'input';
