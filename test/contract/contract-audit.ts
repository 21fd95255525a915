import { GENESIS_HASH, hashEvent, verifyChain, type AuditEvent } from '../../src/app/audit.js';
import { aFinding, anAsset, aRemediation } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

const collect = async (events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> => {
  const all: AuditEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
};

export function auditContract(ctx: ContractContext): void {
  it('an empty log has no head and streams nothing', async () => {
    await expect(ctx.store().audit.head()).resolves.toBeNull();
    await expect(collect(ctx.store().audit.stream())).resolves.toEqual([]);
    await expect(ctx.store().audit.read(1, 10)).resolves.toEqual([]);
  });

  it('append numbers and chains events after the head, and returns them as read gives them back', async () => {
    const first = await ctx.store().audit.append([event('PW-1', 'access.denied', { reason: 'not a lead' })]);
    const more = await ctx.store().audit.append([event('PW-2'), event('PW-1', 'evidence.uploaded')]);
    expect([...first, ...more].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first[0]).toMatchObject({ prevHash: GENESIS_HASH, actor: 'U0LEAD', action: 'access.denied', subject: 'PW-1', data: { reason: 'not a lead' } });
    expect(more[0]!.prevHash).toBe(first[0]!.hash);
    expect(more[1]!.prevHash).toBe(more[0]!.hash);
    for (const e of [...first, ...more]) expect(hashEvent(e)).toBe(e.hash);
    await expect(ctx.store().audit.read(1, 10)).resolves.toEqual([...first, ...more]);
    await expect(ctx.store().audit.head()).resolves.toEqual(more[1]);
  });

  it('keeps data exactly, whatever the key order, so the hash still checks after a round trip', async () => {
    const data = { z: 1, a: { d: [3, { y: true, x: null }], c: 'é\n"' }, n: -1.5 };
    const [written] = await ctx.store().audit.append([event('PW-1', 'remediation.assessed', data)]);
    const [read] = await ctx.store().audit.read(1, 1);
    expect(read!.data).toEqual(data);
    expect(hashEvent(read!)).toBe(written!.hash);
  });

  it('read starts at fromSeq and stops at limit', async () => {
    await ctx.store().audit.append(Array.from({ length: 5 }, (_, i) => event(`PW-${i + 1}`)));
    expect((await ctx.store().audit.read(2, 2)).map((e) => e.seq)).toEqual([2, 3]);
    expect((await ctx.store().audit.read(4, 100)).map((e) => e.seq)).toEqual([4, 5]);
    await expect(ctx.store().audit.read(6, 10)).resolves.toEqual([]);
  });

  it('bySubject returns that subject’s events in seq order', async () => {
    await ctx.store().audit.append([event('PW-1', 'a'), event('PW-2', 'b'), event('PW-1', 'c'), event('PW-3', 'd'), event('PW-1', 'e')]);
    expect((await ctx.store().audit.bySubject('PW-1')).map((e) => [e.seq, e.action])).toEqual([[1, 'a'], [3, 'c'], [5, 'e']]);
    await expect(ctx.store().audit.bySubject('PW-404')).resolves.toEqual([]);
  });

  it('stream yields every event once, in seq order, across many pages', async () => {
    const n = 12_345;
    for (let i = 0; i < n; i += 2500) {
      await ctx.store().audit.append(Array.from({ length: Math.min(2500, n - i) }, (_, j) => event(`PW-${i + j}`, 'bulk', { i: i + j })));
    }
    const streamed = await collect(ctx.store().audit.stream());
    expect(streamed).toHaveLength(n);
    expect(streamed.every((e, i) => e.seq === i + 1 && e.data['i'] === i)).toBe(true);
    const head = await ctx.store().audit.head();
    await expect(verifyChain(ctx.store().audit.stream())).resolves.toEqual({ ok: true, count: n, headSeq: n, headHash: head!.hash });
  });

  it('verifyChain passes over the stream after a mix of writes', async () => {
    const s = ctx.store();
    const r = aRemediation();
    expect((await s.remediations.create(r, [event(r.id, 'remediation.created')])).ok).toBe(true);
    expect((await s.remediations.update({ ...r, state: 'assessed' }, 1, [event(r.id, 'remediation.assessed'), event(r.id, 'reminder.scheduled')])).ok).toBe(true);
    expect((await s.remediations.update({ ...r, state: 'testing' }, 1, [event(r.id, 'lost.race')])).ok).toBe(false);
    expect((await s.remediations.create(r, [event(r.id, 'duplicate')])).ok).toBe(false);
    await s.commit({ assets: [anAsset()], findings: [aFinding(), aFinding()], events: [event('sync:1', 'sync.completed', { at: new Date(0) })] });
    await s.audit.append([event('PW-9', 'access.denied')]);
    const head = await s.audit.head();
    expect(head?.seq).toBe(5);
    await expect(verifyChain(s.audit.stream())).resolves.toEqual({ ok: true, count: 5, headSeq: 5, headHash: head!.hash });
    expect((await collect(s.audit.stream())).map((e) => e.action)).toEqual([
      'remediation.created',
      'remediation.assessed',
      'reminder.scheduled',
      'sync.completed',
      'access.denied',
    ]);
  });

  (ctx.hasSecond ? it : it.skip)('appends from two connections make one unbroken chain', async () => {
    const other = await ctx.second();
    for (let i = 0; i < 10; i += 1) {
      await Promise.all([ctx.store().audit.append([event(`A-${i}`), event(`A-${i}`)]), other.audit.append([event(`B-${i}`)])]);
    }
    const head = await other.audit.head();
    expect(head?.seq).toBe(30);
    await expect(verifyChain(ctx.store().audit.stream())).resolves.toEqual({ ok: true, count: 30, headSeq: 30, headHash: head!.hash });
    await expect(other.audit.bySubject('A-3')).resolves.toHaveLength(2);
  });
}
