import { createLogger } from '../../../src/logger.js';
import { dedupe, interactionKey } from '../../../src/slack/middleware/dedupe.js';
import { findRefusal } from '../../../src/slack/middleware/error-handler.js';
import { Refusal } from '../../../src/slack/refusal.js';
import { tempStore } from '../../support/temp-store.js';

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

describe('the dedupe middleware on a real store', () => {
  const body = { type: 'view_submission', user: { id: 'U1' }, view: { id: 'V9', hash: 'h', state: { values: { b: { a: { type: 'plain_text_input', value: 'x' } } } } } };

  it('lets the first delivery through, acks and drops the next, and gives the key back when the first one fails', async () => {
    const temp = await tempStore();
    try {
      const mw = dedupe(temp.store, () => new Date('2026-11-02T09:00:00Z'), createLogger('silent'));
      const run = async (next: () => Promise<void>) => {
        let acked = 0;
        await mw({ body, next, ack: async () => void (acked += 1) } as never);
        return acked;
      };
      await expect(run(() => Promise.reject(new Error('store down before the ack')))).rejects.toThrow('store down');
      let ran = 0;
      expect(await run(async () => void (ran += 1))).toBe(0); // the retry goes through: the key was given back
      expect(await run(async () => void (ran += 1))).toBe(1); // a third delivery is acked and dropped
      expect(ran).toBe(1);
    } finally {
      await temp.dispose();
    }
  });
});
