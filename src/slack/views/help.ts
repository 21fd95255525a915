/** `/patch help` (and the answer to a word `/patch` does not know): every subcommand, from the router's table. */
import { context, section } from './blocks.js';
import { escapeText, truncate } from './format.js';
import type { SlackMessage } from './remediation-message.js';

export interface HelpEntry {
  readonly usage: string;
  readonly summary: string;
}

export const NO_ROLE_SENTENCE =
  'You have no patchwarden role yet, so you can only read this help. Roles (lead, engineer, approver, manager, auditor) are set in the patchwarden policy file by Slack user or user group; every role may read status, lists and timelines. Ask your engineering lead to add you.';

export function helpMessage(command: string, entries: readonly HelpEntry[], opts: { unknown?: string; hasRole: boolean }): SlackMessage {
  const lines = entries.map((e) => `\`${command} ${e.usage}\`  ${e.summary}`);
  const intro = opts.unknown !== undefined ? `I don’t know \`${escapeText(truncate(opts.unknown, 40))}\`. Here is what \`${command}\` can do:` : `What \`${command}\` can do:`;
  return {
    text: `${intro}\n${lines.join('\n')}`,
    blocks: [
      section(intro, 'intro'),
      section(lines.join('\n'), 'commands'),
      ...(opts.hasRole ? [] : [section(`:information_source: ${NO_ROLE_SENTENCE}`, 'roles')]),
      context('Everything you ask here is answered only to you, except `status public`, which posts in the channel.', 'note'),
    ],
  };
}
