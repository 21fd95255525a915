/**
 * The ONE message each remediation has in the patch channel: what it is, where it stands, what is next.
 * Rebuilt from the remediation at every step and updated in place (chat.update); the thread holds the history.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { deployPath } from '../../domain/deploy-path.js';
import { unapprovedEmergency } from '../../domain/deploy-transitions.js';
import { type Remediation } from '../../domain/remediation.js';
import { CHECKABLE_STATES, isClosed } from '../../domain/remediation-state.js';
import { slaStatus, type SlaPolicy } from '../../domain/sla.js';
import { ACTION, encodeButtonValue } from '../ids.js';
import { latestDeploymentLines, runProgress } from './deployment-record.js';
import { escapeText, formatDate, formatDateTime, mention, plural, relativeDays, RESOLUTION_LABEL, SEVERITY_LABEL, STATE_LABEL, truncate } from './format.js';

/** Instances (and snapshot lines) the message lists; `/patch show` lists more. */
const MESSAGE_INSTANCES = 8;

export interface MessageContext {
  readonly now: Date;
  readonly timeZone: string;
  readonly sla: SlaPolicy;
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const button = (text: string, actionId: string, r: Remediation, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value: encodeButtonValue({ r: r.id }),
  ...(style ? { style } : {}),
});

/** The buttons for the next step, by state and by how it deploys. Who may press them is checked when they are pressed. */
export function nextActions(r: Remediation): Button[] {
  const steps = stepActions(r);
  // No source will close a manual remediation: once approved, a lead's recorded check verifies it.
  if (r.remedy.kind === 'manual' && CHECKABLE_STATES.includes(r.state)) return [button('Record check', ACTION.recordCheck, r, 'primary'), ...steps.map(withoutStyle)];
  return steps;
}

const withoutStyle = (b: Button): Button => {
  const plainButton = { ...b };
  delete plainButton.style;
  return plainButton;
};

function stepActions(r: Remediation): Button[] {
  const risk = button('Accept risk', ACTION.acceptRisk, r);
  const path = deployPath(r).kind;
  const tryIt = path === 'ssm' ? [button('Run in staging', ACTION.runStaging, r)] : path === 'dependabot' ? [button('Record CI results', ACTION.recordChecks, r)] : [];
  const ship = path === 'manual' ? [button('Mark deployed', ACTION.markDeployed, r)] : path === 'none' ? [] : [button('Deploy now', ACTION.deployNow, r, 'danger')];
  const emergency = unapprovedEmergency(r) ? [button('Approve emergency change', ACTION.approveEmergency, r, 'primary')] : [];
  switch (r.state) {
    case 'new':
    case 'reopened':
      return [button('Assess', ACTION.assess, r, 'primary'), risk, ...emergency];
    case 'assessed':
      return [button('Upload test evidence', ACTION.uploadEvidence, r, 'primary'), ...tryIt, button('Re-assess', ACTION.assess, r), risk];
    case 'testing':
      return [button('Upload test evidence', ACTION.uploadEvidence, r, 'primary'), ...tryIt, risk];
    case 'tested':
      return [button('Approve or reject', ACTION.approve, r, 'primary'), button('Upload more evidence', ACTION.uploadEvidence, r), ...(path === 'dependabot' ? tryIt : []), risk];
    case 'approved':
      return [button('Schedule', ACTION.approve, r, 'primary'), ...ship, risk, ...emergency];
    case 'scheduled':
    case 'failed':
      return [button('Reschedule', ACTION.approve, r), ...ship, risk, ...emergency];
    case 'deploying':
    case 'deployed':
    case 'verified':
    case 'risk_accepted':
      return emergency;
  }
}

function dueText(r: Remediation, ctx: MessageContext): string {
  const date = formatDate(r.dueAt, ctx.timeZone);
  if (isClosed(r.state)) return date;
  const status = slaStatus(ctx.sla, r.dueAt, ctx.now);
  const when = relativeDays(r.dueAt, ctx.now);
  if (status === 'overdue') return `:warning: *${date}* (overdue, ${when})`;
  return status === 'due_soon' ? `*${date}* (${when})` : `${date} (${when})`;
}

