/**
 * The page's answers: the summary of the period, then the policy's four common audit findings one by one, each with
 * the population it was asked of and whatever falls short, then emergency changes and their retroactive approvals.
 */
import { SEVERITIES } from '../../domain/severity.js';
import { GAP_KINDS, type GapKind, type InventoryReport } from '../reports/inventory-report.js';
import type { Analysis } from './analysis.js';
import { answer, esc, plural, severityTag, table, type Links } from './html-format.js';
import type { SourceRuns } from './population.js';

export interface FindingsContext {
  readonly analysis: Analysis;
  readonly inventory: InventoryReport;
  /** Which sources are configured, and their sync runs in the period. */
  readonly sources: readonly { readonly name: string; readonly configured: boolean; readonly runs: SourceRuns | null }[];
  /** Retroactive approvals given after the cut-off, by deployment id (the current record knows them). */
  readonly laterApprovals: ReadonlyMap<string, { readonly by: string; readonly at: string }>;
  readonly time: (at: string | null | undefined) => string;
  readonly links: Links;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const days = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} days`);

export function summarySection({ analysis: a }: FindingsContext): string {
  const rows = SEVERITIES.map((s) => [severityTag(s), String(a.bySeverity[s].open), String(a.bySeverity[s].closed), String(a.bySeverity[s].overdue), days(a.closed.mttr.bySeverity[s].meanDays)]);
  return `<h2 id="summary">Summary</h2>
<p>${plural(a.population, 'remediation')} open at some moment of the period: every one is in this pack, in <code>remediations.csv</code> and below.</p>
${table(['severity', 'open at period end', 'closed in the period', 'overdue at period end', 'mean time to remediate'], rows)}
<p><strong>SLA compliance:</strong> ${pct(a.closed.sla.compliance)} of the ${plural(a.closed.sla.closed, 'remediation')} closed in the period were closed by their due date (${a.closed.sla.onTime} on time; a risk acceptance counts as a closure). Mean time to remediate runs from detection (or the last reopening) to closure, risk acceptances aside.</p>
<p><strong>State at period end:</strong> ${a.byState.map((s) => `${esc(s.state)} ${s.count}`).join(', ') || 'none'}.</p>\n`;
}

function slaFinding({ analysis: a, time, links }: FindingsContext): string {
  const missed = a.sla.missed;
  const excepted = missed.filter((m) => m.exception).length;
  const rows = missed.map((m) => [
    links.ref(m.ref.id), esc(m.ref.title), severityTag(m.ref.severity), time(m.ref.dueAt), m.ref.closedAt ? `closed ${time(m.ref.closedAt)}` : `open (${esc(m.ref.state)})`,
    m.daysLate.toFixed(1), esc(m.ref.owner ?? 'nobody'),
    m.exception ? `risk accepted by ${esc(m.exception.by)} ${time(m.exception.at)} until ${time(m.exception.expiresAt)}: ${esc(m.exception.justification)} (control: ${esc(m.exception.compensatingControl)})` : 'none',
  ]);
  const verdict = missed.length === 0 ? `none: all ${plural(a.sla.inScope, 'remediation')} whose SLA came due or was met in the period met it.`
    : `${plural(missed.length, 'remediation')} of the ${a.sla.inScope} whose SLA came due or was met in the period missed it; ${excepted} of them with a documented exception (risk acceptance).`;
  return `<h3 id="finding-sla">1. Patches not applied within their SLA</h3>
<p class="meta">Population: remediations still open at the period end with a due date before it, and remediations closed in the period (<code>sla_in_scope = yes</code> in remediations.csv).</p>
${answer(missed.length === 0, verdict)}${table(['remediation', 'title', 'severity', 'due', 'at period end', 'days late', 'owner', 'documented exception'], rows)}`;
}

function changesFinding({ analysis: a, time, links }: FindingsContext): string {
  const { total, untested, unapproved } = a.changes;
  const row = (c: (typeof untested)[number]) => [links.ref(c.ref.id), esc(c.ref.title), time(c.deployment.startedAt), esc(c.deployment.by), esc(c.deployment.status), c.deployment.emergency ? 'emergency change' : 'scheduled'];
  const head = ['remediation', 'title', 'started', 'by', 'outcome', 'kind'];
  return `<h3 id="finding-changes">2. Production changes without passing test evidence</h3>
