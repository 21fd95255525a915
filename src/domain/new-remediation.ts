import type { Remediation } from './remediation.js';
import type { Severity } from './severity.js';
import { dueDate, type SlaPolicy } from './sla.js';
import { instant, type Instant } from './time.js';

/** What the monitor knows of a remediation when it first records it; the rest starts empty. */
export type NewRemediationInput = Pick<
  Remediation,
  'id' | 'key' | 'title' | 'remedy' | 'assetIds' | 'findingIds' | 'cves' | 'detectedAt' | 'kevDueAt' | 'owner' | 'ownerRule'
> & { readonly severity: Severity };

/** A remediation as the monitor first records it: `new`, due per the SLA from detection. */
export function newRemediation(input: NewRemediationInput, sla: SlaPolicy, now: Date): Remediation {
  return {
    ...input,
    sourceSeverity: input.severity,
    state: 'new',
    slaStartAt: input.detectedAt,
    dueAt: dueDate(sla, input.severity, new Date(input.detectedAt), input.kevDueAt),
    createdAt: instant(now),
    updatedAt: instant(now),
    closedAt: null,
    resolution: null,
    version: 0,
    assessment: null,
    tests: [],
    decisions: [],
    schedule: null,
    deployments: [],
    verification: null,
    riskAcceptance: null,
    reopenCount: 0,
    message: null,
    remindersSent: [],
  };
}

/** What a lead gives for a remediation no scanner reports (`/patch new`, an advisory's Create remediation). */
export interface ManualRemediationInput {
  readonly id: string;
  /** Unique: `advisory:<advisory id>` for one made from an advisory, else `manual:<id>`. */
  readonly key: string;
  readonly title: string;
  readonly severity: Severity;
  readonly assetIds: readonly string[];
  readonly cves: readonly string[];
  readonly owner: string | null;
  /** CISA's due date when the KEV catalogue lists one of its CVEs: then it is due by the earlier of the two. */
  readonly kevDueAt?: Instant | null;
}

/** A manual remediation: `new`, due per the SLA from now; it has no finding, and a lead's check verifies it. */
export function manualRemediation(input: ManualRemediationInput, sla: SlaPolicy, now: Date): Remediation {
  return newRemediation(
    {
      id: input.id,
      key: input.key,
      title: input.title.trim(),
      remedy: { kind: 'manual', description: input.title.trim() },
      assetIds: [...new Set(input.assetIds)],
      findingIds: [],
      cves: [...new Set(input.cves)].sort(),
      detectedAt: instant(now),
      kevDueAt: input.kevDueAt ?? null,
      owner: input.owner,
      severity: input.severity,
    },
    sla,
    now,
  );
}
