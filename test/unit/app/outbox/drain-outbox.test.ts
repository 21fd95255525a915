/**
 * The outbox drainer on a real SQLite store with hand-written handlers: each subject in recorded order, one
 * drainer per subject, back-off that holds the subject back, giving up (audited) after the last attempt or at once
 * for a refusal no retry changes, replays told so, round-ups handled together.
 */
import { hostname } from 'node:os';
import { createOutboxDrainer, EffectRefused, HEAD_READ, MAX_ATTEMPTS, type EffectHandler, type EffectHandlers } from '../../../../src/app/outbox/drain-outbox.js';
import type { Effect, EffectInput } from '../../../../src/app/outbox/effects.js';
import { createLogger } from '../../../../src/logger.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const note = (subject: string, text: string): EffectInput => ({ kind: 'remediation.note', subject, data: { text } });

describe('draining the outbox', () => {
  let temp: TempStore;
  let clock: Date;
  beforeEach(async () => {
    temp = await tempStore();
    clock = new Date('2026-11-02T09:00:00.000Z');
  });
  afterEach(() => temp.dispose());

  const record = (effects: EffectInput[]) => temp.store.commit({ events: [{ at: clock.toISOString(), actor: 'system:test', action: 'sync.completed', subject: 'x', data: {} }], effects });
  const drainer = (handlers: EffectHandlers) => createOutboxDrainer({ store: temp.store, handlers, now: () => clock, logger: createLogger('silent') });
  /** A handler that records what it did, and fails for the texts in `failing` (as many times as given). */
  const recorder = (failing: Record<string, number | 'refused'> = {}) => {
    const done: string[] = [];
    const replays: string[] = [];
    const handler: EffectHandler = {
      run: async ([e], ctx) => {
        const text = String(e!.data['text']);
        if (ctx.replay) replays.push(text);
        const f = failing[text];
        if (f === 'refused') throw new EffectRefused('channel_not_found');
        if (typeof f === 'number' && f > 0) {
          failing[text] = f - 1;
          throw new Error('ratelimited');
        }
        done.push(`${e!.subject}:${text}`);
        return { ts: text };
      },
    };
    return { handler, done, replays };
  };
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

  it('does each subject’s effects in recorded order; a failure holds its subject back until its back-off, not the others', async () => {
    await record([note('PW-1', 'a1'), note('PW-2', 'b1'), note('PW-1', 'a2')]);
    await record([note('PW-1', 'a3'), note('PW-2', 'b2')]);
    const r = recorder({ a2: 1 });
    await drainer({ 'remediation.note': r.handler }).drain();
    expect(r.done).toEqual(['PW-1:a1', 'PW-2:b1', 'PW-2:b2']);
    expect(await temp.store.outbox.list({ subject: 'PW-1' })).toMatchObject([{ data: { text: 'a2' }, attempts: 1, error: 'ratelimited', nextAt: '2026-11-02T09:00:30.000Z' }, { data: { text: 'a3' } }]);
    await drainer({ 'remediation.note': r.handler }).drain(); // not due yet
    later(30_000);
    await drainer({ 'remediation.note': r.handler }).drain(['PW-1']);
    expect(r.done).toEqual(['PW-1:a1', 'PW-2:b1', 'PW-2:b2', 'PW-1:a2', 'PW-1:a3']);
    expect(r.replays).toEqual(['a2']);
    await expect(temp.store.outbox.list()).resolves.toEqual([]);
    expect((await temp.store.outbox.list({ subject: 'PW-1', states: ['done'] })).map((e) => e.result)).toEqual([{ ts: 'a1' }, { ts: 'a2' }, { ts: 'a3' }]);
  });

  it('gives up at once on a refusal no retry changes, and after the last attempt otherwise; each audited, the subject goes on', async () => {
    await record([note('PW-1', 'gone'), note('PW-1', 'next'), note('PW-2', 'flaky')]);
    const r = recorder({ gone: 'refused', flaky: MAX_ATTEMPTS });
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
      await drainer({ 'remediation.note': r.handler }).drain();
      later(60 * 60_000);
    }
    expect(r.done).toEqual(['PW-1:next']);
    const failed = await temp.store.outbox.list({ states: ['failed'] });
    expect(failed.map((e) => [e.data['text'], e.attempts, e.error])).toEqual([['gone', 1, 'channel_not_found'], ['flaky', MAX_ATTEMPTS, 'ratelimited']]);
    const audited = [...(await temp.store.audit.bySubject('PW-1')), ...(await temp.store.audit.bySubject('PW-2'))];
    expect(audited.map((e) => [e.action, e.actor, e.data['kind'], e.data['error']])).toEqual([
      ['slack.undelivered', 'system:outbox', 'remediation.note', 'channel_not_found'],
      ['slack.undelivered', 'system:outbox', 'remediation.note', 'ratelimited'],
    ]);
  });

  it('an attempt that started and never settled (the process died) is a replay for the next drain', async () => {
    await record([note('PW-1', 'a1')]);
    const [e] = (await temp.store.outbox.list()) as [Effect];
    await temp.store.outbox.settle(e.id, { state: 'pending', attempts: 1, nextAt: null, error: null, result: null });
    const r = recorder();
    await drainer({ 'remediation.note': r.handler }).drain();
    expect(r.replays).toEqual(['a1']);
  });

  it('an attempt under way in a process that is gone is tried again at once, as a replay; one under way in a live process waits', async () => {
    await record([note('PW-1', 'killed'), note('PW-2', 'slow')]);
    const [killed, slow] = (await temp.store.outbox.list()) as [Effect, Effect];
    const inTwoMinutes = new Date(clock.getTime() + 120_000).toISOString();
    // pid 4194304 is above Linux's highest pid: no process has it. The parent of this test runs.
    await temp.store.outbox.settle(killed.id, { state: 'pending', attempts: 1, nextAt: inTwoMinutes, error: null, result: { underWay: `${hostname()}:4194304:1:outbox#dead` } });
    await temp.store.outbox.settle(slow.id, { state: 'pending', attempts: 1, nextAt: inTwoMinutes, error: null, result: { underWay: `${hostname()}:${process.ppid}:1:outbox#live` } });
    const r = recorder();
    await drainer({ 'remediation.note': r.handler }).drain();
    expect(r.done).toEqual(['PW-1:killed']);
    expect(r.replays).toEqual(['killed']);
    expect(await temp.store.outbox.list()).toMatchObject([{ subject: 'PW-2', attempts: 1, nextAt: inTwoMinutes }]);
  });

  it('two drainers at once do each effect once', async () => {
    await record(Array.from({ length: 12 }, (_, i) => note(`PW-${i % 3}`, `t${i}`)));
    const r = recorder();
    await Promise.all([drainer({ 'remediation.note': r.handler }).drain(), drainer({ 'remediation.note': r.handler }).drain(), drainer({ 'remediation.note': r.handler }).drain()]);
    await drainer({ 'remediation.note': r.handler }).drain();
    expect(r.done.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `PW-${i % 3}:t${i}`).sort());
  });

  it('a batch handler gets every pending effect of its kind at the head of the subject at once', async () => {
    const seen: string[][] = [];
    const roundup: EffectHandler = { batch: true, run: async (effects) => void seen.push(effects.map((e) => String(e.data['remediation']))) };
    await record([1, 2, 3].map((n) => ({ kind: 'reminder.roundup', subject: 'reminders:r1', data: { remediation: `PW-${n}`, kind: 'breach' } })));
    await drainer({ 'reminder.roundup': roundup }).drain();
    expect(seen).toEqual([['PW-1', 'PW-2', 'PW-3']]);
    await expect(temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('leaves an effect no handler here knows for a process that has one', async () => {
    await record([{ kind: 'digest.csv', subject: 'digest:x', data: {} }]);
    await drainer({}).drain();
    await expect(temp.store.outbox.list()).resolves.toMatchObject([{ kind: 'digest.csv', state: 'pending', attempts: 0 }]);
  });

  it('a subject of many effects (a digest’s pages): each once, in order, reading only its head each step; earlier() sees what this drain did', async () => {
    const texts = Array.from({ length: HEAD_READ * 2 + 7 }, (_, i) => `page ${i}`);
    await record(texts.map((t) => note('digest:2026-11', t)));
    const reads: (number | undefined)[] = [];
    const list = temp.store.outbox.list.bind(temp.store.outbox);
    const store = { ...temp.store, outbox: { ...temp.store.outbox, list: (q?: Parameters<typeof list>[0]) => (reads.push(q?.limit), list(q)) } };
    const seen: number[] = [];
    const handler: EffectHandler = {
      run: async ([e], ctx) => {
        seen.push((await ctx.earlier()).length);
        return { ts: String(e!.data['text']) };
      },
    };
    await createOutboxDrainer({ store, handlers: { 'remediation.note': handler }, now: () => clock, logger: createLogger('silent') }).drain(['digest:2026-11']);
    const done = await temp.store.outbox.list({ subject: 'digest:2026-11', states: ['done'] });
    expect(done.map((e) => e.result?.['ts'])).toEqual(texts);
    expect(seen).toEqual(texts.map((_, i) => i));
    // Each step reads the head (HEAD_READ at most); the effects already done are read once.
    expect(reads.filter((l) => l === undefined || l === -1)).toHaveLength(1);
    expect(reads.filter((l) => l === HEAD_READ)).toHaveLength(texts.length + 1);
  });
});
