import { createLogger } from '../../../src/logger.js';
import { CLAIM_HOLD_MS, dedupe, deliveryOf, interactionKey } from '../../../src/slack/middleware/dedupe.js';
import { findRefusal } from '../../../src/slack/middleware/error-handler.js';
import { Refusal } from '../../../src/slack/refusal.js';
import type { Store } from '../../../src/app/ports.js';
import { tempStore, type TempStore } from '../../support/temp-store.js';

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
        await mw({ body, next, context: {}, ack: async () => void (acked += 1) } as never);
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

describe('dedupe claims: in progress with a hold, done once the step is recorded', () => {
  const t0 = new Date('2026-11-02T09:00:00Z');
  const body = {
    type: 'view_submission',
    user: { id: 'U1' },
    view: { id: 'V7', hash: 'h', blocks: [{ type: 'input', block_id: 'pw.rationale' }], state: { values: { 'pw.rationale': { 'pw.rationale': { type: 'plain_text_input', value: 'x' } } } } },
  };
  /** One delivery through the middleware at `at`; what the listener does is `listener(context)`. */
  const deliver = async (store: Store, at: Date, listener: (context: Record<string, unknown>) => Promise<void>) => {
    const answers: unknown[] = [];
    const context: Record<string, unknown> = {};
    const mw = dedupe(store, () => at, createLogger('silent'));
    await mw({ body, context, next: () => listener(context), ack: async (a?: unknown) => void answers.push(a ?? null) } as never);
    return answers;
  };
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  it('a crash after the claim does not swallow the person’s retry for good: it goes through once the hold runs out', async () => {
    // What a process that died right after claiming leaves behind.
    await temp.store.idempotency.claim(interactionKey(body)!, t0, CLAIM_HOLD_MS);
    let ran = 0;
    const answers = await deliver(temp.store, new Date(t0.getTime() + 10_000), async () => void (ran += 1));
    expect(ran).toBe(0);
    expect(answers).toEqual([{ response_action: 'errors', errors: { 'pw.rationale': expect.stringContaining('already submitted and is still being saved') } }]);
    await deliver(temp.store, new Date(t0.getTime() + CLAIM_HOLD_MS), async () => void (ran += 1));
    expect(ran).toBe(1);
  });

  it('an answer with inline errors gives the key back: the same values may be submitted again', async () => {
    let ran = 0;
    const refuse = async (context: Record<string, unknown>) => {
      ran += 1;
      await deliveryOf(context).giveBack();
    };
    await deliver(temp.store, t0, refuse);
    await deliver(temp.store, t0, refuse);
    expect(ran).toBe(2);
  });

  it('a failure after the step was recorded keeps the key: a redelivery does not record it twice', async () => {
    let recorded = 0;
    const step = async (context: Record<string, unknown>) => {
      recorded += 1;
      await deliveryOf(context).recorded();
      throw new Error('Slack is down');
    };
    await expect(deliver(temp.store, t0, step)).rejects.toThrow('Slack is down');
    const answers = await deliver(temp.store, new Date(t0.getTime() + 2 * CLAIM_HOLD_MS), step);
    expect(recorded).toBe(1);
    expect(answers).toEqual([null]);
    await expect(temp.store.idempotency.state(interactionKey(body)!)).resolves.toEqual({ state: 'done' });
  });
});
