/** Every finding behind a remediation as a CSV file (the same RFC 4180 rules and formula guard as the digest's). */
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import { knownFix } from '../../domain/grouping.js';
import { assetName } from '../views/asset-names.js';
import { referenceOf } from '../views/findings.js';
import { toCsv } from '../../app/csv.js';

export const FINDINGS_CSV_HEADER = [
  'remediation', 'finding', 'source', 'reference', 'url', 'asset', 'asset_id', 'asset_owner', 'platform', 'last_scanned_at', 'package_or_patch', 'title',
  'manifest', 'installed_version', 'vulnerable_range', 'fixed_in', 'fix_known_to_any_source', 'severity', 'cvss', 'epss', 'kev_due_at', 'cves', 'ghsas',
  'detected_at', 'state', 'fixed_at', 'dismissed_at',
] as const;

export function findingsCsv(detail: FindingsDetail): string {
  const rows = detail.findings.map((f) => {
    const a = detail.assets.get(f.assetId);
    const platform = a?.attributes.platformName;
    return [
      detail.remediation.id, f.id, f.source, referenceOf(f), f.url, assetName(a, f.assetId), f.assetId, a?.owner, typeof platform === 'string' ? platform : null,
      a?.lastScannedAt, f.package, f.title, f.manifest, f.installedVersion, f.vulnerableRange, f.fixedIn, knownFix(f, detail.findings), f.severity, f.cvss,
      f.epss, f.kevDueAt, f.cves.join(' '), f.ghsas.join(' '), f.detectedAt, f.state, f.fixedAt, f.dismissedAt,
    ];
  });
  return toCsv(FINDINGS_CSV_HEADER, rows);
}

export const findingsCsvName = (id: string): string => `${id.toLowerCase()}-findings.csv`;
