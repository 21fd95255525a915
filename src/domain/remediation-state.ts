export const REMEDIATION_STATES = [
  'new',
  'assessed',
  'testing',
  'tested',
  'approved',
  'scheduled',
  'deploying',
  'deployed',
  'failed',
  'verified',
  'reopened',
  'risk_accepted',
] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];

/** States in which a remediation no longer counts against the SLA. */
export const CLOSED_STATES: readonly RemediationState[] = ['verified', 'risk_accepted'];
export const OPEN_STATES: readonly RemediationState[] = REMEDIATION_STATES.filter((s) => !CLOSED_STATES.includes(s));
export const isClosed = (s: RemediationState): boolean => CLOSED_STATES.includes(s);
