/**
 * The monthly digest's messages: the summary (numbers, the first few of each list, coverage gaps), the complete
 * list in pages for its thread when the summary's lists were cut, and the audit anchor. Each message stays within
 * 50 blocks whatever the number of remediations; the CSV in the thread has every row.
 */
import type { KnownBlock } from '@slack/types';
import type { DigestContent } from '../../app/reports/digest.js';
import type { AuditEvent } from '../../app/audit.js';
import type { Asset } from '../../domain/asset.js';
import type { Remediation } from '../../domain/remediation.js';
import { SEVERITIES } from '../../domain/severity.js';
import { chunk, context, fields, header, linesToSections, MESSAGE_BLOCKS, remediationLine, section } from './blocks.js';
import { coverageSummary } from './coverage.js';
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import { advisoryTitle, reviewLine } from './advisory-message.js';
import { escapeText, formatDate, plural, SEVERITY_LABEL } from './format.js';
import type { MessageContext, SlackMessage } from './remediation-message.js';

/** Remediations named per list in the summary; the thread's pages and the CSV have them all. */
export const SUMMARY_LIST_MAX = 10;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-11` -> `November 2026`. */
export function monthLabel(period: string): string {
  const [y, m] = period.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

function listBlocks(id: string, title: string, items: readonly Remediation[], ctx: MessageContext, empty: string, assets: ReadonlyMap<string, Asset>): { blocks: KnownBlock[]; cut: boolean } {
  if (items.length === 0) return { blocks: [section(`*${title}:* ${empty}`, id)], cut: false };
  const shown = items.slice(0, SUMMARY_LIST_MAX);
  const more = items.length - shown.length;
  return {
    blocks: [
      section(`*${title}: ${items.length}*`, id),
      ...linesToSections(shown.map((r) => `• ${remediationLine(r, ctx, assets)}`), `${id}-list`),
      ...(more > 0 ? [context(`and ${plural(more, 'more', 'more')}: the complete list is in the thread`, `${id}-more`)] : []),
    ],
    cut: more > 0,
  };
}

/** The feeds' baseline among the new ones: how many, of which feeds, and where they are listed. */
function baselineNote(baseline: readonly AdvisoryStatus[]): KnownBlock[] {
  if (baseline.length === 0) return [];
  const feeds = [...new Set(baseline.map((s) => s.advisory.feed))].map((f) => escapeText(f));
  const text = `${plural(baseline.length, 'advisory', 'advisories')} recorded as the baseline of ${feeds.slice(0, 5).join(', ')}${feeds.length > 5 ? ` and ${feeds.length - 5} more feeds` : ''}: published before monitoring of the feed began, listed in the advisories CSV in the thread, not reviewed one by one.`;
  return [context(text, 'advisories-baseline')];
}

/** The Advisories section: each advisory first read since the last digest, and how it stands; reviews overdue. */
export function advisoryBlocks(a: DigestContent['advisories'], since: string, ctx: MessageContext): KnownBlock[] {
  if (!a) return [];
  const overdue = a.reviews.overdue > 0 ? ` · :warning: ${plural(a.reviews.overdue, 'review')} past the ${a.reviews.reviewWithinDays}-day deadline` : '';
  const baseline = a.fresh.filter((s) => s.advisory.baseline);
  const fresh = a.fresh.filter((s) => !s.advisory.baseline);
  if (fresh.length === 0) return [section(`*Advisories ${since}:* none new${a.reviews.unreviewed > 0 ? `; ${a.reviews.unreviewed} still awaiting review` : ''}${overdue}`, 'advisories'), ...baselineNote(baseline)];
  const line = (s: AdvisoryStatus): string => {
    const linked = [...new Set(s.links.map((l) => l.remediationId))];
    const state = s.review ? reviewLine(s.review, ctx.timeZone).replace(/^:white_check_mark: /, '') : linked.length > 0 ? `linked to ${linked.join(', ')}` : '_awaiting review_';
    return `• ${advisoryTitle(s)} (${escapeText(s.advisory.feed)}) · ${state}`;
  };
  const shown = fresh.slice(0, SUMMARY_LIST_MAX);
  const more = fresh.length - shown.length;
  return [
    section(`*Advisories ${since}: ${fresh.length}*${overdue}`, 'advisories'),
    ...linesToSections(shown.map(line), 'advisories-list'),
    context(`${more > 0 ? `and ${plural(more, 'more', 'more')}: all are in the advisories CSV in the thread. ` : ''}Each awaiting review has its own message in the channel: Not applicable, Covered by PW-…, or Create remediation.`, 'advisories-note'),
    ...baselineNote(baseline),
  ];
}

export interface DigestSummary extends SlackMessage {
  /** Some list was cut: the thread gets the complete list in pages. */
  readonly cut: boolean;
}

/** `assets`: the remediations' assets, so each line names its instances and Snyk projects. */
export function digestSummary(content: DigestContent, ctx: MessageContext, assets: ReadonlyMap<string, Asset> = new Map()): DigestSummary {
  const since = content.since ? `since ${formatDate(content.since, ctx.timeZone)}` : 'since patchwarden started';
  const overdue = listBlocks('overdue', ':warning: Overdue', content.overdue, ctx, 'none', assets);
  const month = listBlocks('due-month', 'Due this month', content.dueThisMonth, ctx, 'nothing else', assets);
  const fresh = listBlocks('new', `New ${since}`, content.fresh, ctx, 'none', assets);
  const blocks: KnownBlock[] = [
    header(`Patch digest · ${monthLabel(content.period)}`, 'title'),
    fields(
      [`*Open*\n${content.open.total}`, `*Overdue*\n${content.overdue.length}`, `*Due this month*\n${content.dueThisMonth.length}`, `*New ${since}*\n${content.fresh.length}`],
      'numbers',
    ),
    fields(SEVERITIES.map((s) => `${SEVERITY_LABEL[s]}\n${content.open.bySeverity[s]} open`), 'severities'),
    ...overdue.blocks,
    ...month.blocks,
    ...fresh.blocks,
    ...(content.fresh.length > 0 ? [context(`Each new remediation follows as its own message, with its buttons: assess it there.`, 'new-note')] : []),
    ...advisoryBlocks(content.advisories, since, ctx),
    section(`*Coverage*\n${coverageSummary(content.coverage)}`, 'coverage'),
    context(`${content.all.length > 0 ? 'The complete list is attached in the thread as CSV. ' : ''}Ask any time with \`/patch status\` or \`/patch list\`.`, 'footer'),
  ];
  const text = `Patch digest ${monthLabel(content.period)}: ${content.open.total} open, ${content.overdue.length} overdue, ${content.dueThisMonth.length} due this month, ${content.fresh.length} new`;
  return { text, blocks, cut: overdue.cut || month.cut || fresh.cut };
}

