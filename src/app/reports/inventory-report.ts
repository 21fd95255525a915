/**
 * Step 1 of the policy, inventory: the assets by source and the coverage gaps, the places where a vulnerability
 * could go unseen or unowned. Used by `/patch inventory`, `/patch status`, the digest, and the CLI.
 *
 * A gap is looked for among in-scope assets only (an asset marked out of scope is deliberately not covered):
 * - findings but no owner: open findings on an asset nobody owns, so nobody is told;
 * - stale scan: never scanned, or not within `staleScanDays`;
 * - lost agent: an SSM instance whose agent lost its connection (`pingStatus` ConnectionLost or Inactive);
 * - Dependabot off: a repository with Dependabot alerts disabled (`dependabotDisabled`).
 */
import { SOURCES, type Asset, type Source } from '../../domain/asset.js';
import { addDays, instant, type Instant } from '../../domain/time.js';
import type { Store } from '../ports.js';

export const GAP_KINDS = ['unowned', 'staleScan', 'lostAgent', 'dependabotDisabled'] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export const LOST_PING_STATUSES: readonly string[] = ['ConnectionLost', 'Inactive'];

export interface AssetGap {
  readonly asset: Asset;
  readonly openFindings: number;
}

export interface SourceSummary {
  readonly source: Source;
  readonly assets: number;
  readonly inScope: number;
  /** Assets of this source with at least one open finding, and how many open findings they hold. */
  readonly withFindings: number;
  readonly openFindings: number;
}

export interface InventoryReport {
  readonly at: Instant;
  readonly staleScanDays: number;
  readonly totals: { readonly assets: number; readonly inScope: number; readonly openFindings: number };
  /** Every source that has assets, in the order of SOURCES. */
  readonly bySource: readonly SourceSummary[];
  readonly gaps: Readonly<Record<GapKind, readonly AssetGap[]>>;
  /** Assets with at least one gap (an asset may have several). */
  readonly assetsWithGaps: number;
}

const byName = (a: AssetGap, b: AssetGap): number => a.asset.name.localeCompare(b.asset.name) || a.asset.id.localeCompare(b.asset.id);

/** The report from the assets and their open-finding counts (pure). */
export function buildInventoryReport(assets: readonly Asset[], openFindings: ReadonlyMap<string, number>, staleScanDays: number, now: Date): InventoryReport {
  const staleBefore = instant(addDays(now, -staleScanDays));
  const gaps: Record<GapKind, AssetGap[]> = { unowned: [], staleScan: [], lostAgent: [], dependabotDisabled: [] };
  const withGaps = new Set<string>();
  const gap = (kind: GapKind, g: AssetGap): void => {
    gaps[kind].push(g);
    withGaps.add(g.asset.id);
  };
  for (const asset of assets) {
    if (!asset.inScope) continue;
    const g = { asset, openFindings: openFindings.get(asset.id) ?? 0 };
    if (asset.owner === null && g.openFindings > 0) gap('unowned', g);
    if (asset.lastScannedAt === null || asset.lastScannedAt < staleBefore) gap('staleScan', g);
    const ping = asset.attributes.pingStatus;
    if (asset.source === 'ssm' && typeof ping === 'string' && LOST_PING_STATUSES.includes(ping)) gap('lostAgent', g);
    if (asset.attributes.dependabotDisabled === true) gap('dependabotDisabled', g);
  }
  for (const kind of GAP_KINDS) gaps[kind].sort(byName);

  const bySource = SOURCES.map((source): SourceSummary => {
    const of = assets.filter((a) => a.source === source);
    const counts = of.map((a) => openFindings.get(a.id) ?? 0);
    return {
      source,
      assets: of.length,
      inScope: of.filter((a) => a.inScope).length,
      withFindings: counts.filter((n) => n > 0).length,
      openFindings: counts.reduce((s, n) => s + n, 0),
    };
  }).filter((s) => s.assets > 0);

  return {
    at: instant(now),
    staleScanDays,
    totals: {
      assets: assets.length,
      inScope: assets.filter((a) => a.inScope).length,
      openFindings: bySource.reduce((s, x) => s + x.openFindings, 0),
    },
    bySource,
    gaps,
    assetsWithGaps: withGaps.size,
  };
}

export interface InventoryReportDeps {
  readonly store: Pick<Store, 'assets' | 'findings'>;
  readonly staleScanDays: number;
  readonly now: () => Date;
}

export type InventoryReporter = () => Promise<InventoryReport>;

/** Reads the assets and the open findings per asset (one grouped, indexed query), then builds the report. */
export function createInventoryReport({ store, staleScanDays, now }: InventoryReportDeps): InventoryReporter {
  return async () => {
    const [assets, counts] = await Promise.all([store.assets.list(), store.findings.countByAsset({ state: 'open' })]);
    return buildInventoryReport(assets, new Map(counts.map((c) => [c.assetId, c.count])), staleScanDays, now());
  };
}
