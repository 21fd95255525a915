/** The line each deploy event adds to the remediation's thread (pure); `null`: the message update says it all. */
import type { DeployEvent } from '../../app/deploy/deploy-events.js';
import { runSummary } from '../../app/deploy/run-notes.js';
import type { Deployment, Remediation } from '../../domain/remediation.js';
import { failedInstances, runCounts } from '../../domain/ssm-run.js';
import { userMessage } from '../user-errors.js';
import { blastRadiusText, targetsOf } from '../views/blast-radius.js';
import { instanceName, outputTail } from '../views/deployment-record.js';
import { escapeText, formatDateTime, mention, plural, truncate } from '../views/format.js';

const NOTE_MAX = 3000;

/** A policy principal as a mention: a user (`U…`), or a user group (`S…`), which notifies its members. */
export const principal = (p: string): string => (p.startsWith('S') ? `<!subteam^${p}>` : mention(p));
const last = (r: Remediation): Deployment | undefined => r.deployments.at(-1);

function started(r: Remediation, timeZone: string, otherLeads: readonly string[]): string {
  const d = last(r);
  if (!d) return `Deployment of ${r.id} started.`;
  const rec = d.record;
  const what = rec?.kind === 'ssm_run'
    ? blastRadiusText(targetsOf(rec), rec)
    : rec?.kind === 'pr_merge' ? `Merging <${rec.url}|${escapeText(rec.repository)}#${rec.pullNumber}> at \`${rec.headSha.slice(0, 7)}\`: ${plural(rec.checks.length, 'check')}, all green.` : '';
  const head = `${mention(d.by)} started the deployment${r.schedule && !d.emergency ? ` in *${escapeText(r.schedule.windowName)}*` : ''}.`;
  const e = d.emergency;
  const emergency = e ? `\n:rotating_light: *Emergency change*: _${escapeText(truncate(e.reason, 600))}_ ${otherLeads.map(principal).join(' ') || 'Another lead'}: please approve it by ${formatDateTime(e.approvalDueAt, timeZone)} (the button on the message).` : '';
  return `${head}\n${what}${emergency}`;
}

function finished(r: Remediation): string {
  const d = last(r);
  const rec = d?.record;
  if (r.state === 'failed') {
    if (rec?.kind === 'ssm_run') {
      const failed = failedInstances(rec).slice(0, 10).map((i) => `• ${instanceName(i)}: ${i.status}${i.output ? ` · _${outputTail(i.output, 200)}_` : ''}`);
      return `:x: Deployment failed: ${runCounts(rec).failed} of ${plural(rec.instances.length, 'instance')} did not succeed.\n${failed.join('\n')}\nA lead can reschedule it (or Deploy now).`;
    }
    return `:x: Deployment failed${d?.reason ? `: ${escapeText(truncate(d.reason, 600))}` : ''}. A lead can reschedule it.`;
  }
  if (rec?.kind === 'ssm_run') return `:white_check_mark: Deployed: ${runSummary(rec)} Verifying the patch state next.`;
  if (rec?.kind === 'pr_merge') return `:white_check_mark: Merged <${rec.url}|${escapeText(rec.repository)}#${rec.pullNumber}>${rec.mergeCommitSha ? ` as \`${rec.mergeCommitSha.slice(0, 12)}\`` : ''}${rec.mergedBy ? ` (merged by ${escapeText(rec.mergedBy)})` : ''}. Verified once Dependabot marks its alerts fixed.`;
  return 'Deployed.';
}

function verified(r: Remediation): string {
  const v = r.verification;
  const e = v?.evidence;
  if (r.state === 'verified') {
    if (e?.kind === 'ssm_compliance') return `:white_check_mark: Verified: none of its patches is missing or failed on ${plural(e.instances.length, 'instance')} (patch state read after the deployment). Closed.`;
    return `:white_check_mark: Verified: ${e?.kind === 'source_state' ? `all ${plural(e.findings.length, 'finding')} fixed at the source` : 'fixed'}. Closed.`;
  }
  const open = v?.details.stillOpen;
  const where = e?.kind === 'ssm_compliance'
    ? e.instances.filter((c) => c.stillOpen.length > 0).slice(0, 10).map((c) => `• ${instanceName(c)}: ${c.stillOpen.map((k) => `\`${escapeText(k)}\``).join(', ')}`)
    : Array.isArray(open) ? open.slice(0, 10).map((f) => `• \`${escapeText(String(f))}\` still open`) : [];
  const unconfirmed = Array.isArray(v?.details.unconfirmed) && (v?.details.unconfirmed as unknown[]).length > 0 ? [`• no patch state after the deployment from ${plural((v?.details.unconfirmed as unknown[]).length, 'instance')}`] : [];
  return `:x: Not verified: it is still open.\n${[...where, ...unconfirmed].join('\n')}\nBack to failed; a lead can reschedule it.`;
}

export function deployNote(e: DeployEvent, timeZone: string, otherLeads: readonly string[] = []): string | null {
  const text = ((): string | null => {
    switch (e.kind) {
      case 'staging_started':
        return `${mention(e.by)} started a staging run. ${blastRadiusText(targetsOf(e.run), e.run)}`;
      case 'staging_finished': {
        const passed = runCounts(e.run).succeeded === e.run.instances.length && e.run.instances.length > 0;
        const outcome = `Staging run by ${mention(e.by)} finished: *${passed ? 'pass' : 'fail'}*. ${runSummary(e.run)}`;
        return e.recorded ? `${outcome} Recorded as a test run.` : `${outcome} It could not be recorded as a test: the remediation is now ${e.r.state}.`;
      }
      case 'deploy_started':
        return started(e.r, timeZone, otherLeads);
      case 'progress':
        return null;
      case 'deploy_finished':
        return finished(e.r);
      case 'blocked':
        return `:no_entry: ${userMessage(e.error)}`;
      case 'missed':
        return `Its window *${escapeText(e.slot.windowName)}* (${formatDateTime(e.slot.startsAt, timeZone)} to ${formatDateTime(e.slot.endsAt, timeZone)}) ended before it could be deployed. It is back to approved: a lead picks a new window.`;
      case 'scan_started':
        return `The patch state of ${plural(e.instances, 'instance')} predates the deployment: scanning ${e.instances === 1 ? 'it' : 'them'} before verifying.`;
      case 'verified':
        return verified(e.r);
    }
  })();
  return text === null ? null : truncate(text, NOTE_MAX);
}
