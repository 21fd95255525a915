import type { Remediation } from './remediation.js';
import type { Severity } from './severity.js';
import { dueDate, type SlaPolicy } from './sla.js';
import { instant } from './time.js';

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
