/** Coverage gaps in one or two lines, as status and the digest show them (the inventory view lists them). */
import type { GapKind, InventoryReport } from '../../app/reports/inventory-report.js';
import { plural } from './format.js';

export const GAP_TITLE: Record<GapKind, (n: number, days: number) => string> = {
  unowned: (n) => `${plural(n, 'asset')} with open findings but no owner`,
  staleScan: (n, days) => `${plural(n, 'in-scope asset')} not scanned in ${days} days`,
  lostAgent: (n) => `${plural(n, 'SSM instance')} lost ${n === 1 ? 'its' : 'their'} agent connection`,
  dependabotDisabled: (n) => `${plural(n, 'repository', 'repositories')} with Dependabot alerts disabled`,
};

/** `:white_check_mark: No coverage gaps` or the gaps that exist, one per line. */
export function coverageSummary(report: InventoryReport): string {
  const lines = (Object.keys(GAP_TITLE) as GapKind[])
    .filter((k) => report.gaps[k].length > 0)
    .map((k) => `• ${GAP_TITLE[k](report.gaps[k].length, report.staleScanDays)}`);
  if (lines.length === 0) return `:white_check_mark: No coverage gaps across ${plural(report.totals.assets, 'asset')}.`;
  return [...lines, '`/patch inventory` lists them.'].join('\n');
}
