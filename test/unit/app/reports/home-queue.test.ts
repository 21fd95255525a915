/** Each person's queue by role, read from a real SQLite store. */
import { createHomeQueue } from '../../../../src/app/reports/home-queue.js';
import { createRoleResolver } from '../../../../src/app/role-resolver.js';
import type { Remediation } from '../../../../src/domain/remediation.js';
import { aRemediation, aTest } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');
const roles = createRoleResolver(
  { lead: ['U0LEAD', 'U0LEAD2'], engineer: ['S0ENG'], approver: ['U0APP'], manager: ['U0MGR'], auditor: [] },
  { groupMembers: async () => ['U0ENG', 'U0ENG2'] },
);

describe('the home queue', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await tempStore();
    const seed = async (id: string, o: Partial<Remediation>) => {
      const created = await temp.store.remediations.create(aRemediation({ id, ...o }), []);
      if (!created.ok) throw new Error('seed');
    };
    await seed('PW-1', { state: 'new' });
    await seed('PW-2', { state: 'reopened' });
    await seed('PW-3', { state: 'testing', owner: 'U0OTHER', dueAt: '2026-11-20T00:00:00.000Z' });
    await seed('PW-4', { state: 'assessed', owner: 'U0ENG', dueAt: '2026-12-20T00:00:00.000Z' });
    await seed('PW-5', { state: 'tested', tests: [aTest({ by: 'U0LEAD' })] });
    await seed('PW-6', { state: 'tested', tests: [aTest({ by: 'U0ENG' })], dueAt: '2026-10-01T00:00:00.000Z' });
    await seed('PW-7', { state: 'risk_accepted', dueAt: '2026-10-01T00:00:00.000Z' });
  });
  afterAll(() => temp.dispose());

  const ids = (s: { items: readonly Remediation[]; total: number } | null) => (s ? [s.items.map((r) => r.id), s.total] : null);

  it('a lead: to assess, to test, to approve except what they tested, overdue', async () => {
    const q = await createHomeQueue({ store: temp.store, roles, now })('U0LEAD');
    expect(q.roles).toEqual(['lead']);
    expect([ids(q.toAssess), ids(q.toTest), ids(q.toApprove), ids(q.overdue)]).toEqual([
      [['PW-1', 'PW-2'], 2],
      [['PW-3', 'PW-4'], 2],
      [['PW-6'], 1],
      [['PW-6'], 1],
    ]);
  });

  it('an engineer: their own first; no assessing or approving', async () => {
    const q = await createHomeQueue({ store: temp.store, roles, now })('U0ENG');
    expect([ids(q.toAssess), ids(q.toTest), ids(q.toApprove)]).toEqual([null, [['PW-4', 'PW-3'], 2], null]);
  });

  it('short lists with the full count', async () => {
    const q = await createHomeQueue({ store: temp.store, roles, now, perSection: 1 })('U0APP');
    expect([ids(q.toApprove), ids(q.overdue)]).toEqual([[['PW-6'], 2], [['PW-6'], 1]]);
  });

  it('someone with no role: nothing, and who the leads are', async () => {
    const q = await createHomeQueue({ store: temp.store, roles, now })('U0NOBODY');
    expect(q).toEqual({ userId: 'U0NOBODY', roles: [], toAssess: null, toTest: null, toApprove: null, overdue: null, leads: ['U0LEAD', 'U0LEAD2'] });
  });

  it('homes refreshed together read each list once, and say the same as when built alone', async () => {
    let reads = 0;
    const counted = { ...temp.store, remediations: { ...temp.store.remediations,
      list: (q: Parameters<typeof temp.store.remediations.list>[0]) => ((reads += 1), temp.store.remediations.list(q)),
      count: (q: Parameters<typeof temp.store.remediations.count>[0]) => ((reads += 1), temp.store.remediations.count(q)) } };
    const load = createHomeQueue({ store: counted, roles, now });
    const alone = [await load('U0LEAD'), await load('U0LEAD2')];
    const readsAlone = reads;
    reads = 0;
    const shared = new Map();
    const together = [await load('U0LEAD', shared), await load('U0LEAD2', shared)];
    expect(together).toEqual(alone);
    expect(reads).toBe(readsAlone / 2 + 1); // the second lead shares everything but their own "mine" list
  });
});
