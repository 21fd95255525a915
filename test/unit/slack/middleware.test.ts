import { interactionKey } from '../../../src/slack/middleware/dedupe.js';
import { findRefusal } from '../../../src/slack/middleware/error-handler.js';
import { Refusal } from '../../../src/slack/refusal.js';

describe('the key that makes an interaction happen once', () => {
  const view = (values: unknown) => ({ type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1', hash: 'h1', state: { values } } });

  it.each([
    ['an event, by event id', { type: 'event_callback', event_id: 'Ev1', event: {} }, 'event:Ev1'],
    ['a button, by user, action and action_ts', { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'pw.assess', action_ts: '1700.1' }] }, 'action:U1:pw.assess:1700.1'],
    ['a slash command, by trigger id', { command: '/patch', trigger_id: 't-1', text: 'status' }, 'command:t-1'],
    ['anything else, not at all', { type: 'view_closed' }, null],
  ])('%s', (_n, body, key) => expect(interactionKey(body as Record<string, unknown>)).toBe(key));

  it('a view submission: the same values are one submission, corrected values another', () => {
    const first = interactionKey(view({ b: { a: { type: 'plain_text_input', value: '' } } }));
    expect(first).toMatch(/^view:V1:[0-9a-f]{32}$/);
    expect(interactionKey(view({ b: { a: { type: 'plain_text_input', value: '' } } }))).toBe(first);
    expect(interactionKey(view({ b: { a: { type: 'plain_text_input', value: 'fixed' } } }))).not.toBe(first);
  });
});

describe('finding the refusal in what Bolt hands the error handler', () => {
  const refusal = new Refusal({ code: 'approval.separation_of_duties' });
  it.each([
    ['as thrown', refusal],
    ['wrapped once', Object.assign(new Error('unknown'), { original: refusal })],
    ['among several listeners’ errors', Object.assign(new Error('multiple'), { originals: [new Error('x'), refusal] })],
  ])('%s', (_n, e) => expect(findRefusal(e)).toBe(refusal));

  it('an ordinary error is not a refusal', () => expect(findRefusal(new Error('boom'))).toBeNull());
});
