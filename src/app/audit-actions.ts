/**
 * Every action the audit log records, in one list: the compiler refuses an event whose action is not here, so a
 * reader of the log (the evidence pack, `/patch show`, an auditor) can rely on this list being complete.
 */
export const AUDIT_ACTIONS = [
  // The process, step by step (src/app/workflow).
  'remediation.created',
  'remediation.updated',
  'remediation.assessed',
  'remediation.test_recorded',
  'remediation.approved',
  'remediation.rejected',
  'remediation.scheduled',
  'remediation.risk_accepted',
  'remediation.risk_expired',
  'remediation.closed_upstream',
  'remediation.verified',
  'remediation.reopened',
  /** Moved to the grouping its findings now have (missing OS patches by patch baseline), split or only re-keyed. */
  'remediation.regrouped',
  'evidence.uploaded',
  'access.denied',
  // Deploying and verifying (src/app/deploy).
  'remediation.staging_run_started',
  'remediation.deployment_started',
  'remediation.deployment_blocked',
  'remediation.deployment_called_off',
  'remediation.deployed',
  'remediation.deployment_failed',
  'remediation.marked_deployed',
  'remediation.window_missed',
  'remediation.emergency_approved',
  'remediation.verification_failed',
  'ssm.command_sent',
  // The monitor (src/app/sync).
  'asset.discovered',
  'asset.changed',
  'finding.detected',
  'finding.changed',
  'finding.grouped',
  'finding.fixed',
  'finding.dismissed',
  'finding.reopened',
  'sync.completed',
  // Advisory feeds and their review (src/app/advisories).
  'advisory.received',
  'advisory.changed',
  'advisory.linked',
  'advisory.reviewed',
  'advisory.monitoring_started',
  'asset.added',
  // The auditor's evidence pack (src/app/evidence).
  'evidence.pack_exported',
  // What the bot says in Slack on its own.
  'digest.posted',
  'reminder.sent',
  'reminder.failed',
  // A recorded Slack effect (src/app/outbox) that Slack refused for good, or after every retry.
  'slack.undelivered',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
