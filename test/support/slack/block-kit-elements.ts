/**
 * Block elements and composition objects (buttons, selects, options, confirm dialogs, inputs…).
 * Limits: docs.slack.dev/reference/block-kit/block-elements and composition-objects, mirrored in
 * @slack/types (block-kit/block-elements.d.ts, composition-objects.d.ts, extensions.d.ts).
 */
import {
  actionId, arrayField, booleanField, isObj, report, stringField, textField,
  type CheckContext, type Json,
} from './block-kit-checks.js';

export type Slot = 'actions' | 'accessory' | 'input' | 'context';

const SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'];
const MULTI_SELECTS = SELECTS.map((t) => `multi_${t}`);

const ALLOWED: Record<Slot, Set<string>> = {
  actions: new Set(['button', 'checkboxes', 'datepicker', 'datetimepicker', 'overflow', 'radio_buttons', 'timepicker',
    'workflow_button', 'rich_text_input', ...SELECTS, ...MULTI_SELECTS]),
  accessory: new Set(['button', 'checkboxes', 'datepicker', 'image', 'overflow', 'radio_buttons', 'timepicker',
    'workflow_button', ...SELECTS, ...MULTI_SELECTS]),
  input: new Set(['checkboxes', 'datepicker', 'datetimepicker', 'email_text_input', 'file_input', 'number_input',
    'plain_text_input', 'radio_buttons', 'rich_text_input', 'timepicker', 'url_text_input', ...SELECTS, ...MULTI_SELECTS]),
  context: new Set(['image', 'plain_text', 'mrkdwn']),
};

