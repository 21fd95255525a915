/** `/patch list …`: one page of remediations (≤ 50 blocks), saying how many more there are and how to narrow. */
import type { KnownBlock } from '@slack/types';
import { LIST_WORDS, type ListPage } from '../../app/reports/list-remediations.js';
import { ACTION, encodeButtonValue } from '../ids.js';
import { context, header, remediationLine, section } from './blocks.js';
import { plural } from './format.js';
import type { MessageContext, SlackMessage } from './remediation-message.js';

/** `open`, `overdue high`, …: what the person asked for, as they would type it again. */
export const describeWords = (words: readonly string[]): string => (words.length === 0 ? 'open' : words.join(' '));

function footer(page: ListPage): string {
  const { request, total, pages, pageSize, items } = page;
  const asked = describeWords(request.words);
  const first = (request.page - 1) * pageSize + 1;
  const parts = [`Showing ${first}–${first + items.length - 1} of ${total}.`];
  if (request.page < pages) {
    const left = total - (first + items.length - 1);
    parts.push(`${plural(left, 'more', 'more')}: \`/patch list ${asked} ${request.page + 1}\` for the next page.`);
  }
  const narrower = LIST_WORDS.filter((w) => w !== 'open' && !request.words.includes(w)).map((w) => `\`${w}\``);
  if (request.page < pages && narrower.length > 0) parts.push(`Narrow it with ${narrower.join(', ')} (words combine: \`/patch list overdue critical\`).`);
  return parts.join(' ');
}

export function listMessage(page: ListPage, ctx: MessageContext): SlackMessage {
  const asked = describeWords(page.request.words);
  const title = `Remediations: ${asked}`;
  if (page.total === 0) {
    return { text: `${title}: none`, blocks: [header(title, 'title'), section(`Nothing matches \`/patch list ${asked}\`.`, 'empty')] };
  }
  const items: KnownBlock[] = page.items.map((r, i) => ({
    ...section(remediationLine(r, ctx), `item-${i + 1}`),
    accessory: { type: 'button', action_id: ACTION.timeline, text: { type: 'plain_text', text: 'Timeline' }, value: encodeButtonValue({ r: r.id }) },
  }));
  const blocks: KnownBlock[] = [
    header(title, 'title'),
    context(`${plural(page.total, 'remediation')}, due date first · page ${page.request.page} of ${page.pages}`, 'count'),
    ...items,
    context(footer(page), 'more'),
  ];
  return { text: `${title}: ${page.total} (page ${page.request.page} of ${page.pages})`, blocks };
}