/** Every remediation in the digest, one line each, in thread messages of at most 50 blocks. */
export function digestPages(content: DigestContent, ctx: MessageContext, assets: ReadonlyMap<string, Asset> = new Map()): SlackMessage[] {
  const sections = linesToSections(content.all.map((r) => `• ${remediationLine(r, ctx, assets)}`), 'all');
  const groups = chunk(sections, MESSAGE_BLOCKS - 1);
  return groups.map((blocks, i) => ({
    text: `Patch digest ${monthLabel(content.period)}: complete list, part ${i + 1} of ${groups.length}`,
    blocks: [context(`*Complete list, part ${i + 1} of ${groups.length}* · ${plural(content.all.length, 'remediation')}, due date first`, 'part'), ...blocks],
  }));
}

/** The audit chain's head after the digest, posted where an auditor can later compare it (an external anchor). */
export function anchorMessage(head: Pick<AuditEvent, 'seq' | 'hash'> | null): SlackMessage {
  if (!head) return { text: 'The audit log is empty.', blocks: [section('The audit log is empty.', 'anchor')] };
  const text = `Audit log head after this digest: seq ${head.seq}, sha256 ${head.hash}. To prove nothing recorded up to here was changed or removed: patchwarden audit verify --expect-head ${head.seq}:${head.hash}`;
  return {
    text,
    blocks: [
      section(`:lock: *Audit log head* after this digest: seq *${head.seq}*, sha256 \`${head.hash}\``, 'anchor'),
      context(`To prove nothing recorded up to here was changed or removed: \`patchwarden audit verify --expect-head ${head.seq}:${head.hash}\``, 'anchor-how'),
    ],
  };
}
