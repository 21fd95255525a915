/**
 * A deployment and its verification in lines (pure): what ran (the SSM run with its command ids and each instance's
 * status, or the merged pull request), the emergency change and its approval, and the compliance snapshot or the
 * sources' word that verified it. The remediation's message shows a few instances; `/patch show` more.
 */
import type { Deployment, Remediation, Verification } from '../../domain/remediation.js';
import type { EmergencyChange, InstanceRun, SsmRun } from '../../domain/run-records.js';
import { runCounts } from '../../domain/ssm-run.js';
import { escapeText, formatDateTime, mention, plural, truncate } from './format.js';

const STATUS_EMOJI: Record<string, string> = { Success: ':white_check_mark:', Pending: ':hourglass:', InProgress: ':arrows_counterclockwise:', Delayed: ':hourglass:' };
const emoji = (status: string): string => STATUS_EMOJI[status] ?? ':x:';
const code = (s: string): string => `\`${escapeText(truncate(s, 80))}\``;

/** The end of a run's output, one line: where a failure says what went wrong. */
export function outputTail(output: string, max: number): string {
  const flat = output.replace(/\s+/g, ' ').trim();
  return escapeText(flat.length <= max ? flat : `…${Array.from(flat).slice(-(max - 1)).join('')}`);
}

export const instanceName = (i: Pick<InstanceRun, 'instanceId' | 'name'>): string => (i.name ? `${escapeText(truncate(i.name, 60))} (${code(i.instanceId)})` : code(i.instanceId));

/** `AWS-RunPatchBaseline Install · RebootIfNeeded · 10% at a time · stops after 0 errors`. */
export const runSettings = (run: Pick<SsmRun, 'document' | 'operation' | 'rebootOption' | 'maxConcurrency' | 'maxErrors'>): string =>
  `${escapeText(run.document)} ${run.operation} · ${run.operation === 'Install' ? `${escapeText(run.rebootOption)} · ` : ''}${escapeText(run.maxConcurrency)} at a time · stops after ${escapeText(run.maxErrors)} error${run.maxErrors === '1' ? '' : 's'}`;

/** `deploying: 3 of 12 instances done (1 failed)`. */
export function runProgress(run: SsmRun): string {
  const c = runCounts(run);
  return `${c.done} of ${plural(c.total, 'instance')} done${c.failed > 0 ? ` (${c.failed} failed)` : ''}`;
}

/** One line per instance, the unfinished and failed first; the rest counted. */
export function instanceLines(run: SsmRun, max: number): string[] {
  const rank = (i: InstanceRun): number => (i.status === 'Success' ? 2 : ['Pending', 'InProgress', 'Delayed'].includes(i.status) ? 1 : 0);
  const sorted = [...run.instances].sort((a, b) => rank(a) - rank(b) || a.instanceId.localeCompare(b.instanceId));
  const lines = sorted.slice(0, max).map((i) => {
    const failed = rank(i) === 0 && i.output ? ` · _${outputTail(i.output, 140)}_` : '';
    return `${emoji(i.status)} ${instanceName(i)}: ${i.status}${i.responseCode !== null && i.responseCode >= 0 && rank(i) === 0 ? ` (exit ${i.responseCode})` : ''}${failed}`;
  });
  if (run.instances.length > max) lines.push(`…and ${plural(run.instances.length - max, 'more instance')}`);
  return lines;
}

export function emergencyLine(e: EmergencyChange, timeZone: string): string {
  const approval = e.approval
    ? `approved afterwards by ${mention(e.approval.by)} on ${formatDateTime(e.approval.at, timeZone)}`
    : `:warning: another lead must approve it by ${formatDateTime(e.approvalDueAt, timeZone)}`;
  return `:rotating_light: Emergency change by ${mention(e.by)}: _${escapeText(truncate(e.reason, 300))}_ · ${approval}`;
}

