/**
 * The App Home: the person's queue by role (to assess, to test, to approve, overdue), each a few items with an
 * action button and "and N more". Someone with no role reads how roles are given. Always under 100 blocks.
 */
import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { HomeQueue, QueueSection } from '../../app/reports/home-queue.js';
import type { Asset } from '../../domain/asset.js';
import type { Remediation } from '../../domain/remediation.js';
import { slaStatus, type SlaPolicy } from '../../domain/sla.js';
import { ACTION, encodeButtonValue } from '../ids.js';
import { escapeText, formatDate, formatDateTime, mention, plural, relativeDays, SEVERITY_LABEL, STATE_LABEL, truncate } from './format.js';
import { nextActions } from './remediation-message.js';
import { assetsNote } from './asset-names.js';
import { md, plain } from './modal-parts.js';

export interface HomeContext {
  readonly now: Date;
  readonly timeZone: string;
  readonly sla: SlaPolicy;
}

type SectionKey = 'toAssess' | 'toTest' | 'toApprove' | 'overdue';

const SECTIONS: readonly { key: SectionKey; title: string; empty: string; more: string; action: { text: string; id: string } | null }[] = [
  { key: 'overdue', title: ':warning: Overdue', empty: 'Nothing is overdue.', more: '/patch list overdue', action: null },
  { key: 'toAssess', title: ':mag: To assess', empty: 'Nothing waits for an assessment.', more: '/patch list open', action: { text: 'Assess', id: ACTION.assess } },
  { key: 'toTest', title: ':test_tube: To test', empty: 'Nothing waits for test evidence.', more: '/patch list mine', action: { text: 'Upload evidence', id: ACTION.uploadEvidence } },
  { key: 'toApprove', title: ':white_check_mark: To approve', empty: 'Nothing waits for your approval.', more: '/patch list open', action: { text: 'Review', id: ACTION.approve } },
];

const ROLE_TEXT: Record<string, string> = { lead: 'lead', engineer: 'engineer', approver: 'approver', manager: 'manager', auditor: 'auditor' };

function due(r: Remediation, ctx: HomeContext): string {
  const text = `due ${formatDate(r.dueAt, ctx.timeZone)} (${relativeDays(r.dueAt, ctx.now)})`;
  return slaStatus(ctx.sla, r.dueAt, ctx.now) === 'on_track' ? text : `*${text}*`;
}

function item(key: SectionKey, r: Remediation, action: { text: string; id: string } | null, ctx: HomeContext, assets: ReadonlyMap<string, Asset>): KnownBlock {
  // The section's own button where the remediation offers that step; else its message's first (a dismissal to decide).
  const own = nextActions(r);
  const button: Button | undefined = action && own.some((b) => b.action_id === action.id)
    ? { type: 'button', text: plain(action.text, 75), action_id: action.id, value: encodeButtonValue({ r: r.id }) }
    : own[0];
  const text = `*${r.id}* · ${escapeText(truncate(r.title, 200))}${assetsNote(r, assets)}\n${SEVERITY_LABEL[r.severity]} · ${STATE_LABEL[r.state]} · ${due(r, ctx)} · owner ${mention(r.owner)}`;
  return { type: 'section', block_id: `${key}:${r.id}`, text: md(text), ...(button ? { accessory: button } : {}) };
}

function section(key: SectionKey, s: QueueSection, ctx: HomeContext, assets: ReadonlyMap<string, Asset>): KnownBlock[] {
  const spec = SECTIONS.find((x) => x.key === key)!;
  const blocks: KnownBlock[] = [{ type: 'header', block_id: `${key}:header`, text: plain(`${spec.title} (${s.total.toLocaleString('en-US')})`, 150) }];
  if (s.items.length === 0) blocks.push({ type: 'context', block_id: `${key}:empty`, elements: [md(spec.empty)] });
  for (const r of s.items) blocks.push(item(key, r, spec.action, ctx, assets));
  const rest = s.total - s.items.length;
  if (rest > 0) blocks.push({ type: 'context', block_id: `${key}:more`, elements: [md(`…and ${plural(rest, 'more', 'more')}: \`${spec.more}\``)] });
  blocks.push({ type: 'divider', block_id: `${key}:end` });
  return blocks;
}

function noRole(q: HomeQueue): KnownBlock[] {
  const ask = q.leads.length > 0 ? `Ask ${q.leads.slice(0, 5).map(mention).join(', ')}` : 'Ask your engineering lead';
  return [
    {
      type: 'section',
      block_id: 'no_role',
      text: md(
        `You don’t have a patchwarden role yet, so there is nothing in your queue.\nRoles (lead, engineer, approver, manager, auditor) are given in the patchwarden policy file, by Slack user or user group. ${ask} to add you.`,
      ),
    },
  ];
}

/** `assets`: the queued remediations' assets, so each item names its instances and Snyk projects. */
export function homeView(q: HomeQueue, ctx: HomeContext, assets: ReadonlyMap<string, Asset> = new Map()): HomeView {
  const roles = q.roles.map((r) => ROLE_TEXT[r] ?? r).join(', ');
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'title', text: plain('Your patch queue', 150) },
    { type: 'context', block_id: 'roles', elements: [md(q.roles.length > 0 ? `Your role${q.roles.length > 1 ? 's' : ''}: *${roles}* · updated ${formatDateTime(ctx.now.toISOString(), ctx.timeZone)}` : `Updated ${formatDateTime(ctx.now.toISOString(), ctx.timeZone)}`)] },
  ];
  if (q.roles.length === 0) blocks.push(...noRole(q));
  for (const spec of SECTIONS) {
    const s = q[spec.key];
    if (s) blocks.push(...section(spec.key, s, ctx, assets));
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
