import { COMMAND } from '../ids.js';
import { helpMessage } from '../views/help.js';
import type { Subcommand } from './subcommand.js';

export const helpCommand: Subcommand = {
  name: 'help',
  usage: 'help',
  summary: 'this list',
  permission: null,
  handler: () => async ({ actor, commands, respond }) => {
    const hasRole = actor.kind === 'system' || actor.roles.length > 0;
    await respond({ response_type: 'ephemeral', ...helpMessage(COMMAND, commands, { hasRole }) });
  },
};
