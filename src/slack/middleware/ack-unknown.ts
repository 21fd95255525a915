/**
 * An interaction no listener answers (an action_id, a callback_id or a command that is not in ids.ts, a kind of
 * payload the bot does not use) is acknowledged at once and goes no further. Without this Bolt waits 3 s for an
 * ack that never comes and answers 404, which Slack shows as an error and retries. Every id the bot puts on a
 * surface is in ids.ts and has its listener (test/integration/ack-unknown.test.ts checks both).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { ACTION, COMMAND, INPUT, VIEW } from '../ids.js';

type Body = Record<string, unknown>;

/** The block action ids the bot listens to: its buttons, and the inputs that dispatch (the Assess severity). */
export const HANDLED_ACTIONS: ReadonlySet<string> = new Set([...Object.values(ACTION), INPUT.severity]);
export const HANDLED_VIEWS: ReadonlySet<string> = new Set(Object.values(VIEW));

/** Whether a listener answers this body; events are acknowledged by Bolt itself. */
export function isHandled(body: Body): boolean {
  switch (body.type) {
    case 'event_callback':
      return true;
    case 'block_actions': {
      const id = (Array.isArray(body.actions) ? (body.actions[0] as Body | undefined) : undefined)?.action_id;
      return typeof id === 'string' && HANDLED_ACTIONS.has(id);
    }
    case 'view_submission': {
      const id = (body.view as Body | undefined)?.callback_id;
      return typeof id === 'string' && HANDLED_VIEWS.has(id);
    }
    default:
      return body.command === COMMAND;
  }
}

export function ackUnknown(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    if (isHandled(body)) return args.next();
    logger.info({ type: body.type }, 'an interaction no listener answers: acknowledged, nothing done');
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
