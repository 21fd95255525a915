import { createListRemediations, LIST_WORDS, parseListArgs } from '../../app/reports/list-remediations.js';
import { escapeText } from '../views/format.js';
import { listMessage } from '../views/list.js';
import type { Subcommand } from './subcommand.js';

export const listCommand: Subcommand = {
  name: 'list',
  usage: `list [${LIST_WORDS.join('|')}] [page]`,
  summary: 'remediations a page at a time, due date first; words combine (`list overdue critical`)',
  permission: 'read',
  handler: (deps) => {
    const list = createListRemediations({ store: deps.store, now: deps.now });
    return async ({ args, userId, respond }) => {
      const request = parseListArgs(args);
      if (!request.ok) {
        await respond({
          response_type: 'ephemeral',
          text: `\`${escapeText(request.error.word)}\` is not something I can list by. Try \`/patch list\` with any of ${LIST_WORDS.map((w) => `\`${w}\``).join(', ')}, and a page number.`,
        });
        return;
      }
      await respond({ response_type: 'ephemeral', ...listMessage(await list(request.value, userId), deps.messageContext()) });
    };
  },
};
