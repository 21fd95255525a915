/**
 * An interaction no listener answers (an action_id, a callback_id or a command that is not in ids.ts, a kind of
 * payload the bot does not use), or one without the parts every listener reads (who clicked, the action, the
 * submitted view and its state), is acknowledged at once and goes no further. Without this Bolt waits 3 s for an
 * ack that never comes and answers 404, which Slack shows as an error and retries. Every id the bot puts on a
 * surface is in ids.ts and has its listener (test/integration/ack-unknown.test.ts checks both).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { ACTION, COMMAND, INPUT, VIEW } from '../ids.js';

type Body = Record<string, unknown>;

/** The block action ids the bot listens to: its buttons, and the inputs that dispatch (the Assess severity). */
export const HANDLED_ACTIONS: ReadonlySet<string> = new Set([...Object.values(ACTION), INPUT.severity]);
export const HANDLED_VIEWS: ReadonlySet<string> = new Set(Object.values(VIEW));

const user = z.object({ id: z.string().min(1) });
/** What every button listener reads: who, and the action (its id one of ours). */
const blockActions = z.object({ user, actions: z.array(z.object({ action_id: z.string().refine((id) => HANDLED_ACTIONS.has(id)) })).min(1) });
/** What every submission listener reads: who, and the view with its id, metadata and state (its callback one of ours). */
const viewSubmission = z.object({
  user,
  view: z.object({
    id: z.string(),
    callback_id: z.string().refine((id) => HANDLED_VIEWS.has(id)),
    private_metadata: z.string().optional(),
    blocks: z.array(z.object({ type: z.string() })),
    state: z.object({ values: z.record(z.string(), z.unknown()) }),
  }),
});

/** Whether a listener answers this body; events are acknowledged by Bolt itself. */
export function isHandled(body: Body): boolean {
  switch (body.type) {
    case 'event_callback':
      return true;
    case 'block_actions':
      return blockActions.safeParse(body).success;
    case 'view_submission':
      return viewSubmission.safeParse(body).success;
    default:
      return body.command === COMMAND && typeof body.user_id === 'string' && typeof body.text === 'string';
  }
}

export function ackUnknown(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    if (isHandled(body)) return args.next();
    logger.info({ type: typeof body.type === 'string' ? body.type.slice(0, 40) : null }, 'an interaction no listener answers: acknowledged, nothing done');
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
