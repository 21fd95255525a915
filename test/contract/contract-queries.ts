import { type Remediation } from '../../src/domain/remediation.js';
import { OPEN_STATES } from '../../src/domain/remediation-state.js';
import { addDays, instant } from '../../src/domain/time.js';
import { aRemediation } from '../support/builders.js';
import { ids, type ContractContext } from './contract-context.js';

const NOW = new Date('2026-12-01T00:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));

/** Eight remediations spread over states, severities, owners and due dates (ids chosen so text order = number order). */
const fixture = (): Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h', Remediation> => ({
  a: aRemediation({ id: 'PW-101', state: 'new', severity: 'critical', owner: 'U1', dueAt: day(-2) }),
  // b and c are due at the same time: id decides, whatever the insertion order.
  b: aRemediation({ id: 'PW-203', state: 'assessed', severity: 'high', owner: 'U1', dueAt: day(3) }),
  c: aRemediation({ id: 'PW-202', state: 'testing', severity: 'high', owner: 'U2', dueAt: day(3) }),
  d: aRemediation({ id: 'PW-104', state: 'scheduled', severity: 'medium', owner: 'U2', dueAt: day(20) }),
  e: aRemediation({ id: 'PW-105', state: 'verified', severity: 'high', owner: 'U1', dueAt: day(-5), closedAt: day(-1), resolution: 'deployed' }),
  f: aRemediation({ id: 'PW-106', state: 'risk_accepted', severity: 'low', owner: null, dueAt: day(100), closedAt: day(-10), resolution: 'risk_accepted' }),
  // Due exactly seven days from now: outside a window that ends (exclusively) there.
  g: aRemediation({ id: 'PW-107', state: 'reopened', severity: 'critical', owner: 'U3', dueAt: day(7) }),
  h: aRemediation({ id: 'PW-108', state: 'assessed', severity: 'high', owner: 'U2', dueAt: day(50) }),
});

