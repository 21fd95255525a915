/**
 * Every inbound interaction is applied once: a Slack retry (X-Slack-Retry-Num), a double click delivered twice,
 * or the same request reaching two replicas all claim the same idempotency key in the store; only the first goes
 * on, the others are acknowledged and dropped.
 *
 * A claim is in progress until the listener is through: then it is done for good. It is done as soon as the
 * listener says its step is recorded (`deliveryOf(context).recorded()`), so a failure after that (a Slack
 * outage, say) never lets a redelivery record the step twice. It is given back when the listener fails before
 * recording anything, or answers with inline errors (`giveBack()`), so the person's retry of the same values goes
 * through. And a claim whose process died holds only CLAIM_HOLD_MS: a crash never swallows the retry for good.
 */
import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Store } from '../../app/ports.js';
import type { Logger } from '../../logger.js';

type Body = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const digest = (v: unknown): string => createHash('sha256').update(JSON.stringify(v ?? null)).digest('hex').slice(0, 32);

/** How long a claim holds with nobody completing or giving it back (its process died mid-way). */
export const CLAIM_HOLD_MS = 60_000;

/** What a listener tells the dedupe middleware about the delivery it is handling. */
export interface Delivery {
  /** Its step is recorded: the delivery is done, whatever fails after. */
  recorded(): Promise<void>;
  /** Nothing was recorded and the same values may come again (an answer with inline errors): give the key back. */
  giveBack(): Promise<void>;
}

const DELIVERY = 'patchwarden.delivery';
const UNTRACKED: Delivery = { recorded: async () => undefined, giveBack: async () => undefined };

/** The delivery a listener is handling (its context as Bolt passes it). */
export const deliveryOf = (context: Record<string, unknown>): Delivery => (context[DELIVERY] as Delivery | undefined) ?? UNTRACKED;

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

/** A second submission of a modal whose first is still being saved: said on the form, which stays open. */
function stillSaving(body: Body): Record<string, unknown> | null {
  if (body.type !== 'view_submission') return null;
  const blocks = ((body.view as Body | undefined)?.blocks as Body[] | undefined) ?? [];
  const input = blocks.find((b) => b.type === 'input' && typeof b.block_id === 'string');
  if (!input) return null;
  return { response_action: 'errors', errors: { [str(input.block_id)]: 'This was already submitted and is still being saved. Close this window: the result shows on the remediation.' } };
}

export function dedupe(store: Store, now: () => Date, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    const key = interactionKey(body);
    if (key === null) return args.next();
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as (answer?: unknown) => Promise<void>) : null;
    if (!(await store.idempotency.claim(key, now(), CLAIM_HOLD_MS))) {
      const state = await store.idempotency.state(key);
      logger.info({ key, state: state?.state }, 'duplicate delivery dropped');
      const answer = state?.state === 'in_progress' ? stillSaving(body) : null;
      if (ack) await (answer ? ack(answer) : ack());
      return;
    }
    let open = true;
    const settle = async (how: 'complete' | 'release'): Promise<void> => {
      if (!open) return;
      open = false;
      await store.idempotency[how](key).catch((e: unknown) => logger.warn({ err: e, key }, `could not ${how} an idempotency key`));
    };
    args.context[DELIVERY] = { recorded: () => settle('complete'), giveBack: () => settle('release') } satisfies Delivery;
    try {
      await args.next();
    } catch (e) {
      await settle('release');
      throw e;
    }
    await settle('complete');
  };
}