/** What the deployment ran, and where it stands. */
export function deploymentLines(d: Deployment, timeZone: string, maxInstances: number): string[] {
  const at = (iso: string) => formatDateTime(iso, timeZone);
  const status = d.status === 'running' ? 'running' : `${d.status} ${d.finishedAt ? at(d.finishedAt) : ''}`.trim();
  const lines = [`*Deployment* ${code(d.id)} started ${at(d.startedAt)} by ${mention(d.by)}: ${status}${d.reason && !d.emergency ? ` (${escapeText(truncate(d.reason, 300))})` : ''}`];
  if (d.emergency) lines.push(emergencyLine(d.emergency, timeZone));
  const rec = d.record;
  if (rec?.kind === 'ssm_run') {
    lines.push(`${escapeText(rec.environment)}: ${runSettings(rec)} · ${runProgress(rec)}${rec.commandIds.length > 0 ? ` · command${rec.commandIds.length === 1 ? '' : 's'} ${rec.commandIds.map(code).join(', ')}` : ' · not sent yet'}`);
    lines.push(...instanceLines(rec, maxInstances));
  } else if (rec?.kind === 'pr_merge') {
    const merged = rec.mergeCommitSha ? `merged ${rec.mergedAt ? at(rec.mergedAt) : ''} by ${escapeText(rec.mergedBy ?? 'unknown')} as ${code(rec.mergeCommitSha.slice(0, 12))}` : 'not merged';
    lines.push(`<${rec.url}|${escapeText(rec.repository)}#${rec.pullNumber}> at ${code(rec.headSha.slice(0, 7))}: ${merged} · ${plural(rec.checks.length, 'check')} green before the merge`);
  } else if (rec?.kind === 'manual') {
    lines.push(`Changed outside patchwarden: <${rec.changeUrl}|${escapeText(truncate(rec.changeUrl, 120))}>`);
  }
  const scan = d.details.scan as SsmRun | undefined;
  if (scan?.kind === 'ssm_run') lines.push(`Verification scan (${runSettings(scan)}): ${runProgress(scan)}`);
  return lines;
}

/** The verification and its evidence: each instance's patch compliance, or each finding's state at its source. */
export function verificationLines(v: Verification, timeZone: string, maxInstances: number): string[] {
  const at = (iso: string) => formatDateTime(iso, timeZone);
  const lines = [`*Verification* ${at(v.at)}: ${v.clean ? ':white_check_mark: clean' : ':x: not clean'}`];
  const e = v.evidence;
  if (e?.kind === 'ssm_compliance') {
    lines.push(`Patch compliance snapshot of ${at(e.takenAt)}, ${plural(e.instances.length, 'instance')}:`);
    for (const c of e.instances.slice(0, maxInstances)) {
      const open = c.stillOpen.length > 0 ? ` · still open: ${c.stillOpen.slice(0, 5).map(code).join(', ')}${c.stillOpen.length > 5 ? '…' : ''}` : '';
      lines.push(`${c.stillOpen.length > 0 ? ':x:' : ':white_check_mark:'} ${instanceName(c)} · baseline ${code(c.baselineId)} · ${c.installed} installed, ${c.missing} missing, ${c.failed} failed · ${c.operation} ended ${at(c.operationEndTime)}${open}`);
    }
    if (e.instances.length > maxInstances) lines.push(`…and ${plural(e.instances.length - maxInstances, 'more instance')}`);
  } else if (e?.kind === 'source_state') {
    const fixed = e.findings.filter((f) => f.state !== 'open').length;
    lines.push(`At the source (${at(e.takenAt)}): ${fixed} of ${plural(e.findings.length, 'finding')} fixed or dismissed`);
    for (const f of e.findings.filter((x) => x.state === 'open').slice(0, maxInstances)) lines.push(`:x: ${code(f.findingId)} still open`);
  }
  const unconfirmed = v.details.unconfirmed;
  if (Array.isArray(unconfirmed) && unconfirmed.length > 0) lines.push(`:x: No patch state after the deployment from ${plural(unconfirmed.length, 'instance')}: ${unconfirmed.slice(0, 5).map((x) => code(String(x))).join(', ')}`);
  return lines;
}

/** The latest deployment and the verification, for the remediation's message. */
export function latestDeploymentLines(r: Remediation, timeZone: string, maxInstances: number): string[] {
  const d = r.deployments.at(-1);
  if (!d) return [];
  const verification = r.verification && r.verification.at >= (d.finishedAt ?? d.startedAt) ? verificationLines(r.verification, timeZone, maxInstances) : [];
  return [...deploymentLines(d, timeZone, maxInstances), ...verification];
}
