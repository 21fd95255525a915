import type { Remediation } from '../../src/domain/remediation.js';
import { aRemediation } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

/** Creates `r` and returns it as stored (version 1). */
async function created(ctx: ContractContext, r: Remediation = aRemediation()): Promise<Remediation> {
  const result = await ctx.store().remediations.create(r, [event(r.id, 'remediation.created')]);
  if (!result.ok) throw new Error(`create failed: ${result.error.code}`);
  return result.value;
}

const actions = async (ctx: ContractContext, subject: string): Promise<string[]> =>
  (await ctx.store().audit.bySubject(subject)).map((e) => e.action);

export function remediationContract(ctx: ContractContext): void {
  it('nextId gives distinct PW-<n> ids in increasing order', async () => {
    const got = [await ctx.store().remediations.nextId(), await ctx.store().remediations.nextId(), await ctx.store().remediations.nextId()];
    for (const id of got) expect(id).toMatch(/^PW-\d+$/);
    const numbers = got.map((id) => Number(id.slice(3)));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(new Set(got).size).toBe(3);
  });

  it('create stores at version 1 with its events, readable by id and by key', async () => {
    const r = aRemediation({ version: 0 });
    const result = await ctx.store().remediations.create(r, [event(r.id, 'remediation.created'), event(r.id, 'remediation.grouped')]);
    expect(result).toEqual({ ok: true, value: { ...r, version: 1 } });
    await expect(ctx.store().remediations.get(r.id)).resolves.toEqual({ ...r, version: 1 });
    await expect(ctx.store().remediations.getByKey(r.key)).resolves.toEqual({ ...r, version: 1 });
    await expect(actions(ctx, r.id)).resolves.toEqual(['remediation.created', 'remediation.grouped']);
  });

  it('get and getByKey of unknown ones are null', async () => {
    await expect(ctx.store().remediations.get('PW-999999')).resolves.toBeNull();
    await expect(ctx.store().remediations.getByKey('github:acme/none|npm:none')).resolves.toBeNull();
  });

  it.each([
    ['id', (first: Remediation) => aRemediation({ id: first.id })],
    ['key', (first: Remediation) => aRemediation({ key: first.key })],
  ])('create refuses a second remediation with the same %s and writes no event', async (_field, twin) => {
    const first = await created(ctx);
    const dup = twin(first);
    const result = await ctx.store().remediations.create(dup, [event(dup.id, 'remediation.created')]);
    expect(result).toEqual({ ok: false, error: { code: 'store.duplicate', id: dup.id } });
    await expect(ctx.store().remediations.get(first.id)).resolves.toEqual(first);
    await expect(ctx.store().audit.head()).resolves.toMatchObject({ seq: 1, subject: first.id });
  });

  it('update from the current version stores it at the next version with its events', async () => {
    const r = await created(ctx);
    const next = { ...r, state: 'assessed' as const, severity: 'critical' as const, owner: 'U0NEWOWNER' };
    const result = await ctx.store().remediations.update(next, 1, [event(r.id, 'remediation.assessed', { severity: 'critical' })]);
    expect(result).toEqual({ ok: true, value: { ...next, version: 2 } });
    await expect(ctx.store().remediations.get(r.id)).resolves.toEqual({ ...next, version: 2 });
    await expect(ctx.store().remediations.list({ owner: 'U0NEWOWNER', severities: ['critical'] })).resolves.toEqual([{ ...next, version: 2 }]);
    const events = await ctx.store().audit.bySubject(r.id);
    expect(events.map((e) => [e.seq, e.action])).toEqual([[1, 'remediation.created'], [2, 'remediation.assessed']]);
    expect(events[1]!.data).toEqual({ severity: 'critical' });
  });

  it('update from a stale version is refused and changes nothing, not even the audit log', async () => {
    const r = await created(ctx);
    const v2 = await ctx.store().remediations.update({ ...r, state: 'assessed' }, 1, [event(r.id, 'remediation.assessed')]);
    expect(v2.ok).toBe(true);
    const stale = await ctx.store().remediations.update({ ...r, state: 'risk_accepted' }, 1, [event(r.id, 'remediation.risk_accepted')]);
    expect(stale).toEqual({ ok: false, error: { code: 'store.conflict', id: r.id, expectedVersion: 1 } });
    await expect(ctx.store().remediations.get(r.id)).resolves.toMatchObject({ state: 'assessed', version: 2 });
    await expect(actions(ctx, r.id)).resolves.toEqual(['remediation.created', 'remediation.assessed']);
    await expect(ctx.store().audit.head()).resolves.toMatchObject({ seq: 2 });
  });

  it('update of an unknown remediation is a conflict', async () => {
    const ghost = aRemediation();
    const result = await ctx.store().remediations.update(ghost, 1, [event(ghost.id)]);
    expect(result).toEqual({ ok: false, error: { code: 'store.conflict', id: ghost.id, expectedVersion: 1 } });
    await expect(ctx.store().audit.head()).resolves.toBeNull();
  });

  it('update to a key another remediation holds is refused as a duplicate', async () => {
    const [a, b] = [await created(ctx), await created(ctx)];
    const result = await ctx.store().remediations.update({ ...b, key: a.key }, 1, [event(b.id)]);
    expect(result).toEqual({ ok: false, error: { code: 'store.duplicate', id: b.id } });
    await expect(ctx.store().remediations.get(b.id)).resolves.toEqual(b);
    await expect(ctx.store().audit.head()).resolves.toMatchObject({ seq: 2 });
  });

  describe('two connections', () => {
    const twoIt = ctx.hasSecond ? it : it.skip;

    twoIt('two writers from the same version: exactly one wins, the loser gets store.conflict, one event is logged', async () => {
      const other = await ctx.second();
      const r = await created(ctx);
      const [mine, theirs] = [await ctx.store().remediations.get(r.id), await other.remediations.get(r.id)];
      expect(mine?.version).toBe(1);
      expect(theirs?.version).toBe(1);
      const results = await Promise.all([
        ctx.store().remediations.update({ ...mine!, state: 'assessed', owner: 'U0ALICE' }, 1, [event(r.id, 'remediation.assessed', { by: 'alice' })]),
        other.remediations.update({ ...theirs!, state: 'risk_accepted', owner: 'U0BOB' }, 1, [event(r.id, 'remediation.risk_accepted', { by: 'bob' })]),
      ]);
      const winners = results.filter((x) => x.ok);
      const losers = results.filter((x) => !x.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toEqual([{ ok: false, error: { code: 'store.conflict', id: r.id, expectedVersion: 1 } }]);
      const winner = winners[0]!.ok ? winners[0]!.value : null;
      await expect(other.remediations.get(r.id)).resolves.toEqual(winner);
      await expect(ctx.store().remediations.get(r.id)).resolves.toMatchObject({ version: 2, owner: winner?.owner });
      const logged = await ctx.store().audit.bySubject(r.id);
      expect(logged.map((e) => e.action)).toEqual(['remediation.created', winner?.state === 'assessed' ? 'remediation.assessed' : 'remediation.risk_accepted']);
    });

    twoIt('nextId never hands out the same id on two connections', async () => {
      const other = await ctx.second();
      const got = await Promise.all([ctx.store(), other, ctx.store(), other].map((s) => s.remediations.nextId()));
      expect(new Set(got).size).toBe(4);
    });
  });
}
