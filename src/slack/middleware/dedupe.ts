/**
 * Every inbound interaction is applied once: a Slack retry (X-Slack-Retry-Num), a double click delivered twice,
 * or the same request reaching two replicas all claim the same idempotency key in the store; only the first
 * goes on, the others are acknowledged and dropped. A delivery whose listener fails gives its key back, so the
 * person's retry (the same form submitted again after Slack showed an error) is not silently swallowed.
 */
import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Store } from '../../app/ports.js';
import type { Logger } from '../../logger.js';

type Body = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const digest = (v: unknown): string => createHash('sha256').update(JSON.stringify(v ?? null)).digest('hex').slice(0, 32);

/** The key that is the same for every delivery of one interaction, and different for any other. */
export function interactionKey(body: Body): string | null {
  switch (body.type) {
    case 'event_callback':
      return body.event_id ? `event:${str(body.event_id)}` : null;
    case 'block_actions': {
      const action = (body.actions as Body[] | undefined)?.[0];
      const user = (body.user as Body | undefined)?.id;
      return action ? `action:${str(user)}:${str(action.action_id)}:${str(action.action_ts)}` : null;
    }
    case 'view_submission': {
      // A corrected resubmission after inline errors has the same view id but other values: it must go through.
      const view = body.view as Body | undefined;
      return view ? `view:${str(view.id)}:${digest((view.state as Body | undefined)?.values)}` : null;
    }
    default:
      // Slash commands carry a fresh trigger_id per invocation.
      return body.command && body.trigger_id ? `command:${str(body.trigger_id)}` : null;
  }
}

export function dedupe(store: Store, now: () => Date, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = interactionKey(args.body as unknown as Body);
    if (key === null) return args.next();
    if (await store.idempotency.claim(key, now())) {
      try {
        await args.next();
      } catch (e) {
        await store.idempotency.release(key).catch((r: unknown) => logger.warn({ err: r, key }, 'could not release an idempotency key'));
        throw e;
      }
      return;
    }
    logger.info({ key }, 'duplicate delivery dropped');
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
