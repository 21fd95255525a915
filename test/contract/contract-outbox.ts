/**
 * The outbox: Slack effects enter only with the write that causes them (a remediation's create or update, one of
 * the batches, a commit), ordered after that write's events; a refused write adds none; the drainer lists them in
 * recorded order and settles each attempt.
 */
import type { EffectInput } from '../../src/app/outbox/effects.js';
import { createMany, updateMany } from '../../src/app/sync/remediation-batches.js';
import { aRemediation } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

const note = (subject: string, text: string): EffectInput => ({ kind: 'remediation.note', subject, data: { text } });
const message = (subject: string): EffectInput => ({ kind: 'remediation.message', subject });

export function outboxContract(ctx: ContractContext): void {
  const store = () => ctx.store();
  const texts = async (subject?: string) => (await store().outbox.list({ subject })).map((e) => `${e.kind}:${String(e.data.text ?? '')}`);

  it('a write adds its effects with it, after its events, pending, in the order given', async () => {
    const r = aRemediation();
    const created = await store().remediations.create(r, [event(r.id, 'remediation.created')], [message(r.id)]);
    if (!created.ok) throw new Error(created.error.code);
    const updated = await store().remediations.update({ ...created.value, title: 't2' }, 1, [event(r.id, 'remediation.assessed'), event(r.id, 'remediation.updated')], [
      message(r.id),
      note(r.id, 'assessed'),
    ]);
    expect(updated.ok).toBe(true);
    const effects = await store().outbox.list();
    expect(effects.map((e) => [e.kind, e.subject, e.seq, e.n, e.state, e.attempts, e.nextAt, e.result])).toEqual([
      ['remediation.message', r.id, 1, 0, 'pending', 0, null, null],
      ['remediation.message', r.id, 3, 0, 'pending', 0, null, null],
      ['remediation.note', r.id, 3, 1, 'pending', 0, null, null],
    ]);
    expect(effects[2]).toMatchObject({ data: { text: 'assessed' }, error: null, at: event(r.id).at });
    expect(new Set(effects.map((e) => e.id)).size).toBe(3);
  });

  it('a refused write adds no effect', async () => {
    const r = aRemediation();
    await store().remediations.create(r, [], [message(r.id)]);
    await store().remediations.create(aRemediation({ id: r.id }), [], [note(r.id, 'twin')]);
    await store().remediations.update({ ...r, title: 'stale' }, 7, [], [note(r.id, 'stale')]);
    await expect(texts()).resolves.toEqual(['remediation.message:']);
  });

  it('a commit adds its effects and its key-value entries with its records and events', async () => {
    await store().commit({ events: [event('digest:d1', 'digest.posted')], effects: [{ kind: 'slack.post', subject: 'digest:d1', data: { text: 'summary' } }], kv: [{ ns: 'digest', key: 'last', value: { period: '2026-11' } }] });
    await expect(store().kv.get('digest', 'last')).resolves.toEqual({ period: '2026-11' });
    await expect(store().outbox.list({ subject: 'digest:d1' })).resolves.toMatchObject([{ kind: 'slack.post', seq: 1, n: 0, data: { text: 'summary' } }]);
    await store().commit({ events: [], effects: [note('PW-1', 'no event')] });
    await expect(store().outbox.list({ subject: 'PW-1' })).resolves.toMatchObject([{ seq: 1, n: 0 }]);
  });

  it('the batches add each item’s effects, none for a refused item', async () => {
    const [a, b] = [aRemediation(), aRemediation()];
    const made = await createMany(store().remediations, [a, aRemediation({ key: a.key }), b].map((r) => ({ remediation: r, events: [event(r.id, 'remediation.created')], effects: [message(r.id)] })));
    expect(made.map((m) => m.ok)).toEqual([true, false, true]);
    await updateMany(store().remediations, [
      { next: { ...a, version: 1, title: 'a2' }, expectedVersion: 1, events: [event(a.id, 'remediation.updated')], effects: [note(a.id, 'a2')] },
      { next: { ...b, version: 1, title: 'b2' }, expectedVersion: 9, events: [], effects: [note(b.id, 'b2')] },
    ]);
    await expect(texts(a.id)).resolves.toEqual(['remediation.message:', 'remediation.note:a2']);
    await expect(texts(b.id)).resolves.toEqual(['remediation.message:']);
  });

  it('lists by subject and state in recorded order, up to a limit; settle records an attempt and its outcome', async () => {
    const r = aRemediation();
    await store().remediations.create(r, [event(r.id, 'remediation.created')], [note(r.id, '1'), note('other', 'x'), note(r.id, '2')]);
    const [first, , second] = await store().outbox.list();
    await store().outbox.settle(first!.id, { state: 'done', attempts: 1, nextAt: null, error: null, result: { channel: 'C1', ts: '1.1' } });
    await store().outbox.settle(second!.id, { state: 'pending', attempts: 1, nextAt: '2026-11-01T10:00:00.000Z', error: 'ratelimited', result: null });
    await expect(store().outbox.get(first!.id)).resolves.toMatchObject({ state: 'done', attempts: 1, result: { channel: 'C1', ts: '1.1' } });
    await expect(texts(r.id)).resolves.toEqual(['remediation.note:2']);
    await expect(store().outbox.list({ subject: r.id, states: ['pending', 'done'] })).resolves.toMatchObject([{ data: { text: '1' } }, { data: { text: '2' }, nextAt: '2026-11-01T10:00:00.000Z', error: 'ratelimited' }]);
    await expect(store().outbox.list({ limit: 1 })).resolves.toMatchObject([{ subject: 'other' }]);
    await expect(store().outbox.get('no-such-effect')).resolves.toBeNull();
  });
}
