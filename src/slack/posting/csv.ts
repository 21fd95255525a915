/**
 * The digest's complete list as a CSV file (RFC 4180: CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled). Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab
 * or carriage return) get a leading apostrophe, as OWASP advises against CSV injection: titles and owners come
 * from outside (advisories, repository names).
 */
import { slaStatus, type SlaPolicy } from '../../domain/sla.js';
import type { Remediation } from '../../domain/remediation.js';

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

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
