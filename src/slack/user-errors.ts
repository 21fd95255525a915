/** Every expected failure, as the one calm sentence the person in Slack reads. Exhaustive by construction. */
import type { AppError } from '../app/errors.js';

const STATE_NAMES: Record<string, string> = {
  new: 'new', assessed: 'assessed', testing: 'in testing', tested: 'tested', approved: 'approved', scheduled: 'scheduled',
  deploying: 'deploying', deployed: 'deployed', failed: 'failed', verified: 'verified (closed)', reopened: 'reopened', risk_accepted: 'risk-accepted',
};

const ROLE_NAMES: Record<string, string> = { lead: 'a lead', engineer: 'an engineer', approver: 'an approver', manager: 'a manager', auditor: 'an auditor' };

const FIELD_NAMES: Record<string, string> = {
  compensatingControl: 'compensating control',
  typedAssets: 'assets: pick one from the inventory or type one',
  assets: 'assets: pick one from the inventory or type one',
  what: 'what you checked',
  link: 'link to the proof',
  reason: 'reason',
};

const list = (xs: readonly string[], max = 5): string => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);
const NO_TARGETS: Record<string, string> = {
  no_ssm_targets: 'has no ssmTargets in the policy file',
  resource_groups: 'is targeted by resource group, which patchwarden cannot resolve to instances',
  none_matched: 'has none of this remediation’s instances among its SSM targets (or they are no longer managed)',
  no_environment: 'is not in the policy file',
};

const or = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`);
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function userMessage(e: AppError): string {
  switch (e.code) {
    case 'auth.forbidden':
      return e.required.length === 0
        ? 'Only patchwarden itself records that.'
        : `Only ${or(e.required.map((r) => ROLE_NAMES[r] ?? r))} can do that. Roles are set in the patchwarden policy file; ask your engineering lead.`;
    case 'remediation.invalid_state':
      return `This remediation is ${STATE_NAMES[e.state] ?? e.state}, so you can’t ${e.action} it now${e.allowed.length ? ` (only when ${or(e.allowed.map((s) => STATE_NAMES[s] ?? s))})` : ''}.`;
    case 'approval.separation_of_duties':
      return 'You uploaded the passing test evidence for this remediation, so someone else has to approve it (separation of duties).';
    case 'input.required':
      return `Please fill in the ${FIELD_NAMES[e.field] ?? e.field}.`;
    case 'input.too_long':
      return `The ${FIELD_NAMES[e.field] ?? e.field} is too long: ${e.max} characters at most.`;
    case 'test.evidence_required':
      return 'A passing test needs evidence: attach at least one screenshot or log.';
    case 'schedule.window_in_past':
      return 'That maintenance window has already ended. Pick a later one.';
    case 'risk.expiry_in_past':
      return 'The expiry date must be in the future.';
    case 'risk.expiry_too_far':
      return `A risk acceptance can last at most ${e.maxDays} days under the policy. Pick an earlier expiry.`;
    case 'risk.not_expired':
      return 'This risk acceptance has not expired yet.';
    case 'verification.not_manual':
      return 'Only a remediation made by hand is verified by a recorded check; the others are verified by their source after the deployment.';
    case 'store.conflict':
      return 'Someone else changed this remediation at the same moment. Nothing was recorded from your action; please look again and retry.';
    case 'store.duplicate':
      return 'That has already been recorded.';
    case 'remediation.not_found':
      return `There is no remediation ${e.id}.`;
    case 'interaction.duplicate':
      return 'That was already received; it was recorded once.';
    case 'interaction.stale':
      return 'That button or form is out of date, so nothing happened. Use the remediation’s latest message in the patch channel.';
    case 'schedule.window_unknown':
      return 'That maintenance window is no longer offered. Pick another one.';
    case 'schedule.no_windows':
      return 'No maintenance window in the policy file serves this remediation, so it can’t be scheduled yet. Ask your engineering lead to add one under maintenanceWindows.';
    case 'evidence.not_a_file':
      return `Slack sent a web page instead of the file “${e.name}”, so nothing was recorded. Check that patchwarden has the files:read scope, then upload again.`;
    case 'evidence.too_large':
      return `“${e.name}” is ${mb(e.size)}; evidence files can be ${mb(e.max)} at most. Nothing was recorded.`;
    case 'evidence.type_not_allowed':
      return `“${e.name}” is not a kind of file kept as evidence (${e.allowed.join(', ')}). Nothing was recorded.`;
    case 'evidence.too_many':
      return `That is ${e.count} files; attach at most ${e.max}. Nothing was recorded.`;
    case 'evidence.download_failed':
      return `Could not download “${e.name}” from Slack (${e.reason}). Nothing was recorded; please try again.`;
    case 'external.unavailable':
      return `${e.service} is not answering right now (${e.reason}). Nothing was changed; try again in a few minutes.`;
    case 'advisory.not_found':
      return 'That advisory is not in patchwarden’s store (it may come from a feed that was removed).';
    case 'advisory.already_reviewed':
      return `<@${e.by}> already reviewed this advisory (${e.decision === 'not_applicable' ? 'not applicable' : e.decision === 'covered' ? `covered by ${e.remediationId ?? 'a remediation'}` : `remediation ${e.remediationId ?? ''} created`.trim()}); their review stands and nothing was recorded from yours.`;
    case 'job.busy':
      return `A ${e.job} is already running; its progress is in the channel.`;
    case 'deployment.unknown':
      return 'That deployment is not one patchwarden started.';
    case 'input.not_a_link':
      return `The ${FIELD_NAMES[e.field] ?? e.field} must be a web link starting with https://.`;
    case 'schedule.window_open':
      return 'Its maintenance window is still open, so it has not been missed.';
    case 'emergency.self_approval':
      return 'You made this emergency change, so another lead has to approve it.';
    case 'emergency.already_approved':
      return `This emergency change was already approved by <@${e.by}>.`;
    case 'deploy.not_configured':
      return `${e.service} is not configured for patchwarden, so it can’t do that. Ask whoever runs patchwarden to set it up (README: Configuration).`;
    case 'deploy.not_applicable':
      return `You can’t ${e.action} here: ${e.why}.`;
    case 'deploy.no_targets':
      return `Nothing to run on: the environment “${e.environment}” ${NO_TARGETS[e.why] ?? e.why}. Nothing was sent.`;
    case 'deploy.run_in_progress':
      return 'A run for this remediation is already under way; its result will be in the thread.';
    case 'deploy.no_pull_request':
      return `There is no open Dependabot pull request in ${e.repository} that upgrades ${e.package}${e.version ? ` to ${e.version} or later` : ''}. Nothing was merged.`;
    case 'deploy.checks_not_green':
      return `Not merged: ${e.repository}#${e.pullNumber} has ${[e.failing.length > 0 ? `failing checks (${list(e.failing)})` : null, e.pending.length > 0 ? `checks still running (${list(e.pending)})` : null].filter(Boolean).join(' and ')}. It stays as it was.`;
    case 'deploy.merge_refused':
      return `GitHub refused to merge ${e.repository}#${e.pullNumber} (${e.status}: ${e.message}). Nothing was merged; it stays as it was.`;
    case 'pack.period_invalid':
      return `${e.text.trim() ? `“${e.text}” is not a period (${e.reason}).` : 'Which period?'} Ask for a month, \`/patch evidence 2026-11\`, or a range of days, \`/patch evidence 2026-10-01 2026-12-31\`.`;
    case 'pack.busy':
      return 'An evidence pack is being built right now; one at a time keeps the bot responsive. Try again in a minute.';
  }
}
