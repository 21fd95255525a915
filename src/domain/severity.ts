export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export const severityRank = (s: Severity): number => RANK[s];

/** The highest of the given severities; `low` when there are none. */
export function highestSeverity(severities: Iterable<Severity>): Severity {
  let best: Severity = 'low';
  for (const s of severities) if (RANK[s] > RANK[best]) best = s;
  return best;
}

/** Maps the many vocabularies of the sources (CVSS bands, SSM's "Important", Snyk's "info") onto ours. */
export function normaliseSeverity(raw: string | null | undefined): Severity {
  switch ((raw ?? '').trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    default:
      return 'low';
  }
}

/** CVSS v3 qualitative rating for a base score. */
export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}
