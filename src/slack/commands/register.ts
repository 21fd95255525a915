/**
 * `/patch <subcommand> …`: ack at once, then find the subcommand in the table (an unknown word gets the help), check
 * the person may use it (a refusal is audited and said by the global error handler), and run its handler, which
 * answers through response_url. Also the list's Timeline button, which answers like `/patch show`.
 */
import type { App, RespondFn as Respond } from '@slack/bolt';
import { createTimeline } from '../../app/reports/timeline.js';
import type { SlackDeps } from '../deps.js';
import { ACTION, COMMAND, decodeButtonValue } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { helpMessage } from '../views/help.js';
import { timelineMessage } from '../views/timeline.js';
import type { CommandHandler, Subcommand } from './subcommand.js';
import { SUBCOMMANDS } from './table.js';

export function registerCommands(app: App, deps: SlackDeps, commands: readonly Subcommand[] = SUBCOMMANDS): void {
  const handlers = new Map<string, { sub: Subcommand; handle: CommandHandler }>(commands.map((sub) => [sub.name, { sub, handle: sub.handler(deps) }]));

  app.command(COMMAND, async ({ ack, command, respond }) => {
    await ack();
    const [word, ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const found = handlers.get((word ?? 'help').toLowerCase());
    // The subcommand says which turn it takes: an answer, or long work that must not hold a person's turn.
    await deps.turns.run(() => runCommand(command, { word, args, found }, respond), { lane: found?.sub.lane ?? 'answer', who: command.user_id });
  });

  type Routed = { readonly word: string | undefined; readonly args: string[]; readonly found: { sub: Subcommand; handle: CommandHandler } | undefined };

  async function runCommand(command: { user_id: string; channel_id: string; trigger_id: string }, { word, args, found }: Routed, respond: Respond): Promise<void> {
    const actor = await deps.roles.actorFor(command.user_id);
    if (!found) {
      const hasRole = actor.kind === 'system' || actor.roles.length > 0;
      await respond({ response_type: 'ephemeral', ...helpMessage(COMMAND, commands, { unknown: word ?? '', hasRole }) });
      return;
    }
    if (found.sub.permission) orRefuse(await deps.authorize(actor, found.sub.permission, `${COMMAND} ${found.sub.name}`));
    await found.handle({ args, userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, actor, respond, commands });
  }

  const timeline = createTimeline({ store: deps.store });
  app.action(ACTION.timeline, async ({ ack, body, action, respond }) => {
    await ack();
    const value = decodeButtonValue((action as { value?: unknown }).value);
    if (!value) return;
    await deps.turns.run(async () => {
      const actor = await deps.roles.actorFor(body.user.id);
      orRefuse(await deps.authorize(actor, 'read', value.r));
      await respond({ response_type: 'ephemeral', replace_original: false, ...timelineMessage(orRefuse(await timeline(value.r)), deps.messageContext()) });
    }, { lane: 'interaction', who: body.user.id });
  });
}
