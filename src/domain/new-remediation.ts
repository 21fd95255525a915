import type { Remedy, Remediation } from './remediation.js';
import type { Severity } from './severity.js';
import { dueDate, type SlaPolicy } from './sla.js';
import { instant, type Instant } from './time.js';

export interface NewRemediationInput {
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly remedy: Remedy;
  readonly assetIds: readonly string[];
  readonly findingIds: readonly string[];
  readonly cves: readonly string[];
  readonly severity: Severity;
  readonly detectedAt: Instant;
  readonly kevDueAt: Instant | null;
  readonly owner: string | null;
}

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
