import { buildInventoryReport } from '../../../../src/app/reports/inventory-report.js';
import { anAsset } from '../../../support/builders.js';

const now = new Date('2026-11-02T09:00:00.000Z');
const ids = (gaps: readonly { asset: { id: string } }[]) => gaps.map((g) => g.asset.id);

describe('the inventory report and its coverage gaps', () => {
  const assets = [
    anAsset({ id: 'github:a', name: 'acme/a', owner: null, lastScannedAt: '2026-11-01T00:00:00.000Z' }),
    anAsset({ id: 'github:b', name: 'acme/b', owner: null, lastScannedAt: '2026-11-01T00:00:00.000Z' }),
    anAsset({ id: 'github:c', name: 'acme/c', lastScannedAt: null, attributes: { dependabotDisabled: true } }),
    anAsset({ id: 'github:d', name: 'acme/d', lastScannedAt: '2026-10-03T09:00:00.000Z', attributes: { dependabotDisabled: false } }),
    anAsset({ id: 'github:e', name: 'acme/e', lastScannedAt: '2026-10-03T08:59:59.000Z' }),
    anAsset({ id: 'ssm:i-1', name: 'i-1', kind: 'instance', source: 'ssm', attributes: { pingStatus: 'ConnectionLost' }, lastScannedAt: '2026-11-01T00:00:00.000Z' }),
    anAsset({ id: 'ssm:i-2', name: 'i-2', kind: 'instance', source: 'ssm', attributes: { pingStatus: 'Inactive' }, lastScannedAt: '2026-11-01T00:00:00.000Z' }),
    anAsset({ id: 'ssm:i-3', name: 'i-3', kind: 'instance', source: 'ssm', attributes: { pingStatus: 'Online' }, lastScannedAt: '2026-11-01T00:00:00.000Z' }),
    anAsset({ id: 'github:out', name: 'acme/out', owner: null, inScope: false, lastScannedAt: null, attributes: { dependabotDisabled: true } }),
  ];
  const open = new Map([['github:a', 3], ['github:out', 2], ['ssm:i-1', 5]]);
  const report = buildInventoryReport(assets, open, 30, now);

  it('finds each kind of gap among in-scope assets only', () => {
    expect(ids(report.gaps.unowned)).toEqual(['github:a']); // b has no findings; out is out of scope
    expect(ids(report.gaps.staleScan)).toEqual(['github:c', 'github:e']); // d was scanned exactly 30 days ago
    expect(ids(report.gaps.lostAgent)).toEqual(['ssm:i-1', 'ssm:i-2']);
    expect(ids(report.gaps.dependabotDisabled)).toEqual(['github:c']);
    expect(report.gaps.unowned[0]?.openFindings).toBe(3);
    expect(report.assetsWithGaps).toBe(5);
  });

  it('counts assets and open findings by source', () => {
    expect(report.totals).toEqual({ assets: 9, inScope: 8, openFindings: 10 });
    expect(report.bySource).toEqual([
      { source: 'github', assets: 6, inScope: 5, withFindings: 2, openFindings: 5 },
      { source: 'ssm', assets: 3, inScope: 3, withFindings: 1, openFindings: 5 },
    ]);
  });
});
