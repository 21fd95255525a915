/**
 * The remediation history: every write keeps the version it made, so a remediation can be read as it stood at any
 * past moment (`versionsBefore`), whether it was written one by one or in a batch.
 */
import { createMany, updateMany } from '../../src/app/sync/remediation-batches.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { aRemediation } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

const day = (n: number): string => new Date(Date.UTC(2026, 10, n, 9)).toISOString();

export function historyContract(ctx: ContractContext): void {
  const repo = () => ctx.store().remediations;

  /** Created on the 1st, assessed on the 5th, tested on the 10th (each write stamped by its `updatedAt`). */
  async function threeVersions(r: Remediation = aRemediation({ createdAt: day(1), updatedAt: day(1) })): Promise<Remediation[]> {
    const v1 = await repo().create(r, [event(r.id, 'remediation.created')]);
    if (!v1.ok) throw new Error(v1.error.code);
    const v2 = await repo().update({ ...v1.value, state: 'assessed', severity: 'critical', updatedAt: day(5) }, 1, [event(r.id, 'remediation.assessed')]);
    if (!v2.ok) throw new Error(v2.error.code);
    const v3 = await repo().update({ ...v2.value, state: 'tested', updatedAt: day(10) }, 2, [event(r.id, 'remediation.test_recorded')]);
    if (!v3.ok) throw new Error(v3.error.code);
    return [v1.value, v2.value, v3.value];
  }

  it('versionsBefore gives each remediation as its last version before the instant stood', async () => {
    const [v1, v2, v3] = await threeVersions();
    const at = async (instant: string) => repo().versionsBefore([v1!.id], instant);
    await expect(at(day(1))).resolves.toEqual([]); // not yet written: strictly before
    await expect(at(day(3))).resolves.toEqual([v1]);
    await expect(at(day(5))).resolves.toEqual([v1]);
    await expect(at(day(6))).resolves.toEqual([v2]);
    await expect(at(day(30))).resolves.toEqual([v3]);
  });

  it('versionsBefore reads many at once and leaves out unknown ids and those written later', async () => {
    const [a] = await threeVersions();
    const [b] = await threeVersions(aRemediation({ createdAt: day(2), updatedAt: day(2) }));
    const late = aRemediation({ createdAt: day(20), updatedAt: day(20) });
    await repo().create(late, [event(late.id, 'remediation.created')]);
    const got = await repo().versionsBefore([a!.id, b!.id, late.id, 'PW-999999'], day(4));
    expect(got.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b].sort((x, y) => x!.id.localeCompare(y!.id)));
    await expect(repo().versionsBefore([], day(30))).resolves.toEqual([]);
  });

  it('a refused write leaves no version behind', async () => {
    const [v1, , v3] = await threeVersions();
    const stale = await repo().update({ ...v1!, state: 'risk_accepted', updatedAt: day(12) }, 1, [event(v1!.id, 'remediation.risk_accepted')]);
    expect(stale.ok).toBe(false);
    await expect(repo().versionsBefore([v1!.id], day(30))).resolves.toEqual([v3]);
  });

  it('batched creates and updates keep their versions too', async () => {
    const rs = [aRemediation({ createdAt: day(1), updatedAt: day(1) }), aRemediation({ createdAt: day(1), updatedAt: day(1) })];
    const created = await createMany(repo(), rs.map((r) => ({ remediation: r, events: [event(r.id, 'remediation.created')] })));
    const firsts = created.map((c) => (c.ok ? c.value : null));
    await updateMany(repo(), firsts.map((r) => ({ next: { ...r!, state: 'assessed' as const, updatedAt: day(8) }, expectedVersion: 1, events: [event(r!.id, 'remediation.assessed')] })));
    const ids = rs.map((r) => r.id);
    const sorted = (xs: Remediation[]) => xs.map((r) => [r.id, r.version, r.state]).sort();
    expect(sorted(await repo().versionsBefore(ids, day(7)))).toEqual(ids.map((id) => [id, 1, 'new']).sort());
    expect(sorted(await repo().versionsBefore(ids, day(9)))).toEqual(ids.map((id) => [id, 2, 'assessed']).sort());
  });
}
