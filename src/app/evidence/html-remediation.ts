/**
 * One remediation on the page, as it stood at the period end: what it is, its approval, its tests with every evidence
 * file (name, SHA-256, a link into the zip, whether the copy still matches), its deployments and what they left,
 * its verification, and its timeline from the audit trail (who did what, when).
 */
import type { Deployment, Remediation } from '../../domain/remediation.js';
import type { AuditEvent } from '../audit.js';
import type { AsOfRecord } from './as-of.js';
import type { EvidenceCheck, PlacedFile } from './evidence-files.js';
import { esc, outsideLink, severityTag, table, type Links } from './html-format.js';

export interface RemediationContext {
  readonly time: (at: string | null | undefined) => string;
  /** The result of copying each file into the pack, by its path there. */
  readonly checks: ReadonlyMap<string, EvidenceCheck>;
  readonly links: Links;
}

const CHECK_TEXT = { ok: 'matches', mismatch: 'DOES NOT MATCH its recorded SHA-256', missing: 'MISSING from the evidence store', unreadable: 'UNREADABLE' } as const;

function fileRow(p: PlacedFile, check: EvidenceCheck | undefined, links: Links): string[] {
  const status = check ? CHECK_TEXT[check.status] : 'not copied';
  const link = check && check.status !== 'missing' ? links.file(p.path, p.file.name) : esc(p.file.name);
  return [link, `<span class="mono">${esc(p.file.sha256)}</span>`, String(p.file.size), check?.status === 'ok' ? status : `<strong>${esc(status)}</strong>`];
}

function deploymentLine(d: Deployment, time: RemediationContext['time']): string {
  const r = d.record;
  const what = !r ? '' : r.kind === 'pr_merge' ? ` — ${outsideLink(r.url, `${r.repository}#${r.pullNumber}`)} merged ${time(r.mergedAt)} by ${esc(r.mergedBy ?? '—')}`
    : r.kind === 'ssm_run' ? ` — ${esc(r.document)} ${esc(r.operation)} on ${r.instances.length} instance(s) (${r.instances.filter((i) => i.status === 'Success').length} succeeded), commands ${esc(r.commandIds.join(', ') || '—')}`
      : ` — change made outside patchwarden: ${outsideLink(r.changeUrl, r.changeUrl)}`;
  const e = d.emergency;
  const approval = e?.approval ? `approved afterwards by ${esc(e.approval.by)} ${time(e.approval.at)}` : `no approval yet (due ${time(e?.approvalDueAt)})`;
  const emergency = e ? ` — <strong>emergency change</strong> by ${esc(e.by)}: ${esc(e.reason)}; ${approval}` : '';
  return `<li>${time(d.startedAt)} by ${esc(d.by)}: ${esc(d.status)}${d.finishedAt ? ` at ${time(d.finishedAt)}` : ''}${d.reason ? ` (${esc(d.reason)})` : ''}${what}${emergency}</li>`;
}

function verificationLine(r: Remediation, time: RemediationContext['time']): string {
  const v = r.verification;
  if (!v) return '';
  const e = v.evidence;
  const how = !e ? '' : e.kind === 'ssm_compliance' ? `SSM patch compliance at ${time(e.takenAt)}: ${e.instances.map((i) => `${esc(i.name ?? i.instanceId)} ${i.installed} installed / ${i.missing} missing / ${i.failed} failed`).join('; ')}`
    : e.kind === 'source_state' ? `the source at ${time(e.takenAt)}: ${e.findings.map((f) => `${esc(f.findingId)} ${esc(f.state)}`).join(', ')}`
      : `checked by ${esc(e.by)}: ${esc(e.what)} ${e.link ? outsideLink(e.link, e.link) : ''}`;
  return `<p><strong>${r.state === 'verified' ? 'Verification' : 'Earlier verification'}</strong> ${time(v.at)}: ${v.clean ? 'clean' : 'NOT clean'}${how ? ` — ${how}` : ''}.</p>`;
}

