/**
 * Builds `view.state.values` the way Slack sends it in view_submission: one entry per stateful element,
 * keyed by block_id then action_id, holding what the user entered or, for fields they left alone, the
 * element's initial value (null / [] when it has none).
 *
 *   stateValuesFor(view, { severity: 'high', rationale: 'KEV listed', evidence: [fileObject] })
 *
 * Keys are action_ids (or `block_id.action_id` when an action_id repeats). An unknown key, or an option
 * value a select does not offer, throws: the test is typing into a field the modal does not have.
 */
type Json = Record<string, unknown>;
export type InputValue = string | number | null | string[] | Json | Json[];
export type StateValues = Record<string, Record<string, Json>>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function stateful(blocks: unknown[]): Array<{ blockId: string; element: Json }> {
  return blocks.filter(isObj).flatMap((b) => {
    const blockId = String(b.block_id);
    const elements = [b.element, b.accessory, ...(b.type === 'actions' && Array.isArray(b.elements) ? b.elements : [])];
    return elements.filter(isObj)
      .filter((e) => typeof e.action_id === 'string' && !['button', 'overflow', 'image', 'workflow_button'].includes(String(e.type)))
      .map((element) => ({ blockId, element }));
  });
}

function allOptions(el: Json): Json[] {
  const direct = Array.isArray(el.options) ? el.options : [];
  const grouped = Array.isArray(el.option_groups) ? el.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options : [])) : [];
  return [...direct, ...grouped].filter(isObj);
}

function pickOption(el: Json, v: unknown): Json {
  if (isObj(v)) return v;
  const found = allOptions(el).find((o) => o.value === v);
  if (!found) throw new Error(`${String(el.type)} "${String(el.action_id)}" has no option with value ${JSON.stringify(v)}`);
  return found;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);

/** The state value of one element: `given` when the test set it, else the element's initial value. */
function valueOf(el: Json, given: unknown, touched: boolean): Json {
  const type = String(el.type);
  const pick = <T>(initialKey: string, map: (v: unknown) => T, empty: T): T => {
    if (touched) return given === null ? empty : map(given);
    return el[initialKey] === undefined ? empty : (el[initialKey] as T);
  };
  switch (type) {
    case 'plain_text_input': case 'email_text_input': case 'url_text_input': case 'number_input':
      return { type, value: pick('initial_value', (v) => String(v), null) };
    case 'static_select': case 'external_select': case 'radio_buttons':
      return { type, selected_option: pick('initial_option', (v) => pickOption(el, v), null) };
    case 'multi_static_select': case 'multi_external_select': case 'checkboxes':
      return { type, selected_options: pick('initial_options', (v) => list(v).map((o) => pickOption(el, o)), []) };
    case 'datepicker': return { type, selected_date: pick('initial_date', String, null) };
    case 'timepicker': return { type, selected_time: pick('initial_time', String, null) };
    case 'datetimepicker': return { type, selected_date_time: pick('initial_date_time', Number, null) };
    case 'users_select': return { type, selected_user: pick('initial_user', String, null) };
    case 'multi_users_select': return { type, selected_users: pick('initial_users', (v) => list(v).map(String), []) };
    case 'conversations_select': return { type, selected_conversation: pick('initial_conversation', String, null) };
    case 'multi_conversations_select': return { type, selected_conversations: pick('initial_conversations', (v) => list(v).map(String), []) };
    case 'channels_select': return { type, selected_channel: pick('initial_channel', String, null) };
    case 'multi_channels_select': return { type, selected_channels: pick('initial_channels', (v) => list(v).map(String), []) };
    case 'file_input': return { type, files: touched ? list(given) : [] };
    case 'rich_text_input':
      return { type, rich_text_value: pick('initial_value', (v) => (isObj(v) ? v : richText(String(v))), null) };
    default: return { type, value: touched ? given : null };
  }
}

const richText = (text: string): Json => ({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] });

export function stateValuesFor(view: { blocks?: unknown } | Json, inputs: Record<string, InputValue> = {}): StateValues {
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const fields = stateful(blocks);
  const used = new Set<string>();
  const values: StateValues = {};
  for (const { blockId, element } of fields) {
    const actionId = String(element.action_id);
    const qualified = `${blockId}.${actionId}`;
    const key = qualified in inputs ? qualified : actionId in inputs ? actionId : undefined;
    if (key === actionId && fields.filter((f) => f.element.action_id === actionId).length > 1) {
      throw new Error(`action_id "${actionId}" appears in several blocks; key the value as "<block_id>.${actionId}"`);
    }
    if (key) used.add(key);
    (values[blockId] ??= {})[actionId] = valueOf(element, key ? inputs[key] : undefined, key !== undefined);
  }
  const unknown = Object.keys(inputs).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new Error(`the view has no input with action_id ${unknown.map((k) => `"${k}"`).join(', ')}`);
  return values;
}
