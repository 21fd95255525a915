/** The digest's complete list as a CSV file (see src/app/csv.ts for the format and its guard against formulas). */
import { toCsv } from '../../app/csv.js';
import { slaStatus, type SlaPolicy } from '../../domain/sla.js';
import type { Remediation } from '../../domain/remediation.js';

export const REMEDIATION_CSV_HEADER = [
  'id', 'title', 'severity', 'state', 'sla_status', 'due_at', 'owner', 'new_since_last_digest',
  'detected_at', 'created_at', 'closed_at', 'kev_due_at', 'cves', 'assets', 'asset_ids', 'findings',
] as const;

/**
 * One row per remediation; `fresh` are the ids new since the last digest; `names` give each asset's human name (an
 * instance with its id). Instants stay ISO 8601 UTC.
 */
export function remediationsCsv(remediations: readonly Remediation[], fresh: ReadonlySet<string>, sla: SlaPolicy, now: Date, names: ReadonlyMap<string, string> = new Map()): string {
  const rows = remediations.map((r) => [
    r.id,
    r.title,
    r.severity,
    r.state,
    r.closedAt ? 'closed' : slaStatus(sla, r.dueAt, now),
    r.dueAt,
    r.owner,
    fresh.has(r.id) ? 'yes' : 'no',
    r.detectedAt,
    r.createdAt,
    r.closedAt,
    r.kevDueAt,
    r.cves.join(' '),
    r.assetIds.map((id) => names.get(id) ?? id).join('; '),
    r.assetIds.join(' '),
    r.findingIds.length,
  ]);
  return toCsv(REMEDIATION_CSV_HEADER, rows);
}