<p class="meta">Population: the ${plural(total, 'deployment')} started in the period (<code>changes_in_period</code> in remediations.csv; details in change-approvals.csv). A change is tested when a passing test (uploaded evidence, a staging run, a pull request's checks) was recorded before it started.</p>
${answer(untested.length === 0, untested.length === 0 ? `none: every one of the ${plural(total, 'production change')} had passing test evidence first.` : `${plural(untested.length, 'production change')} had no passing test evidence recorded before it started. They are listed here.`)}${table(head, untested.map(row))}
${unapproved.length > 0 ? `<p class="answer bad">${plural(unapproved.length, 'change')} started without an approval on record and ${unapproved.length === 1 ? 'is' : 'are'} not an emergency change:</p>${table(head, unapproved.map(row))}` : ''}`;
}

const GAP_TITLES: Record<GapKind, string> = {
  unowned: 'Open findings but no owner',
  staleScan: 'Not scanned within the policy’s days',
  lostAgent: 'SSM agent lost (ConnectionLost or Inactive)',
  dependabotDisabled: 'Dependabot alerts disabled',
};

function inventoryFinding({ inventory: inv, sources, time }: FindingsContext): string {
  const off = sources.filter((s) => !s.configured).map((s) => s.name);
  const failing = sources.filter((s) => s.configured && (s.runs === null || s.runs.lastOkAt === null));
  const sourceRows = sources.map((s) => [esc(s.name), s.configured ? 'on' : 'OFF', String(s.runs?.runs ?? 0), String(s.runs?.failed ?? 0), time(s.runs?.lastOkAt), esc(s.runs?.lastError ?? '')]);
  const gaps = GAP_KINDS.filter((k) => inv.gaps[k].length > 0).map((k) =>
    `<h4>${esc(GAP_TITLES[k])}: ${inv.gaps[k].length}</h4>${table(['asset', 'name', 'source', 'environment', 'owner', 'last scanned', 'open findings'], inv.gaps[k].map((g) => [esc(g.asset.id), esc(g.asset.name), esc(g.asset.source), esc(g.asset.environment ?? 'unknown'), esc(g.asset.owner ?? 'nobody'), time(g.asset.lastScannedAt), String(g.openFindings)]))}`);
  const complete = inv.assetsWithGaps === 0 && off.length === 0 && failing.length === 0;
  const sentence = complete ? `complete: all ${plural(inv.totals.inScope, 'in-scope asset')} were scanned within ${inv.staleScanDays} days, every agent reports, every source synced in the period.`
    : `${plural(inv.assetsWithGaps, 'in-scope asset')} of ${inv.totals.inScope} with a coverage gap${off.length ? `; source${off.length > 1 ? 's' : ''} off: ${off.join(', ')}` : ''}${failing.length ? `; no successful sync in the period: ${failing.map((s) => s.name).join(', ')}` : ''}.`;
  return `<h3 id="finding-inventory">3. An incomplete inventory</h3>
<p class="meta">Population: the ${plural(inv.totals.assets, 'asset')} of the inventory when the pack was made (${inv.totals.inScope} in scope; assets keep no history), all in inventory.csv; and the sources, with their sync runs in the period.</p>
${answer(complete, sentence)}${table(['source', 'configured', 'sync runs in the period', 'failed', 'last successful', 'last error'], sourceRows)}${gaps.join('\n')}`;
}

function unresolvedFinding({ analysis: a, time, links }: FindingsContext): string {
  const unowned = a.unresolved.filter((u) => u.owner === null).length;
  const rows = a.unresolved.map((u) => [links.ref(u.ref.id), esc(u.ref.title), severityTag(u.ref.severity), esc(u.ref.state), u.owner ? esc(u.owner) : '<strong>nobody</strong>', time(u.ref.dueAt), u.overdue ? 'overdue' : 'on time']);
  const sentence = a.unresolved.length === 0 ? 'none: no high or critical vulnerability was open at the period end.'
    : unowned === 0 ? `${plural(a.unresolved.length, 'high or critical remediation')} open at the period end, each with an owner.` : `${plural(unowned, 'high or critical remediation')} open at the period end without an owner (of ${a.unresolved.length}).`;
  return `<h3 id="finding-unresolved">4. Unresolved high and critical vulnerabilities and their owners</h3>
<p class="meta">Population: remediations of severity high or critical still open at the period end.</p>
${answer(unowned === 0, sentence)}${table(['remediation', 'title', 'severity', 'state', 'owner', 'due', 'SLA'], rows)}`;
}

export function emergencySection({ analysis: a, laterApprovals, time, links }: FindingsContext): string {
  const rows = a.emergencies.map((e) => {
    const later = laterApprovals.get(e.deployment.id);
    const approval = e.approval ? `${esc(e.approval.by)} ${time(e.approval.at)}${e.approval.note ? `: ${esc(e.approval.note)}` : ''}` : later ? `none by the period end; given after it by ${esc(later.by)} ${time(later.at)}` : '<strong>none</strong>';
    return [links.ref(e.ref.id), time(e.deployment.startedAt), esc(e.by), esc(e.reason), time(e.approvalDueAt), approval, e.late ? '<strong>late</strong>' : 'on time'];
  });
  const late = a.emergencies.filter((e) => e.late).length;
  return `<h2 id="emergency">Emergency changes and their retroactive approvals</h2>
<p class="meta">Deployments started in the period outside an approved window (Deploy now). Each needs another lead’s approval within the policy’s days.</p>
${answer(late === 0, a.emergencies.length === 0 ? 'no emergency change in the period.' : `${plural(a.emergencies.length, 'emergency change')}; ${late === 0 ? 'each approved retroactively in time' : `${late} without a retroactive approval in time`}.`)}${table(['remediation', 'deployed', 'by', 'reason', 'approval due', 'retroactive approval', ''], rows)}`;
}

export function findingsSection(ctx: FindingsContext): string {
  return `<h2 id="findings">The four common audit findings</h2>\n${slaFinding(ctx)}${changesFinding(ctx)}${inventoryFinding(ctx)}${unresolvedFinding(ctx)}`;
}