export function queryContract(ctx: ContractContext): void {
  let r: ReturnType<typeof fixture>;
  beforeEach(async () => {
    r = fixture();
    for (const x of Object.values(r)) {
      const result = await ctx.store().remediations.create(x, []);
      if (!result.ok) throw new Error(result.error.code);
    }
  });
  const listed = async (query: Parameters<ReturnType<ContractContext['store']>['remediations']['list']>[0]) =>
    ids(await ctx.store().remediations.list(query));

  it('list returns every remediation, ordered by due date then id', async () => {
    await expect(listed({})).resolves.toEqual(ids([r.e, r.a, r.c, r.b, r.g, r.d, r.h, r.f]));
    await expect(ctx.store().remediations.list()).resolves.toEqual([r.e, r.a, r.c, r.b, r.g, r.d, r.h, r.f].map((x) => ({ ...x, version: 1 })));
  });

  it.each([
    ['states', { states: ['assessed', 'testing'] } as const, ['c', 'b', 'h']],
    ['an empty states list', { states: [] } as const, []],
    ['severities', { severities: ['critical'] } as const, ['a', 'g']],
    ['owner', { owner: 'U1' }, ['e', 'a', 'b']],
    ['dueFrom (inclusive) and dueBefore (exclusive)', { dueFrom: day(3), dueBefore: day(7) }, ['c', 'b']],
    ['dueFrom alone', { dueFrom: day(20) }, ['d', 'h', 'f']],
    ['closedSince (closed ones only, inclusive)', { closedSince: day(-10) }, ['e', 'f']],
    ['a later closedSince', { closedSince: day(-1) }, ['e']],
    ['open, high and owned by U1', { states: OPEN_STATES, severities: ['high'], owner: 'U1' } as const, ['b']],
  ] as const)('list and count filter by %s', async (_name, query, expected) => {
    const want = expected.map((k) => r[k].id);
    await expect(listed(query)).resolves.toEqual(want);
    await expect(ctx.store().remediations.count(query)).resolves.toBe(want.length);
  });

  it('overdue = open states due before now', async () => {
    const overdue = { states: OPEN_STATES, dueBefore: instant(NOW) };
    await expect(listed(overdue)).resolves.toEqual([r.a.id]);
    await expect(ctx.store().remediations.count(overdue)).resolves.toBe(1);
  });

  it('due within 7 days = open states due from now to now + 7 days', async () => {
    const soon = { states: OPEN_STATES, dueFrom: instant(NOW), dueBefore: day(7) };
    await expect(listed(soon)).resolves.toEqual([r.c.id, r.b.id]);
    await expect(ctx.store().remediations.count(soon)).resolves.toBe(2);
  });

  it('limit and offset page through the same order', async () => {
    await expect(listed({ limit: 3 })).resolves.toEqual(ids([r.e, r.a, r.c]));
    await expect(listed({ limit: 3, offset: 3 })).resolves.toEqual(ids([r.b, r.g, r.d]));
    await expect(listed({ limit: 3, offset: 6 })).resolves.toEqual(ids([r.h, r.f]));
    await expect(listed({ offset: 7 })).resolves.toEqual(ids([r.f]));
    await expect(listed({ states: OPEN_STATES, limit: 2, offset: 1 })).resolves.toEqual(ids([r.c, r.b]));
  });

  it('count with no query counts everything', async () => {
    await expect(ctx.store().remediations.count()).resolves.toBe(8);
    await expect(ctx.store().remediations.count({ states: OPEN_STATES })).resolves.toBe(6);
  });

  it('a count is a promise its askers can share: awaited twice, it answers twice', async () => {
    const remediations = ctx.store().remediations.count({ states: OPEN_STATES });
    const findings = ctx.store().findings.count();
    await expect(Promise.all([remediations, remediations, findings])).resolves.toEqual([6, 6, await findings]);
    await expect(remediations).resolves.toBe(6);
  });

  it('countByStateAndSeverity counts each pair present', async () => {
    const counts = await ctx.store().remediations.countByStateAndSeverity();
    const sorted = [...counts].sort((x, y) => `${x.state}/${x.severity}`.localeCompare(`${y.state}/${y.severity}`));
    expect(sorted).toEqual([
      { state: 'assessed', severity: 'high', count: 2 },
      { state: 'new', severity: 'critical', count: 1 },
      { state: 'reopened', severity: 'critical', count: 1 },
      { state: 'risk_accepted', severity: 'low', count: 1 },
      { state: 'scheduled', severity: 'medium', count: 1 },
      { state: 'testing', severity: 'high', count: 1 },
      { state: 'verified', severity: 'high', count: 1 },
    ]);
  });

  it('createdSince (inclusive) selects what was recorded since then', async () => {
    const late = aRemediation({ id: 'PW-301', state: 'new', createdAt: day(-1), dueAt: day(30) });
    const later = aRemediation({ id: 'PW-302', state: 'verified', createdAt: instant(NOW), closedAt: instant(NOW), dueAt: day(1) });
    for (const x of [late, later]) expect((await ctx.store().remediations.create(x, [])).ok).toBe(true);
    await expect(listed({ createdSince: day(-1) })).resolves.toEqual([later.id, late.id]);
    await expect(listed({ createdSince: day(-1), states: OPEN_STATES })).resolves.toEqual([late.id]);
    await expect(ctx.store().remediations.count({ createdSince: instant(NOW) })).resolves.toBe(1);
    // createdAt follows an update, like every indexed field.
    const moved = await ctx.store().remediations.update({ ...late, version: 1, createdAt: day(-40) }, 1, []);
    expect(moved.ok).toBe(true);
    await expect(listed({ createdSince: day(-1) })).resolves.toEqual([later.id]);
  });

  it('facts: the same selection and order as list, with only the fields reports aggregate over', async () => {
    const query = { states: ['new', 'verified', 'risk_accepted', 'reopened'] } as const;
    const full = await ctx.store().remediations.list(query);
    const facts = await ctx.store().remediations.facts(query);
    expect(facts).toEqual(
      full.map((x) => ({
        id: x.id, state: x.state, severity: x.severity, owner: x.owner, dueAt: x.dueAt, closedAt: x.closedAt,
        createdAt: x.createdAt, slaStartAt: x.slaStartAt, resolution: x.resolution,
      })),
    );
    expect(facts.find((x) => x.id === r.f.id)).toMatchObject({ owner: null, resolution: 'risk_accepted', closedAt: day(-10) });
    expect(facts.find((x) => x.id === r.a.id)).toMatchObject({ closedAt: null, resolution: null });
    await expect(ctx.store().remediations.facts({ limit: 2, offset: 1 })).resolves.toEqual(
      (await ctx.store().remediations.facts()).slice(1, 3),
    );
    await expect(ctx.store().remediations.facts({ states: [] })).resolves.toEqual([]);
  });

  it('countByOwner: what list selects, counted per owner (nobody as null), limit and offset aside', async () => {
    // Nobody last, else by id.
    const sorted = (counts: readonly { owner: string | null; count: number }[]) => [...counts].sort((x, y) => Number(x.owner === null) - Number(y.owner === null) || (x.owner ?? '').localeCompare(y.owner ?? ''));
    await expect(ctx.store().remediations.countByOwner().then(sorted)).resolves.toEqual([
      { owner: 'U1', count: 3 },
      { owner: 'U2', count: 3 },
      { owner: 'U3', count: 1 },
      { owner: null, count: 1 },
    ]);
    await expect(ctx.store().remediations.countByOwner({ states: OPEN_STATES, dueBefore: day(10) }).then(sorted)).resolves.toEqual([
      { owner: 'U1', count: 2 },
      { owner: 'U2', count: 1 },
      { owner: 'U3', count: 1 },
    ]);
    await expect(ctx.store().remediations.countByOwner({ closedSince: day(-10), limit: 1, offset: 1 }).then(sorted)).resolves.toEqual([
      { owner: 'U1', count: 1 },
      { owner: null, count: 1 },
    ]);
    await expect(ctx.store().remediations.countByOwner({ states: [] })).resolves.toEqual([]);
    // An update moves the count: a new owner, and a closed remediation leaves the open ones.
    expect((await ctx.store().remediations.update({ ...r.b, owner: 'U3' }, 1, [])).ok).toBe(true);
    expect((await ctx.store().remediations.update({ ...r.a, state: 'verified', closedAt: instant(NOW), resolution: 'deployed' }, 1, [])).ok).toBe(true);
    await expect(ctx.store().remediations.countByOwner({ states: OPEN_STATES, dueBefore: day(10) }).then(sorted)).resolves.toEqual([
      { owner: 'U2', count: 1 },
      { owner: 'U3', count: 2 },
    ]);
  });

  it('queries see an update: a closed remediation leaves the overdue list', async () => {
    const closed = { ...r.a, state: 'verified' as const, closedAt: instant(NOW), resolution: 'deployed' as const };
    const result = await ctx.store().remediations.update(closed, 1, []);
    expect(result.ok).toBe(true);
    await expect(listed({ states: OPEN_STATES, dueBefore: instant(NOW) })).resolves.toEqual([]);
    await expect(listed({ closedSince: instant(NOW) })).resolves.toEqual([r.a.id]);
    // The facts the status report aggregates follow the update too (on SQLite, columns of their own since step 7).
    await expect(ctx.store().remediations.facts({ closedSince: instant(NOW) })).resolves.toEqual([
      expect.objectContaining({ id: r.a.id, state: 'verified', closedAt: instant(NOW), slaStartAt: r.a.slaStartAt, resolution: 'deployed' }),
    ]);
  });
}
