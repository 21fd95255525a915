/**
 * Each remediation's one message, as the outbox does it through the real WebClient against the Slack fake: posted
 * once and updated in place with a note per step; never twice, whether two replicas drain at once, the process
 * dies between the post and recording where it went, that write gives up, or Slack posts and its answer is lost.
 */
import { createOutboxDrainer, type OutboxDrainer } from '../../src/app/outbox/drain-outbox.js';
import type { Effect } from '../../src/app/outbox/effects.js';
import type { Store } from '../../src/app/ports.js';
import { err } from '../../src/domain/result.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import { createLogger } from '../../src/logger.js';
import { createRemediationMessages, remediationEffects } from '../../src/slack/posting/publish-remediation.js';
import { createThreadFindings } from '../../src/slack/posting/thread-findings.js';
import { aRemediation } from '../support/builders.js';
import { useSlackAndStore } from '../support/slack-and-store.js';

describe('each remediation has one message, updated in place', () => {
  const t = useSlackAndStore();
  const { channel } = t;

  const deps = (store: Store = t.temp.store) => ({
    client: t.client(),
    channel,
    store,
    context: () => ({ now: t.now(), timeZone: 'UTC', sla: DEFAULT_SLA }),
    logger: createLogger('silent'),
  });
  /** A replica's drainer: its own client, the same store. */
  const replica = (store: Store = t.temp.store): OutboxDrainer => {
    const m = createRemediationMessages(deps(store));
    const findings = createThreadFindings({ client: deps(store).client, store, timeZone: () => 'UTC' });
    const handlers = { 'remediation.message': m.message, 'remediation.note': m.note, 'remediation.findings': findings };
    return createOutboxDrainer({ store, handlers, now: () => t.now(), logger: createLogger('silent') });
  };
  const seed = async (id: string, overrides = {}) => {
    const created = await t.temp.store.remediations.create(aRemediation({ id, ...overrides }), [], [{ kind: 'remediation.message', subject: id }]);
    if (!created.ok) throw new Error('seed failed');
    return created.value;
  };
  const top = () => t.fake.messages(channel);

  it('posts it once, remembers where, then updates it and notes each step in its thread', async () => {
    const r = await seed('PW-1');
    await replica().drain(['PW-1']);
    const posted = (await t.temp.store.remediations.get('PW-1'))!;
    expect(posted.message).toEqual({ channel, ts: expect.any(String) });

    const assessed = await t.temp.store.remediations.update({ ...posted, state: 'assessed' }, posted.version, [], remediationEffects(r.id, 'Assessed by <@U0LEAD>'));
    if (!assessed.ok) throw new Error('update failed');
    await replica().drain(['PW-1']);

    expect(top()).toHaveLength(1);
    expect(top()[0]!.versions).toHaveLength(2);
    expect(JSON.stringify(top()[0]!.blocks)).toContain('Assessed');
    expect(t.fake.replies(channel, posted.message!.ts).map((m) => m.text)).toEqual(['What is behind PW-1: 0 findings on 0 assets', 'Assessed by <@U0LEAD>']);
    await expect(t.temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('posts again when the message was deleted in Slack', async () => {
    await seed('PW-2', { message: { channel, ts: '1700000000.000100' } });
    await replica().drain();
    expect((await t.temp.store.remediations.get('PW-2'))?.message?.ts).not.toBe('1700000000.000100');
    expect(top()).toHaveLength(1);
  });

  it('a Slack outage leaves the step and what it owes recorded; the next drain after the back-off posts it', async () => {
    await seed('PW-3');
    t.fake.failHttp('chat.postMessage', 500);
    await replica().drain();
    const [owed] = await t.temp.store.outbox.list();
    expect(owed).toMatchObject({ state: 'pending', attempts: 1, nextAt: '2026-11-10T12:00:30.000Z' });
    await replica().drain(); // not due yet
    expect(top()).toHaveLength(0);
    t.later(1);
    await replica().drain();
    expect(top()).toHaveLength(1);
  });

  it('two replicas draining at once post one message', async () => {
    for (const id of ['PW-4', 'PW-5', 'PW-6']) await seed(id);
    await Promise.all([replica().drain(), replica().drain(), replica().drain()]);
    expect(top()).toHaveLength(3);
    for (const id of ['PW-4', 'PW-5', 'PW-6']) expect((await t.temp.store.remediations.get(id))?.message).toBeTruthy();
  });

  it.each([
    ['the process dies between the post and recording where it went', () => Promise.reject(new Error('crashed'))],
    ['the write gives up after its retries', () => Promise.resolve(err({ code: 'store.conflict' as const, id: 'PW-7', expectedVersion: 1 }))],
  ])('%s: the replay finds the message it posted and adopts it', async (_n, failure) => {
    await seed('PW-7');
    const repo = t.temp.store.remediations;
    const update = repo.update.bind(repo);
    repo.update = failure as typeof repo.update;
    await replica().drain();
    repo.update = update;
    expect(top()).toHaveLength(1);
    expect((await t.temp.store.remediations.get('PW-7'))?.message).toBeNull();
    t.later(1);
    await replica().drain();
    expect(top()).toHaveLength(1);
    expect((await t.temp.store.remediations.get('PW-7'))?.message).toEqual({ channel, ts: top()[0]!.ts });
  });

  it('Slack posts but its answer is lost: neither the message nor its note is posted twice', async () => {
    const r = await seed('PW-8');
    t.fake.loseAnswer('chat.postMessage');
    await replica().drain();
    t.later(1);
    await replica().drain();
    expect(top()).toHaveLength(1);
    const stored = (await t.temp.store.remediations.get('PW-8'))!;
    await t.temp.store.remediations.update({ ...stored, state: 'assessed' }, stored.version, [], remediationEffects(r.id, 'assessed'));
    t.fake.loseAnswer('chat.postMessage');
    await replica().drain();
    t.later(1);
    await replica().drain();
    expect(t.fake.replies(channel, stored.message!.ts).map((m) => m.text)).toEqual(['What is behind PW-8: 0 findings on 0 assets', 'assessed']);
    await expect(t.temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('two posts after a lost lease: the one recorded second deletes itself and updates the first', async () => {
    await seed('PW-9');
    const [effect] = (await t.temp.store.outbox.list()) as [Effect];
    const handlers = [createRemediationMessages(deps()), createRemediationMessages(deps())];
    const ctx = { replay: false, earlier: async () => [] };
    await Promise.all(handlers.map((h) => h.message.run([effect], ctx)));
    expect(top()).toHaveLength(1);
    expect(t.fake.deleted()).toHaveLength(1);
    expect((await t.temp.store.remediations.get('PW-9'))?.message).toEqual({ channel, ts: top()[0]!.ts });
  });
});
