/**
 * Small pure pieces the report views share: one line per remediation, and lines packed into sections and pages
 * that stay within Block Kit's limits (3,000 characters per text, 50 blocks per message).
 */
import type { ContextBlock, HeaderBlock, SectionBlock } from '@slack/types';
import type { Asset } from '../../domain/asset.js';
import { type Remediation } from '../../domain/remediation.js';
import { isClosed } from '../../domain/remediation-state.js';
import { slaStatus } from '../../domain/sla.js';
import { escapeText, formatDate, mention, relativeDays, SEVERITY_LABEL, STATE_LABEL, truncate } from './format.js';
import type { MessageContext } from './remediation-message.js';
import { assetsNote } from './asset-names.js';

export const MESSAGE_BLOCKS = 50;
export const TEXT_MAX = 3000;
const LINE_MAX = 600;

export const header = (text: string, blockId?: string): HeaderBlock => ({
  type: 'header',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'plain_text', text: truncate(text, 150), emoji: true },
});

export const section = (text: string, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text: truncate(text || ' ', TEXT_MAX) },
});

/** A section of up to 10 fields (each cut to 2,000 characters). */
export const fields = (texts: readonly string[], blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  fields: texts.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text || ' ', 2000) })),
});

export const context = (text: string, blockId?: string): ContextBlock => ({
  type: 'context',
  ...(blockId ? { block_id: blockId } : {}),
  elements: [{ type: 'mrkdwn', text: truncate(text || ' ', TEXT_MAX) }],
});

/** When it is due, and how that stands against the SLA. */
export function dueNote(r: Remediation, ctx: MessageContext): string {
  const date = formatDate(r.dueAt, ctx.timeZone);
  if (isClosed(r.state)) return `due ${date}`;
  const status = slaStatus(ctx.sla, r.dueAt, ctx.now);
  if (status === 'overdue') return `:warning: *overdue* since ${date} (${relativeDays(r.dueAt, ctx.now)})`;
  return `due ${date} (${relativeDays(r.dueAt, ctx.now)})`;
}

/**
 * `*PW-12* Upgrade lodash … · :red_circle: Critical · New · due … · @owner`, one line; with `assets` (looked up by the
 * caller) its instances and Snyk projects by name after the title.
 */
export function remediationLine(r: Remediation, ctx: MessageContext, assets: ReadonlyMap<string, Asset> = new Map()): string {
  const title = escapeText(truncate(r.title, 90));
  return truncate(`*${r.id}* ${title}${assetsNote(r, assets)} · ${SEVERITY_LABEL[r.severity]} · ${STATE_LABEL[r.state]} · ${dueNote(r, ctx)} · ${mention(r.owner)}`, LINE_MAX);
}

/** Lines packed into as few sections as fit (each text ≤ 3,000 characters), block ids `<prefix>-<n>`. */
export function linesToSections(lines: readonly string[], prefix: string): SectionBlock[] {
  const texts: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, LINE_MAX);
    if (current !== '' && current.length + 1 + line.length > TEXT_MAX) {
      texts.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') texts.push(current);
  return texts.map((t, i) => section(t, `${prefix}-${i + 1}`));
}

/** Splits blocks into messages of at most `perMessage` blocks. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
