/** `/patch inventory`: assets by source and the coverage gaps, each gap naming its first assets (≤ 50 blocks). */
import type { KnownBlock } from '@slack/types';
import { GAP_KINDS, type AssetGap, type GapKind, type InventoryReport } from '../../app/reports/inventory-report.js';
import type { Source } from '../../domain/asset.js';
import { context, fields, header, linesToSections, section } from './blocks.js';
import { GAP_TITLE } from './coverage.js';
import { assetName } from './asset-names.js';
import { escapeText, formatDate, formatDateTime, mention, plural, truncate } from './format.js';

/** Assets named per gap; the rest are counted (the CLI `patchwarden inventory` prints them all). */
export const ASSETS_SHOWN = 15;

const SOURCE_LABEL: Record<Source, string> = { github: 'GitHub', snyk: 'Snyk', ssm: 'AWS SSM', manual: 'Manual' };

function assetLine(g: AssetGap, kind: GapKind, timeZone: string): string {
  const a = g.asset;
  const facts = [
    a.environment ? escapeText(a.environment) : 'no environment',
    kind === 'unowned' ? null : mention(a.owner),
    g.openFindings > 0 ? plural(g.openFindings, 'open finding') : null,
    kind === 'staleScan' ? (a.lastScannedAt ? `last scanned ${formatDate(a.lastScannedAt, timeZone)}` : 'never scanned') : null,
    kind === 'lostAgent' ? `agent ${escapeText(String(a.attributes.pingStatus))}` : null,
  ].filter(Boolean);
  return `• *${escapeText(truncate(assetName(a, a.id), 100))}* (${SOURCE_LABEL[a.source]}) · ${facts.join(' · ')}`;
}

export function inventoryMessage(report: InventoryReport, timeZone: string): { text: string; blocks: KnownBlock[] } {
  const sources = report.bySource.map(
    (s) => `*${SOURCE_LABEL[s.source]}*\n${plural(s.assets, 'asset')} (${s.inScope} in scope) · ${plural(s.openFindings, 'open finding')} on ${plural(s.withFindings, 'asset')}`,
  );
  const gapBlocks = GAP_KINDS.flatMap((kind): KnownBlock[] => {
    const gaps = report.gaps[kind];
    if (gaps.length === 0) return [];
    const more = gaps.length - ASSETS_SHOWN;
    return [
      section(`:warning: *${GAP_TITLE[kind](gaps.length, report.staleScanDays)}*`, `gap-${kind}`),
      ...linesToSections(gaps.slice(0, ASSETS_SHOWN).map((g) => assetLine(g, kind, timeZone)), `gap-${kind}-list`),
      ...(more > 0 ? [context(`and ${plural(more, 'more', 'more')}; \`patchwarden inventory\` prints every one`, `gap-${kind}-more`)] : []),
    ];
  });
  const blocks: KnownBlock[] = [
    header('Inventory', 'title'),
    section(`${plural(report.totals.assets, 'asset')}, ${report.totals.inScope} in scope, ${plural(report.totals.openFindings, 'open finding')}.`, 'totals'),
    ...(sources.length > 0 ? [fields(sources, 'sources')] : [section('No assets yet: the first sync from GitHub, Snyk or SSM fills the inventory.', 'sources')]),
    ...(gapBlocks.length > 0 ? gapBlocks : [section(':white_check_mark: *No coverage gaps.*', 'gaps')]),
    context(`Gaps look at in-scope assets. Stale means not scanned in ${report.staleScanDays} days (policy: inventory.staleScanDays). As of ${formatDateTime(report.at, timeZone)}.`, 'as-of'),
  ];
  const gapCount = GAP_KINDS.reduce((n, k) => n + report.gaps[k].length, 0);
  return { text: `Inventory: ${plural(report.totals.assets, 'asset')}, ${plural(gapCount, 'coverage gap')}`, blocks };
}
