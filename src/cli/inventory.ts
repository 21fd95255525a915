/**
 * `patchwarden inventory`: every asset, and the coverage gaps an auditor would flag (the same report as
 * `/patch inventory`, which names only the first few): assets with open findings but no owner, in-scope assets not
 * scanned within policy.inventory.staleScanDays, SSM instances that lost their agent, repositories with Dependabot
 * alerts disabled. `--json` for a machine, `--fail-on-gaps` to exit 1 when there is any gap (a CI check).
 */
import { INVENTORY } from './commands.js';
import { parseArgs } from 'node:util';
import { buildInventoryReport, GAP_KINDS, type AssetGap, type InventoryReport } from '../app/reports/inventory-report.js';
import type { Asset } from '../domain/asset.js';
import { GAP_TITLE } from '../slack/views/coverage.js';
import { openStore } from '../store/open-store.js';
import { cliConfig, storeExists } from './cli-config.js';
import { EXIT, type CliCommand } from './command.js';
import { plural, shortTime, textTable } from './text-table.js';

const ASSET_HEADER = ['NAME', 'ID', 'KIND', 'SOURCE', 'ENVIRONMENT', 'OWNER', 'OWNER FROM', 'IN SCOPE', 'LAST SCANNED', 'OPEN FINDINGS'];
const assetRow = (a: Asset, open: number) => [a.name, a.id, a.kind, a.source, a.environment, a.owner, a.owner ? (a.ownerRule ?? 'the source') : null, a.inScope ? 'yes' : 'no', shortTime(a.lastScannedAt), open];

export function renderInventory(report: InventoryReport, assets: readonly Asset[], open: ReadonlyMap<string, number>, gapsOnly: boolean): string {
  const t = report.totals;
  const out = [`Inventory at ${shortTime(report.at)} UTC: ${plural(t.assets, 'asset')}, ${t.inScope.toLocaleString('en-US')} in scope, ${plural(t.openFindings, 'open finding')}`, ''];
  if (report.bySource.length === 0) out.push('No assets yet: `patchwarden sync` fills the inventory from GitHub, Snyk and SSM.', '');
  else out.push(textTable(['SOURCE', 'ASSETS', 'IN SCOPE', 'WITH FINDINGS', 'OPEN FINDINGS'], report.bySource.map((s) => [s.source, s.assets, s.inScope, s.withFindings, s.openFindings])), '');
  if (!gapsOnly && assets.length > 0) out.push(textTable(ASSET_HEADER, assets.map((a) => assetRow(a, open.get(a.id) ?? 0))), '');
  const gaps = GAP_KINDS.filter((k) => report.gaps[k].length > 0);
  out.push(`Coverage gaps (in-scope assets; stale = not scanned in ${report.staleScanDays} days, policy inventory.staleScanDays): ${gaps.length === 0 ? 'none' : plural(report.assetsWithGaps, 'asset')}`);
  for (const kind of gaps) {
    const list: readonly AssetGap[] = report.gaps[kind];
    out.push('', `! ${GAP_TITLE[kind](list.length, report.staleScanDays)}`, textTable(ASSET_HEADER, list.map((g) => assetRow(g.asset, g.openFindings)), '    '));
  }
  return `${out.join('\n')}\n`;
}

export const inventory: CliCommand = {
  ...INVENTORY,
  run: async (args, io) => {
    let values: { 'gaps-only'?: boolean; json?: boolean; 'fail-on-gaps'?: boolean };
    try {
      ({ values } = parseArgs({ args: [...args], options: { 'gaps-only': { type: 'boolean' }, json: { type: 'boolean' }, 'fail-on-gaps': { type: 'boolean' } }, strict: true }));
    } catch (e) {
      io.stderr(`${(e as Error).message}\nusage: patchwarden inventory ${inventory.args}\n`);
      return EXIT.usage;
    }
    const config = cliConfig(io, 'inventory');
    if (!config) return EXIT.failed;
    if (!storeExists(config, io, 'inventory')) return EXIT.failed;
    const store = await openStore({ ...config.store, writer: 'inline' });
    try {
      const [assets, counts] = await Promise.all([store.assets.list(), store.findings.countByAsset({ state: 'open' })]);
      const open = new Map(counts.map((c) => [c.assetId, c.count]));
      const report = buildInventoryReport(assets, open, config.policy.inventory.staleScanDays, new Date());
      if (values.json) io.stdout(`${JSON.stringify({ ...report, assets: assets.map((a) => ({ ...a, openFindings: open.get(a.id) ?? 0 })) }, null, 2)}\n`);
      else io.stdout(renderInventory(report, assets, open, values['gaps-only'] === true));
      return values['fail-on-gaps'] && report.assetsWithGaps > 0 ? EXIT.failed : EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