/** What an audit event changed, in a few words. */
function eventText(e: AuditEvent): string {
  const { from, to, ...rest } = e.data as Record<string, unknown>;
  const move = typeof from === 'string' && typeof to === 'string' ? `${from} → ${to}` : '';
  const detail = JSON.stringify(rest);
  return `${esc(e.action)} ${esc(move)}${detail !== '{}' ? ` <span class="mono">${esc(detail.length > 240 ? `${detail.slice(0, 240)}…` : detail)}</span>` : ''}`;
}

export function remediationBlock({ remediation: r, source, trailState }: AsOfRecord, files: readonly PlacedFile[], events: readonly AuditEvent[], ctx: RemediationContext): string {
  const { time } = ctx;
  const a = r.assessment;
  const decisions = r.decisions.map((d) => `<li>${esc(d.decision)} by ${esc(d.by)} ${time(d.at)}${d.changeTicket ? `, change ticket ${esc(d.changeTicket)}` : ''}${d.reason ? `: ${esc(d.reason)}` : ''}</li>`).join('');
  const tests = r.tests.map((t) => `<li>${esc(t.result)} in ${esc(t.environment)} by ${esc(t.by)} ${time(t.at)}${t.notes ? `: ${esc(t.notes)}` : ''}${t.run ? ` (${t.run.kind === 'ssm_run' ? 'staging run' : 'pull request checks'})` : ''}</li>`).join('');
  const risk = r.riskAcceptance;
  return `<section class="remediation" id="${esc(r.id)}">
<h3>${esc(r.id)} ${severityTag(r.severity)} ${esc(r.title)}</h3>
<p>State at period end: <strong>${esc(r.state)}</strong>${trailState ? ` (the audit trail says <strong>${esc(trailState)}</strong>)` : ''}${source === 'rewound' ? ' — rolled back from its current record (no stored version before the period end)' : ''}. Owner ${esc(r.owner ?? 'nobody')}. Detected ${time(r.detectedAt)}, due ${time(r.dueAt)}${r.closedAt ? `, closed ${time(r.closedAt)} (${esc(r.resolution ?? '')})` : ''}. CVEs ${esc(r.cves.join(', ') || '—')}. Assets ${esc(r.assetIds.join(', '))}.</p>
${a ? `<p><strong>Assessment</strong> by ${esc(a.by)} ${time(a.at)}: ${esc(a.severity)}, business impact ${esc(a.businessImpact)}${a.kevListed ? ', on CISA KEV' : ''}${a.knownExploit ? ', known exploit' : ''}: ${esc(a.rationale)}</p>` : ''}
${tests ? `<p><strong>Tests</strong></p><ul>${tests}</ul>` : ''}${table(['evidence file', 'SHA-256', 'bytes', 'copy in this pack'], files.map((p) => fileRow(p, ctx.checks.get(p.path), ctx.links)))}
${decisions ? `<p><strong>Approval</strong></p><ul>${decisions}</ul>` : `<p><strong>Approval</strong>: ${r.deployments.some((d) => d.emergency) ? 'none before its emergency change; the retroactive approval is under Deployments' : 'none by the period end'}.</p>`}
${r.schedule ? `<p><strong>Window</strong>: ${esc(r.schedule.windowName)} ${time(r.schedule.startsAt)} – ${time(r.schedule.endsAt)}, booked by ${esc(r.schedule.by)}.</p>` : ''}
${r.deployments.length ? `<p><strong>Deployments</strong></p><ul>${r.deployments.map((d) => deploymentLine(d, time)).join('')}</ul>` : ''}
${verificationLine(r, time)}${risk ? `<p><strong>Risk accepted</strong> by ${esc(risk.by)} ${time(risk.at)} until ${time(risk.expiresAt)}: ${esc(risk.justification)} (compensating control: ${esc(risk.compensatingControl)}).</p>` : ''}
<details><summary>Timeline: ${events.length} audit event${events.length === 1 ? '' : 's'} up to the period end</summary>
${table(['seq', 'when', 'who', 'what'], events.map((e) => [String(e.seq), time(e.at), esc(e.actor), eventText(e)]), 'timeline')}</details>
</section>\n`;
}
