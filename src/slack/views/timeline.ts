/**
 * `/patch show PW-12`: the remediation as recorded (what is behind it: the first findings, or a patch run's patches
 * and hosts; assessment, test runs with their files' SHA-256, decisions,
 * window, deployments, verification, risk acceptance) and its audit trail, who did what when. At most 50 blocks:
 * a long trail shows its latest events and says how many earlier ones were left out.
 */
import type { KnownBlock } from '@slack/types';
import type { AuditEvent } from '../../app/audit.js';
import type { Timeline } from '../../app/reports/timeline.js';
import type { Remediation, TestRecord } from '../../domain/remediation.js';
import { context, header, linesToSections, MESSAGE_BLOCKS, section } from './blocks.js';
import { deploymentLines, instanceLines, runProgress, runSettings, verificationLines } from './deployment-record.js';
import { findingsBlocks } from './findings.js';
import { escapeText, formatDateTime, mention, plural, RESOLUTION_LABEL, truncate } from './format.js';
import { remediationMessage, type MessageContext, type SlackMessage } from './remediation-message.js';

/** Test runs and decisions shown in full (the latest); older ones are counted. */
const TESTS_SHOWN = 5;
/** Instances (and snapshot lines) of the latest deployment shown; older deployments show fewer. */
const SHOW_INSTANCES = 20;
const RUN_INSTANCES = 6;

/** A test the bot ran: the SSM run's instances, or the pull request's checks. */
function testRunLines(run: TestRecord['run']): string[] {
  if (run?.kind === 'ssm_run') return [`    ${runSettings(run)} · ${runProgress(run)}`, ...instanceLines(run, RUN_INSTANCES).map((l) => `    ${l}`)];
  if (run?.kind !== 'ci_checks') return [];
  const checks = run.checks.slice(0, RUN_INSTANCES).map((c) => `    ${c.conclusion === 'success' || c.conclusion === 'neutral' || c.conclusion === 'skipped' ? ':white_check_mark:' : ':x:'} ${text(c.name, 60)}: ${c.conclusion ?? c.status}`);
  return [`    <${run.url}|${text(run.repository, 80)}#${run.pullNumber}> at \`${run.headSha.slice(0, 7)}\``, ...checks, ...(run.checks.length > RUN_INSTANCES ? [`    and ${plural(run.checks.length - RUN_INSTANCES, 'more check')}`] : [])];
}
const FILES_SHOWN = 10;

const text = (s: string, max = 300): string => escapeText(truncate(s.replace(/\s+/g, ' ').trim(), max));

function recordLines(r: Remediation, ctx: MessageContext): string[] {
  const at = (iso: string) => formatDateTime(iso, ctx.timeZone);
  const lines: string[] = [];
  const a = r.assessment;
  if (a) {
    const exploit = [a.kevListed ? 'KEV listed' : null, a.knownExploit ? 'known exploit' : null, a.epss !== null ? `EPSS ${a.epss}` : null].filter(Boolean).join(', ');
    lines.push(`*Assessed* ${at(a.at)} by ${mention(a.by)}: ${a.severity}, business impact ${a.businessImpact}${exploit ? `, ${exploit}` : ''}, owner ${mention(a.owner)}. _${text(a.rationale)}_`);
  }
  const tests = r.tests.slice(-TESTS_SHOWN);
  if (r.tests.length > tests.length) lines.push(`_${plural(r.tests.length - tests.length, 'earlier test run')} not shown_`);
  for (const t of tests) {
    const files = t.files.slice(0, FILES_SHOWN).map((f) => `    :paperclip: ${text(f.name, 80)} · sha256 \`${f.sha256}\``);
    if (t.files.length > files.length) files.push(`    and ${plural(t.files.length - files.length, 'more file')}`);
    lines.push(`*Tested* ${at(t.at)} by ${mention(t.by)} in ${text(t.environment, 40)}: *${t.result}*${t.notes ? `. _${text(t.notes, 200)}_` : ''}`, ...files, ...testRunLines(t.run));
  }
  const decisions = r.decisions.slice(-TESTS_SHOWN);
  if (r.decisions.length > decisions.length) lines.push(`_${plural(r.decisions.length - decisions.length, 'earlier decision')} not shown_`);
  for (const d of decisions) {
    lines.push(`*${d.decision === 'approved' ? 'Approved' : 'Rejected'}* ${at(d.at)} by ${mention(d.by)}${d.changeTicket ? ` · change ${text(d.changeTicket, 60)}` : ''}${d.reason ? `. _${text(d.reason, 200)}_` : ''}`);
  }
  if (r.schedule) lines.push(`*Window* ${text(r.schedule.windowName, 80)}: ${at(r.schedule.startsAt)} to ${at(r.schedule.endsAt)}, scheduled by ${mention(r.schedule.by)}`);
  const deployments = r.deployments.slice(-TESTS_SHOWN);
  if (r.deployments.length > deployments.length) lines.push(`_${plural(r.deployments.length - deployments.length, 'earlier deployment')} not shown_`);
  deployments.forEach((d, k) => lines.push(...deploymentLines(d, ctx.timeZone, k === deployments.length - 1 ? SHOW_INSTANCES : 3)));
  if (r.verification) lines.push(...verificationLines(r.verification, ctx.timeZone, SHOW_INSTANCES));
  const risk = r.riskAcceptance;
  if (risk) lines.push(`*Risk accepted* ${at(risk.at)} by ${mention(risk.by)} until ${at(risk.expiresAt)}. _${text(risk.justification, 200)}_ Control: _${text(risk.compensatingControl, 200)}_`);
  if (r.closedAt && r.resolution) lines.push(`*Closed* ${at(r.closedAt)}: ${RESOLUTION_LABEL[r.resolution]}`);
  return lines;
}

