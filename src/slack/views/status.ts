/** `/patch status`: the manager's view of the patch process, one message whatever the size of the store. */
import type { KnownBlock } from '@slack/types';
import type { StatusReport } from '../../app/reports/status-report.js';
import { SEVERITIES } from '../../domain/severity.js';
import { context, fields, header, linesToSections, remediationLine, section } from './blocks.js';
import { coverageSummary } from './coverage.js';
import { escapeText, formatDateTime, mention, plural, SEVERITY_LABEL, STATE_LABEL, truncate } from './format.js';
import type { MessageContext, SlackMessage } from './remediation-message.js';

/** How many owners of overdue work are named (the rest are counted). */
const OWNERS_SHOWN = 10;

export const percent = (share: number | null): string => (share === null ? 'n/a' : `${(share * 100).toFixed(share === 1 ? 0 : 1)}%`);
const days = (d: number | null): string => (d === null ? '—' : `${d.toFixed(1)} days`);

function overdueBlocks(report: StatusReport, ctx: MessageContext): KnownBlock[] {
  const { overdue } = report;
  if (overdue.count === 0) return [section(':white_check_mark: *Overdue:* none.', 'overdue')];
  const owners = overdue.byOwner.slice(0, OWNERS_SHOWN).map((o) => `${mention(o.owner)} ${o.count}`);
  const moreOwners = overdue.byOwner.length - OWNERS_SHOWN;
  const more = overdue.count - overdue.oldest.length;
  return [
    section(`:warning: *Overdue: ${overdue.count}* · by owner: ${owners.join(', ')}${moreOwners > 0 ? `, and ${plural(moreOwners, 'other owner')}` : ''}`, 'overdue'),
    ...linesToSections(overdue.oldest.map((r) => `• ${remediationLine(r, ctx)}`), 'overdue-list'),
    ...(more > 0 ? [context(`${plural(more, 'more overdue remediation')}: \`/patch list overdue\``, 'overdue-more')] : []),
  ];
}

function dueSoonBlocks(report: StatusReport, ctx: MessageContext): KnownBlock[] {
  const { dueSoon } = report;
  if (dueSoon.count === 0) return [section(`*Due within ${dueSoon.days} days:* none.`, 'due-soon')];
  const more = dueSoon.count - dueSoon.soonest.length;
  return [
    section(`*Due within ${dueSoon.days} days: ${dueSoon.count}*`, 'due-soon'),
    ...linesToSections(dueSoon.soonest.map((r) => `• ${remediationLine(r, ctx)}`), 'due-soon-list'),
    ...(more > 0 ? [context(`and ${plural(more, 'more', 'more')}: \`/patch list\``, 'due-soon-more')] : []),
  ];
}

function emergencyBlocks(report: StatusReport, ctx: MessageContext): KnownBlock[] {
  const { emergencies: e } = report;
  if (e.count === 0) return [];
  const lines = e.oldest.map((x) => `• *${x.remediationId}* by ${mention(x.by)} on ${formatDateTime(x.at, ctx.timeZone)} · approval ${x.overdue ? `:warning: *overdue* since` : 'due'} ${formatDateTime(x.approvalDueAt, ctx.timeZone)}`);
  return [
    section(`:rotating_light: *Emergency changes awaiting another lead’s approval: ${e.count}*${e.overdue > 0 ? ` (${e.overdue} overdue)` : ''}`, 'emergencies'),
    ...linesToSections(lines, 'emergency-list'),
  ];
}

/** Advisory reviews: how many wait, how many are past the policy's review deadline, the oldest of those named. */
export function advisoryReviewBlocks(a: StatusReport['advisories']): KnownBlock[] {
  if (!a || a.unreviewed === 0) return a ? [section(':mega: *Advisories:* every one reviewed.', 'advisories')] : [];
  const oldest = a.oldest.map((x) => `• ${x.link ? `<${x.link}|${escapeText(truncate(x.title, 120))}>` : escapeText(truncate(x.title, 120))} (${escapeText(x.feed)})`);
  const head = a.overdue > 0
    ? `:warning: *Advisories: ${plural(a.overdue, 'unreviewed advisory', 'unreviewed advisories')} past the ${a.reviewWithinDays}-day review deadline* (${a.unreviewed} awaiting review in all). A lead reviews each on its message in the channel.`
    : `:mega: *Advisories:* ${a.unreviewed} awaiting review, none past the ${a.reviewWithinDays}-day deadline.`;
  return [section(head, 'advisories'), ...(oldest.length > 0 ? linesToSections(oldest, 'advisories-overdue') : [])];
}

export function statusMessage(report: StatusReport, ctx: MessageContext): SlackMessage {
  const { open, sla, mttr } = report;
  const states = open.byState.map((s) => `${STATE_LABEL[s.state]} ${s.count}`).join(' · ') || 'nothing open';
  const window = report.nextWindow
    ? `*Next maintenance window:* ${report.nextWindow.windowName}, ${formatDateTime(report.nextWindow.startsAt, ctx.timeZone)}`
    : '*Next maintenance window:* none in the policy file.';
  const blocks: KnownBlock[] = [
    header('Patch status', 'title'),
    fields(
      [
        `*Open*\n${open.total}`,
        `*Overdue*\n${report.overdue.count}`,
        `*Due within ${report.dueSoon.days} days*\n${report.dueSoon.count}`,
        `*SLA compliance, last ${sla.windowDays} days*\n${percent(sla.compliance)} (${sla.onTime} of ${plural(sla.closed, 'closed remediation')} on time)`,
      ],
      'numbers',
    ),
    fields(SEVERITIES.map((s) => `${SEVERITY_LABEL[s]}\n${open.bySeverity[s]} open`), 'severities'),
    context(`By state: ${states}`, 'states'),
    ...overdueBlocks(report, ctx),
    ...dueSoonBlocks(report, ctx),
    ...emergencyBlocks(report, ctx),
    section(`*Mean time to remediate* (closed in the last ${mttr.windowDays} days, risk acceptances aside)`, 'mttr'),
    fields(SEVERITIES.map((s) => `${SEVERITY_LABEL[s]}\n${days(mttr.bySeverity[s].meanDays)}${mttr.bySeverity[s].count ? ` (${mttr.bySeverity[s].count})` : ''}`), 'mttr-values'),
    ...advisoryReviewBlocks(report.advisories),
    section(window, 'window'),
    section(`*Coverage*\n${coverageSummary(report.coverage)}`, 'coverage'),
    context(`As of ${formatDateTime(report.at, ctx.timeZone)} (${ctx.timeZone})`, 'as-of'),
  ];
  const emergencies = report.emergencies.count > 0 ? `, ${report.emergencies.count} emergency change${report.emergencies.count === 1 ? '' : 's'} awaiting approval` : '';
  const reviews = report.advisories?.overdue ? `, ${report.advisories.overdue} advisories past their review deadline` : '';
  const text = `Patch status: ${open.total} open, ${report.overdue.count} overdue, ${report.dueSoon.count} due within ${report.dueSoon.days} days, SLA compliance ${percent(sla.compliance)}${reviews}${emergencies}`;
  return { text, blocks };
}
