/**
 * The remediation batches, through src/app/sync/remediation-batches.ts: an adapter's own nextIds / createMany / updateMany where
 * it has them, one call each where not; either way each item behaves exactly as its single call.
 */
import { createMany, nextIds, updateMany } from '../../src/app/sync/remediation-batches.js';
import { aRemediation } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

export function batchContract(ctx: ContractContext): void {
  const repo = () => ctx.store().remediations;
  const actions = async (subject: string) => (await ctx.store().audit.bySubject(subject)).map((e) => e.action);

  it('nextIds gives that many new ids, increasing, continuing from nextId and followed by it', async () => {
    const first = await repo().nextId();
    const batch = await nextIds(repo(), 3);
    const after = await repo().nextId();
    const n = [first, ...batch, after].map((id) => Number(id.slice(3)));
    expect(batch).toHaveLength(3);
    expect(n.every((x, i) => i === 0 || x > n[i - 1]!)).toBe(true);
    expect(await nextIds(repo(), 0)).toEqual([]);
  });

  it('createMany creates each with its events; a taken id or key is refused alone', async () => {
    const taken = aRemediation();
    await repo().create(taken, [event(taken.id, 'remediation.created')]);
    const a = aRemediation();
    const dupKey = aRemediation({ key: taken.key });
    const b = aRemediation();
    const results = await createMany(repo(), [a, dupKey, b].map((r) => ({ remediation: r, events: [event(r.id, 'remediation.created')] })));
    expect(results).toEqual([{ ok: true, value: { ...a, version: 1 } }, { ok: false, error: { code: 'store.duplicate', id: dupKey.id } }, { ok: true, value: { ...b, version: 1 } }]);
    await expect(repo().get(b.id)).resolves.toEqual({ ...b, version: 1 });
    await expect(repo().get(dupKey.id)).resolves.toBeNull();
    await expect(actions(dupKey.id)).resolves.toEqual([]);
    await expect(actions(a.id)).resolves.toEqual(['remediation.created']);
  });

  it('updateMany applies each from its version with its events; a stale one is refused alone', async () => {
    const rs = [aRemediation(), aRemediation(), aRemediation()];
    const stored = [];
    for (const r of rs) {
      const c = await repo().create(r, []);
      if (!c.ok) throw new Error(c.error.code);
      stored.push(c.value);
    }
    const [x, y, z] = stored as [typeof stored[0], typeof stored[0], typeof stored[0]];
    const results = await updateMany(repo(), [
      { next: { ...x, title: 'x2' }, expectedVersion: 1, events: [event(x.id, 'remediation.updated')] },
      { next: { ...y, title: 'y2' }, expectedVersion: 7, events: [event(y.id, 'remediation.updated')] },
      { next: { ...z, title: 'z2' }, expectedVersion: 1, events: [event(z.id, 'remediation.updated')] },
    ]);
    expect(results.map((r) => (r.ok ? r.value.version : r.error.code))).toEqual([2, 'store.conflict', 2]);
    await expect(repo().get(x.id)).resolves.toMatchObject({ title: 'x2', version: 2 });
    await expect(repo().get(y.id)).resolves.toEqual(y);
    await expect(actions(y.id)).resolves.toEqual([]);
    await expect(actions(z.id)).resolves.toEqual(['remediation.updated']);
  });

  it('updateMany refuses a key another remediation holds, and applies the rest', async () => {
    const a = aRemediation();
    const b = aRemediation();
    for (const r of [a, b]) await repo().create(r, []);
    const results = await updateMany(repo(), [
      { next: { ...a, key: b.key }, expectedVersion: 1, events: [] },
      { next: { ...b, title: 'b2' }, expectedVersion: 1, events: [] },
    ]);
    expect(results.map((r) => (r.ok ? r.value.title : r.error.code))).toEqual(['store.duplicate', 'b2']);
    await expect(repo().get(a.id)).resolves.toMatchObject({ key: a.key, version: 1 });
  });

  it('batches bigger than a server takes at once: every item applied, its events in item order, a taken id refused alone', async () => {
    const ids = await nextIds(repo(), 120);
    expect(new Set(ids).size).toBe(120);
    const rs = ids.map((id) => aRemediation({ id }));
    await repo().create(rs[60]!, []);
    const made = await createMany(repo(), rs.map((r) => ({ remediation: r, events: [event(r.id, 'remediation.created')] })));
    expect(made.filter((m) => !m.ok)).toEqual([{ ok: false, error: { code: 'store.duplicate', id: rs[60]!.id } }]);
    const updated = await updateMany(repo(), rs.map((r, i) => ({ next: { ...r, version: 1, title: `t${i}` }, expectedVersion: 1, events: [event(r.id, 'remediation.updated', { i })] })));
    expect(updated.every((u) => u.ok)).toBe(true);
    await expect(repo().get(rs[119]!.id)).resolves.toMatchObject({ title: 't119', version: 2 });
    const log = await ctx.store().audit.read(1, 1000);
    const order = log.filter((e) => e.action === 'remediation.updated').map((e) => e.data['i']);
    expect(order).toEqual(rs.map((_, i) => i));
    expect(log.filter((e) => e.action === 'remediation.created')).toHaveLength(119);
  });
}
