import { createUnwritten } from '../../../../src/app/sync/unwritten.js';
import { aFinding, anAsset } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

describe('what the sync sent but the store has not written yet', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  const box = anAsset({ id: 'ssm:i-1', source: 'ssm' });
  const stored = aFinding({ id: 'ssm:i-1:KB1', assetId: box.id, state: 'open' });
  const other = aFinding({ id: 'ssm:i-1:KB2', assetId: box.id, state: 'open' });

  it('reads the records on their way over the stored ones, until their commit settles', async () => {
    await temp.store.commit({ assets: [box], findings: [stored], events: [] });
    const unwritten = createUnwritten(temp.store);
    let written!: () => void;
    const commit = new Promise<void>((r) => (written = r));
    const renamed = { ...box, name: 'renamed' };
    unwritten.hold([renamed], [{ ...stored, state: 'fixed', fixedAt: '2026-11-02T09:00:00.000Z' }, other], commit);

    expect(await unwritten.assets([box.id])).toEqual([renamed]);
    expect((await unwritten.findings([stored.id, other.id])).map((f) => [f.id, f.state]).sort()).toEqual([[stored.id, 'fixed'], [other.id, 'open']]);
    // The complete scan's view of the asset: the stored open one is fixed by now, the new one is open.
    expect((await unwritten.openFindingsOf(box.id)).map((f) => f.id)).toEqual([other.id]);

    written();
    await commit;
    await new Promise((r) => setImmediate(r));
    expect(await unwritten.assets([box.id])).toEqual([box]);
    expect((await unwritten.openFindingsOf(box.id)).map((f) => f.id)).toEqual([stored.id]);
  });

  it('keeps a record while a later commit of it is still on its way', async () => {
    const unwritten = createUnwritten(temp.store);
    let first!: () => void;
    const one = new Promise<void>((r) => (first = r));
    unwritten.hold([], [other], one);
    unwritten.hold([], [{ ...other, severity: 'critical' }], new Promise<void>(() => undefined));
    first();
    await one;
    await new Promise((r) => setImmediate(r));
    expect(await unwritten.findings([other.id])).toMatchObject([{ severity: 'critical' }]);
  });
});