export function validateElement(ctx: CheckContext, el: unknown, ptr: string, slot: Slot, actionIdsInBlock: Set<string>): void {
  if (!isObj(el)) {
    report(ctx, ptr, 'must be an object');
    return;
  }
  const type = typeof el.type === 'string' ? el.type : '';
  if (!ALLOWED[slot].has(type)) {
    report(ctx, ptr, `failed to match all allowed schemas (element type "${type}" is not allowed in ${slot === 'accessory' ? 'a section accessory' : `a ${slot} block`})`);
    return;
  }
  if (type === 'image') return imageElement(ctx, el, ptr);
  if (type === 'plain_text' || type === 'mrkdwn') return; // context text objects are checked by the context block
  actionId(ctx, el, ptr, actionIdsInBlock);
  if (isObj(el.confirm)) confirmDialog(ctx, el.confirm, `${ptr}/confirm`);
  else if (el.confirm !== undefined) report(ctx, `${ptr}/confirm`, 'must be a confirmation dialog object');
  if (el.focus_on_load === true) ctx.focusOnLoad.push(ptr);
  booleanField(ctx, el, 'focus_on_load', ptr);
  if (el.placeholder !== undefined) textField(ctx, el, 'placeholder', ptr, { max: 150, plainOnly: true });

  if (type === 'button') return button(ctx, el, ptr);
  if (type === 'overflow') return void options(ctx, el, ptr, { max: 5, plainOnly: true, allowUrl: true, required: true });
  if (type === 'checkboxes') return choice(ctx, el, ptr, { max: 10, plainOnly: false, multi: true });
  if (type === 'radio_buttons') return choice(ctx, el, ptr, { max: 10, plainOnly: false, multi: false });
  if (type === 'static_select' || type === 'multi_static_select') return staticSelect(ctx, el, ptr, type.startsWith('multi_'));
  if (type.startsWith('multi_') && el.max_selected_items !== undefined) positiveInt(ctx, el, 'max_selected_items', ptr, 1, Infinity);
  if (type === 'datepicker' && el.initial_date !== undefined) pattern(ctx, el, 'initial_date', ptr, /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
  if (type === 'timepicker' && el.initial_time !== undefined) pattern(ctx, el, 'initial_time', ptr, /^\d{2}:\d{2}$/, 'HH:mm');
  if (type === 'plain_text_input') return plainTextInput(ctx, el, ptr);
  if (type === 'number_input' && typeof el.is_decimal_allowed !== 'boolean') report(ctx, ptr, 'missing required field: is_decimal_allowed');
  if (type === 'file_input') return fileInput(ctx, el, ptr);
  if (type === 'workflow_button') {
    textField(ctx, el, 'text', ptr, { max: 75, plainOnly: true, required: true });
    if (!isObj(el.workflow)) report(ctx, ptr, 'missing required field: workflow');
  }
}

function button(ctx: CheckContext, el: Json, ptr: string): void {
  textField(ctx, el, 'text', ptr, { max: 75, plainOnly: true, required: true });
  stringField(ctx, el, 'value', ptr, { max: 2000 });
  stringField(ctx, el, 'url', ptr, { max: 3000 });
  stringField(ctx, el, 'accessibility_label', ptr, { max: 75, min: 1 });
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') report(ctx, `${ptr}/style`, 'must be one of: primary, danger');
}

export function imageElement(ctx: CheckContext, el: Json, ptr: string): void {
  if (el.image_url === undefined && !isObj(el.slack_file)) report(ctx, ptr, 'missing required field: image_url or slack_file');
  stringField(ctx, el, 'image_url', ptr, { max: 3000, min: 1 });
  stringField(ctx, el, 'alt_text', ptr, { max: 2000, required: true });
}

export function confirmDialog(ctx: CheckContext, c: Json, ptr: string): void {
  textField(ctx, c, 'title', ptr, { max: 100, plainOnly: true, required: true });
  textField(ctx, c, 'text', ptr, { max: 300, required: true });
  textField(ctx, c, 'confirm', ptr, { max: 30, plainOnly: true, required: true });
  textField(ctx, c, 'deny', ptr, { max: 30, plainOnly: true, required: true });
  if (c.style !== undefined && c.style !== 'primary' && c.style !== 'danger') report(ctx, `${ptr}/style`, 'must be one of: primary, danger');
}

interface OptionRule { max: number; plainOnly: boolean; allowUrl?: boolean; required?: boolean }

/** Validates `el.options` and returns a key per option (text + value) so initial_option(s) can be matched. */
function options(ctx: CheckContext, el: Json, ptr: string, rule: OptionRule, field = 'options'): Set<string> {
  const keys = new Set<string>();
  arrayField(ctx, el, field, ptr, { max: rule.max, min: 1, required: rule.required }).forEach((o, i) => {
    const at = `${ptr}/${field}/${i}`;
    if (!isObj(o)) return report(ctx, at, 'must be an option object');
    option(ctx, o, at, rule);
    keys.add(optionKey(o));
  });
  return keys;
}

function option(ctx: CheckContext, o: Json, at: string, rule: OptionRule): void {
  textField(ctx, o, 'text', at, { max: 75, plainOnly: rule.plainOnly, required: true });
  stringField(ctx, o, 'value', at, { max: 75, min: 1, required: true });
  textField(ctx, o, 'description', at, { max: 75, plainOnly: rule.plainOnly });
  if (rule.allowUrl) stringField(ctx, o, 'url', at, { max: 3000 });
  else if (o.url !== undefined) report(ctx, `${at}/url`, 'url is only allowed on overflow menu options');
}

const optionKey = (o: unknown): string => (isObj(o) ? `${isObj(o.text) ? String(o.text.text) : ''}\u0000${String(o.value)}` : '');

function initialMatches(ctx: CheckContext, el: Json, ptr: string, keys: Set<string>, multi: boolean): void {
  const field = multi ? 'initial_options' : 'initial_option';
  const given = el[field];
  if (given === undefined) return;
  const list = multi ? (Array.isArray(given) ? given : [given]) : [given];
  list.forEach((o, i) => {
    if (!keys.has(optionKey(o))) report(ctx, `${ptr}/${field}${multi ? `/${i}` : ''}`, `${field} must exactly match one of the options (text and value)`);
  });
}

function choice(ctx: CheckContext, el: Json, ptr: string, rule: { max: number; plainOnly: boolean; multi: boolean }): void {
  const keys = options(ctx, el, ptr, { max: rule.max, plainOnly: rule.plainOnly, required: true });
  initialMatches(ctx, el, ptr, keys, rule.multi);
}

function staticSelect(ctx: CheckContext, el: Json, ptr: string, multi: boolean): void {
  const hasOptions = el.options !== undefined;
  const hasGroups = el.option_groups !== undefined;
  if (hasOptions === hasGroups) report(ctx, ptr, 'must provide exactly one of options or option_groups');
  const keys = hasOptions ? options(ctx, el, ptr, { max: 100, plainOnly: true, required: true }) : new Set<string>();
  arrayField(ctx, el, 'option_groups', ptr, { max: 100, min: 1 }).forEach((g, gi) => {
    const at = `${ptr}/option_groups/${gi}`;
    if (!isObj(g)) return report(ctx, at, 'must be an option group object');
    textField(ctx, g, 'label', at, { max: 75, plainOnly: true, required: true });
    options(ctx, g, at, { max: 100, plainOnly: true, required: true }).forEach((k) => keys.add(k));
  });
  initialMatches(ctx, el, ptr, keys, multi);
  if (multi && el.max_selected_items !== undefined) positiveInt(ctx, el, 'max_selected_items', ptr, 1, Infinity);
}

function plainTextInput(ctx: CheckContext, el: Json, ptr: string): void {
  booleanField(ctx, el, 'multiline', ptr);
  stringField(ctx, el, 'initial_value', ptr, { max: 3000 });
  const min = el.min_length === undefined ? 0 : positiveInt(ctx, el, 'min_length', ptr, 0, 3000);
  const max = el.max_length === undefined ? 3000 : positiveInt(ctx, el, 'max_length', ptr, 1, 3000);
  if (min !== undefined && max !== undefined && min > max) report(ctx, `${ptr}/min_length`, 'must not be greater than max_length');
}

function fileInput(ctx: CheckContext, el: Json, ptr: string): void {
  arrayField(ctx, el, 'filetypes', ptr, { max: Infinity }).forEach((t, i) => {
    if (typeof t !== 'string') report(ctx, `${ptr}/filetypes/${i}`, 'must be a string');
  });
  if (el.max_files !== undefined) positiveInt(ctx, el, 'max_files', ptr, 1, 10);
}

function positiveInt(ctx: CheckContext, el: Json, field: string, ptr: string, min: number, max: number): number | undefined {
  const v = el[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    report(ctx, `${ptr}/${field}`, 'must be an integer');
    return undefined;
  }
  if (v < min) report(ctx, `${ptr}/${field}`, `must be at least ${min}`);
  if (v > max) report(ctx, `${ptr}/${field}`, `must be at most ${max}`);
  return v;
}

function pattern(ctx: CheckContext, el: Json, field: string, ptr: string, re: RegExp, shape: string): void {
  const v = el[field];
  if (typeof v !== 'string' || !re.test(v)) report(ctx, `${ptr}/${field}`, `must be in the format ${shape}`);
}
