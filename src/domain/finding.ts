import type { Severity } from './severity.js';
import type { Source } from './asset.js';
import type { Instant } from './time.js';

export const FINDING_STATES = ['open', 'fixed', 'dismissed'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

/** One vulnerability or missing patch on one asset from one source, keyed by the source's own id. */
export interface Finding {
  /** e.g. `github:acme/api:alert:12`, `snyk:<issue id>`, `ssm:i-0abc:KB5005565`. */
  readonly id: string;
  readonly source: Source;
  readonly assetId: string;
  readonly title: string;
  /** Package name (`lodash`) or patch id (`KB5005565`). */
  readonly package: string;
  readonly ecosystem: string | null;
  /** Version that fixes it, or the KB / patch id for OS patches; null when no fix exists yet. */
  readonly fixedIn: string | null;
  /** The version installed where the source says it (Snyk), or null. */
  readonly installedVersion?: string | null;
  /** The vulnerable range the source gives (Dependabot: `< 4.17.21`), or null. */
  readonly vulnerableRange?: string | null;
  /** The manifest or target file it was found in (`package-lock.json`), or null. */
  readonly manifest?: string | null;
  /** The source's own name for it, as people look it up: `alert #12`, `SNYK-JS-LODASH-567746`, `KB5034129`. */
  readonly reference?: string | null;
  readonly cves: readonly string[];
  readonly ghsas: readonly string[];
  readonly severity: Severity;
  readonly cvss: number | null;
  readonly epss: number | null;
  /** CISA KEV due date, when the CVE is listed. */
  readonly kevDueAt: Instant | null;
  readonly url: string | null;
  readonly state: FindingState;
  readonly detectedAt: Instant;
  readonly fixedAt: Instant | null;
  readonly dismissedAt: Instant | null;
  /** Remediation this finding belongs to, once grouped. */
  readonly remediationId: string | null;
}

export const isOpenFinding = (f: Pick<Finding, 'state'>): boolean => f.state === 'open';