/** `#12 Mon 2 Nov 10:00 · @lena · remediation.assessed (new → assessed)`. */
export function eventLine(e: AuditEvent, ctx: MessageContext): string {
  const d = e.data as Record<string, unknown>;
  const move = typeof d.from === 'string' && typeof d.to === 'string' && d.from !== d.to ? ` (${d.from} → ${d.to})` : '';
  const detail = ['reason', 'rationale', 'key', 'code'].map((k) => d[k]).find((v): v is string => typeof v === 'string' && v !== '');
  return `\`#${e.seq}\` ${formatDateTime(e.at, ctx.timeZone)} · ${mention(e.actor)} · ${text(e.action, 80)}${move}${detail ? ` · _${text(detail, 120)}_` : ''}`;
}

/** Findings lines shown by `/patch show`; `/patch show PW-12 findings` lists them all. */
export const SHOW_FINDINGS = 8;

/** The advisories linked to a remediation, one line each (the first 10). */
function advisoryLines(t: Timeline): string[] {
  const linked = t.advisories ?? [];
  if (linked.length === 0) return [];
  const lines = linked.slice(0, 10).map(({ advisory: a, link }) => {
    const title = escapeText(truncate(a.title, 150));
    const how = link.via === 'cve' ? `shares ${link.cves.join(', ')}` : 'named by a lead’s review';
    return `• ${a.link ? `<${a.link}|${title}>` : title} (${escapeText(a.feed)}): ${how}`;
  });
  return [`*Advisories* (${linked.length})`, ...lines, ...(linked.length > 10 ? [`and ${linked.length - 10} more`] : [])];
}

export function timelineMessage(t: Timeline, ctx: MessageContext): SlackMessage {
  const { remediation: r, events, detail } = t;
  // The record below shows the deployment in more detail than the message does.
  const summary = remediationMessage(r, ctx).blocks.filter((b) => b.type !== 'actions' && b.block_id !== 'deployment');
  const findings = findingsBlocks(detail, { limit: SHOW_FINDINGS, rest: `\`/patch show ${r.id} findings\` lists every one`, timeZone: ctx.timeZone });
  const record = linesToSections([...recordLines(r, ctx), ...advisoryLines(t)], 'record');
  const head: KnownBlock[] = [header(`${r.id} timeline`, 'title'), ...summary, ...findings, ...record, section(`*Audit trail* (${plural(events.length, 'event')})`, 'trail')];
  // Newest events are kept when the trail does not fit: fill the room left from the end.
  const room = MESSAGE_BLOCKS - head.length - 1;
  let shown = events.length;
  let trail = linesToSections(events.map((e) => eventLine(e, ctx)), 'event');
  while (trail.length > room && shown > 0) {
    shown = Math.max(0, shown - Math.max(1, Math.ceil((trail.length - room) * (shown / trail.length))));
    trail = linesToSections(events.slice(events.length - shown).map((e) => eventLine(e, ctx)), 'event');
  }
  const omitted = events.length - shown;
  const note = omitted > 0 ? `${plural(omitted, 'earlier event')} not shown; the whole trail is in the audit log (\`patchwarden audit verify\` checks it).` : 'Every event is hash-chained in the audit log.';
  return { text: `${r.id} ${r.title}: timeline`, blocks: [...head, ...trail, context(note, 'trail-note')] };
}