/** One line per step taken so far, newest last. */
function progress(r: Remediation, ctx: MessageContext): string[] {
  const lines: string[] = [];
  const at = (iso: string) => formatDate(iso, ctx.timeZone);
  if (r.assessment) lines.push(`Assessed by ${mention(r.assessment.by)} on ${at(r.assessment.at)}`);
  const last = r.tests.at(-1);
  if (last) {
    const run = last.run?.kind === 'ssm_run' ? `, SSM run on ${plural(last.run.instances.length, 'instance')}` : last.run?.kind === 'ci_checks' ? `, ${plural(last.run.checks.length, 'CI check')}` : '';
    const files = (last.files.length > 0 ? `, ${plural(last.files.length, 'file')}` : '') + run;
    lines.push(`Tested in ${escapeText(last.environment)} by ${mention(last.by)}: *${last.result}*${files} (${plural(r.tests.length, 'test run')})`);
  }
  const decision = r.decisions.at(-1);
  if (decision) {
    const ticket = decision.changeTicket ? ` · ${escapeText(decision.changeTicket)}` : '';
    lines.push(`${decision.decision === 'approved' ? 'Approved' : 'Rejected'} by ${mention(decision.by)} on ${at(decision.at)}${ticket}`);
  }
  if (r.schedule && (r.state === 'scheduled' || r.state === 'deploying')) lines.push(`Window: ${escapeText(r.schedule.windowName)}, ${formatDateTime(r.schedule.startsAt, ctx.timeZone)}`);
  const deployment = r.deployments.at(-1);
  if (deployment?.status === 'running') {
    const rec = deployment.record;
    lines.push(rec?.kind === 'ssm_run' ? `:arrows_counterclockwise: deploying: ${runProgress(rec)}` : rec?.kind === 'pr_merge' ? `:arrows_counterclockwise: deploying: merging ${escapeText(rec.repository)}#${rec.pullNumber}` : ':arrows_counterclockwise: deploying');
  }
  if (deployment && deployment.status !== 'running') lines.push(`Deployment ${deployment.status} on ${at(deployment.finishedAt ?? deployment.startedAt)}${deployment.reason ? `: ${escapeText(deployment.reason)}` : ''}`);
  if (r.riskAcceptance && r.state === 'risk_accepted') lines.push(`Risk accepted by ${mention(r.riskAcceptance.by)} until ${at(r.riskAcceptance.expiresAt)}`);
  const check = r.verification?.evidence?.kind === 'manual_check' ? r.verification.evidence : null;
  if (check) lines.push(`Verified by ${mention(check.by)}'s recorded check: ${escapeText(truncate(check.what, 300))}${check.link ? ` (<${check.link}|proof>)` : ''}`);
  if (r.closedAt && r.resolution) lines.push(`Closed on ${at(r.closedAt)}: ${check ? 'verified by a recorded check' : RESOLUTION_LABEL[r.resolution]}`);
  return lines;
}

const SOURCE_OF_ID: Record<string, string> = { github: 'Dependabot', snyk: 'Snyk', ssm: 'SSM' };

/** `2 assets · 3 findings (Dependabot 2, Snyk 1)`: a finding's id starts with its source. */
function affects(r: Remediation): string {
  const counts = new Map<string, number>();
  for (const id of r.findingIds) {
    const source = SOURCE_OF_ID[id.split(':')[0] ?? ''] ?? 'other';
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  const by = [...counts].map(([s, n]) => `${s} ${n}`).join(', ');
  const what = r.remedy.kind === 'os_patches' ? plural(r.assetIds.length, 'instance') : plural(r.assetIds.length, 'asset');
  return `${what} · ${plural(r.findingIds.length, 'finding')}${by ? ` (${by})` : ''}\nThe thread says which; \`/patch show ${r.id}\``;
}

export function remediationMessage(r: Remediation, ctx: MessageContext): SlackMessage {
  const title = truncate(`*${r.id} · ${escapeText(r.title)}*`, 2900);
  const cves = r.cves.length > 0 ? truncate(r.cves.slice(0, 8).join(', ') + (r.cves.length > 8 ? ` +${r.cves.length - 8} more` : ''), 1900) : '—';
  const fields = [
    `*Severity*\n${SEVERITY_LABEL[r.severity]}${r.kevDueAt ? ' · :rotating_light: KEV' : ''}`,
    `*State*\n${STATE_LABEL[r.state]}`,
    `*Due*\n${dueText(r, ctx)}`,
    `*Owner*\n${mention(r.owner)}`,
    `*CVEs*\n${cves}`,
    `*Affects*\n${affects(r)}`,
  ];
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: title } },
    { type: 'section', block_id: 'facts', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
  ];
  const steps = progress(r, ctx);
  if (steps.length > 0) {
    blocks.push({ type: 'context', block_id: 'progress', elements: [{ type: 'mrkdwn', text: truncate(steps.join('\n'), 3000) }] });
  }
  const deployment = latestDeploymentLines(r, ctx.timeZone, MESSAGE_INSTANCES);
  if (deployment.length > 0) blocks.push({ type: 'section', block_id: 'deployment', text: { type: 'mrkdwn', text: truncate(deployment.join('\n'), 3000) } });
  const actions = nextActions(r);
  if (actions.length > 0) blocks.push({ type: 'actions', block_id: 'next', elements: actions } satisfies ActionsBlock);
  const text = `${r.id} ${r.title}: ${r.severity}, ${STATE_LABEL[r.state].toLowerCase()}, due ${formatDate(r.dueAt, ctx.timeZone)}`;
  return { text: truncate(text, 3000), blocks };
}
