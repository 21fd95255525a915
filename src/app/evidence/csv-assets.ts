/**
 * The CSVs read from the stored assets and findings rather than from the remediations: `inventory.csv`, every
 * asset with its coverage gaps (as the inventory stands when the pack is made: assets keep no history), and
 * `snyk-report.csv`, every Snyk issue open at some moment of the period with its status at the cut-off and its
 * project's last scan. Both go one asset at a time.
 */
import type { Finding } from '../../domain/finding.js';
import type { CsvValue } from '../csv.js';
import type { Store } from '../ports.js';
import { GAP_KINDS, type InventoryReport } from '../reports/inventory-report.js';
import type { Window } from './judgements.js';

export const INVENTORY_HEADER = [
  'asset', 'name', 'kind', 'source', 'environment', 'owner', 'in_scope', 'last_seen', 'last_scanned', 'open_findings', 'coverage_gaps',
] as const;

export const SNYK_HEADER = ['issue', 'title', 'project', 'package', 'severity', 'status', 'last_scan_date', 'detected_at', 'closed_at', 'remediation', 'url'] as const;

const GAP_NAMES: Record<(typeof GAP_KINDS)[number], string> = {
  unowned: 'open findings but no owner',
  staleScan: 'not scanned recently',
  lostAgent: 'SSM agent lost',
  dependabotDisabled: 'Dependabot alerts disabled',
};

/** Every asset, by source then id, with the gaps the inventory report found on it. */
export async function* inventoryRows(store: Pick<Store, 'assets'>, report: InventoryReport, openFindings: ReadonlyMap<string, number>): AsyncGenerator<CsvValue[]> {
  const gaps = new Map<string, string[]>();
  for (const kind of GAP_KINDS) for (const g of report.gaps[kind]) gaps.set(g.asset.id, [...(gaps.get(g.asset.id) ?? []), GAP_NAMES[kind]]);
  const assets = (await store.assets.list()).sort((a, b) => a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
  for (const a of assets) {
    yield [a.id, a.name, a.kind, a.source, a.environment, a.owner, a.inScope ? 'yes' : 'no', a.lastSeenAt, a.lastScannedAt, openFindings.get(a.id) ?? 0, (gaps.get(a.id) ?? []).join('; ')];
  }
}

/** Open at some moment of the period: found before the cut-off, not closed before the period began. */
const openIn = (f: Finding, w: Window): boolean => {
  const closedAt = f.fixedAt ?? f.dismissedAt;
  return f.detectedAt < w.cutOff && (f.state === 'open' || closedAt === null || closedAt >= w.from);
};

const statusAt = (f: Finding, w: Window): string =>
  f.fixedAt !== null && f.fixedAt < w.cutOff ? 'resolved' : f.dismissedAt !== null && f.dismissedAt < w.cutOff ? 'ignored' : 'open';

export async function* snykRows(store: Pick<Store, 'assets' | 'findings'>, w: Window): AsyncGenerator<CsvValue[]> {
  for (const { assetId } of await store.findings.countByAsset({ source: 'snyk' })) {
    const project = await store.assets.get(assetId);
    const findings = (await store.findings.list({ assetId, source: 'snyk' })).filter((f) => openIn(f, w)).sort((a, b) => a.id.localeCompare(b.id));
    for (const f of findings) {
      yield [f.id.replace(/^snyk:/, ''), f.title, project?.name ?? assetId, f.package, f.severity, statusAt(f, w), project?.lastScannedAt ?? null, f.detectedAt, f.fixedAt ?? f.dismissedAt, f.remediationId, f.url];
    }
  }
}
