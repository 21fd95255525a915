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

/** States from which a lead may still assess (or re-assess) before testing starts. */
export const ASSESSABLE_STATES: readonly RemediationState[] = ['new', 'assessed', 'reopened'];
/** States in which test results may be recorded. */
export const TESTABLE_STATES: readonly RemediationState[] = ['assessed', 'testing', 'tested'];
/** States that may be put into a maintenance window, or deployed: approved work, or a deployment to try again. */
export const SCHEDULABLE_STATES: readonly RemediationState[] = ['approved', 'scheduled', 'failed'];
/** Open states a remediation may leave by risk acceptance or an upstream fix: all but a running deployment. */
export const INTERRUPTIBLE_STATES: readonly RemediationState[] = OPEN_STATES.filter((s) => s !== 'deploying');
/** States in which a lead may verify a manual remediation by a recorded check: approved work, or done by hand. */
export const CHECKABLE_STATES: readonly RemediationState[] = ['approved', 'scheduled', 'failed', 'deployed'];
