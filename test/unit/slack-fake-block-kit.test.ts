import { formatProblem, validateMessageBlocks, validateView } from '../support/slack/block-kit-limits.js';
import { stateValuesFor } from '../support/slack/state-values.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const opt = (t: string, v = t) => ({ text: plain(t), value: v });
const modal = (blocks: unknown[], over: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('T'), submit: plain('Save'), blocks, ...over });
const input = (block_id: string, element: Record<string, unknown>) => ({ type: 'input', block_id, label: plain(block_id), element });
const messages = (problems: ReturnType<typeof validateView>) => problems.map(formatProblem);

describe('validateMessageBlocks / validateView', () => {
  it('finds nothing wrong in a valid message and a valid modal', () => {
    expect(validateMessageBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' }, accessory: { type: 'button', text: plain('Go'), action_id: 'go' } },
      { type: 'context', elements: [{ type: 'image', image_url: 'https://x/y.png', alt_text: 'y' }, { type: 'mrkdwn', text: 'c' }] }, { type: 'divider' }])).toEqual([]);
    expect(validateView(modal([input('a', { type: 'plain_text_input', action_id: 'a', multiline: true, max_length: 3000 }),
      input('b', { type: 'static_select', action_id: 'b', options: [opt('x')], initial_option: opt('x') }),
      input('c', { type: 'file_input', action_id: 'c', filetypes: ['png', 'pdf'], max_files: 10 })]))).toEqual([]);
  });

  it.each([
    ['a modal title in mrkdwn', modal([], { title: { type: 'mrkdwn', text: 'T' } }), '[ERROR] must be plain_text [json-pointer:/view/title/type]'],
    ['a modal without a title', { type: 'modal', blocks: [] }, '[ERROR] missing required field: title [json-pointer:/view]'],
    ['a view of an unknown type', { type: 'dialog', blocks: [] }, '[ERROR] must be one of: modal, home [json-pointer:/view/type]'],
    ['an initial_option that is not an option', modal([input('s', { type: 'static_select', action_id: 's', options: [opt('x')], initial_option: opt('y') })]),
      '[ERROR] initial_option must exactly match one of the options (text and value) [json-pointer:/view/blocks/0/element/initial_option]'],
    ['11 checkboxes', modal([input('c', { type: 'checkboxes', action_id: 'c', options: Array.from({ length: 11 }, (_, i) => opt(`o${i}`)) })]),
      '[ERROR] no more than 10 items allowed [json-pointer:/view/blocks/0/element/options]'],
    ['max_files 11', modal([input('f', { type: 'file_input', action_id: 'f', max_files: 11 })]), '[ERROR] must be at most 10 [json-pointer:/view/blocks/0/element/max_files]'],
    ['min_length above max_length', modal([input('t', { type: 'plain_text_input', action_id: 't', min_length: 10, max_length: 5 })]),
      '[ERROR] must not be greater than max_length [json-pointer:/view/blocks/0/element/min_length]'],
    ['a markdown block in a modal', modal([{ type: 'markdown', text: '# hi' }]), '[ERROR] markdown blocks are only available in messages [json-pointer:/view/blocks/0/type]'],
    ['two focus_on_load elements', modal([input('a', { type: 'plain_text_input', action_id: 'a', focus_on_load: true }), input('b', { type: 'plain_text_input', action_id: 'b', focus_on_load: true })]),
      '[ERROR] only one element per view may set focus_on_load [json-pointer:/view/blocks/1/element]'],
    ['a placeholder of 151', modal([input('a', { type: 'plain_text_input', action_id: 'a', placeholder: plain('p'.repeat(151)) })]),
      '[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]'],
    ['a select with both options and option_groups', modal([input('s', { type: 'static_select', action_id: 's', options: [opt('x')], option_groups: [{ label: plain('g'), options: [opt('y')] }] })]),
      '[ERROR] must provide exactly one of options or option_groups [json-pointer:/view/blocks/0/element]'],
  ])('reports %s', (_name, view, expected) => {
    expect(messages(validateView(view))).toEqual([expected]);
  });

  it('counts characters, not UTF-16 units: 3000 emoji fit in a section', () => {
    expect(validateMessageBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '🔥'.repeat(3000) } }])).toEqual([]);
  });

  it('only demands surface-wide unique action_ids in strict mode', () => {
    const blocks = [{ type: 'actions', elements: [{ type: 'button', action_id: 'go', text: plain('A') }] }, { type: 'actions', elements: [{ type: 'button', action_id: 'go', text: plain('B') }] }];
    expect(validateMessageBlocks(blocks)).toEqual([]);
    expect(messages(validateMessageBlocks(blocks, { strictActionIds: true }))).toEqual(['[ERROR] duplicate action_id "go" on this surface (strict action_id mode) [json-pointer:/blocks/1/elements/0/action_id]']);
  });
});

describe('stateValuesFor', () => {
  const view = modal([
    input('b_note', { type: 'plain_text_input', action_id: 'note', initial_value: 'draft' }),
    input('b_env', { type: 'radio_buttons', action_id: 'env', options: [opt('Staging', 'staging'), opt('Prod', 'prod')], initial_option: opt('Staging', 'staging') }),
    input('b_checks', { type: 'checkboxes', action_id: 'checks', options: [opt('KEV', 'kev'), opt('Exploit', 'exploit')] }),
    input('b_due', { type: 'datepicker', action_id: 'due' }),
    input('b_owner', { type: 'users_select', action_id: 'owner' }),
    input('b_files', { type: 'file_input', action_id: 'files' }),
  ]);

  it('fills what the user entered and keeps initial values for the fields left alone', () => {
    expect(stateValuesFor(view, { checks: ['kev', 'exploit'], due: '2026-12-01', owner: 'U0OWNER' })).toEqual({
      b_note: { note: { type: 'plain_text_input', value: 'draft' } },
      b_env: { env: { type: 'radio_buttons', selected_option: opt('Staging', 'staging') } },
      b_checks: { checks: { type: 'checkboxes', selected_options: [opt('KEV', 'kev'), opt('Exploit', 'exploit')] } },
      b_due: { due: { type: 'datepicker', selected_date: '2026-12-01' } },
      b_owner: { owner: { type: 'users_select', selected_user: 'U0OWNER' } },
      b_files: { files: { type: 'file_input', files: [] } },
    });
  });

  it('clears a field set to null and refuses a field the view does not have', () => {
    expect(stateValuesFor(view, { note: null }).b_note).toEqual({ note: { type: 'plain_text_input', value: null } });
    expect(() => stateValuesFor(view, { rationale: 'x' })).toThrow('the view has no input with action_id "rationale"');
  });

  it('asks for block_id.action_id when an action_id repeats', () => {
    const twice = modal([input('one', { type: 'plain_text_input', action_id: 'v' }), input('two', { type: 'plain_text_input', action_id: 'v' })]);
    expect(() => stateValuesFor(twice, { v: 'x' })).toThrow(/key the value as "<block_id>.v"/);
    expect(stateValuesFor(twice, { 'two.v': 'x' })).toEqual({ one: { v: { type: 'plain_text_input', value: null } }, two: { v: { type: 'plain_text_input', value: 'x' } } });
  });
});
