/**
 * The one place an error becomes words. A Refusal (an expected failure: wrong role, wrong state, bad input)
 * becomes its sentence, sent only to the person; anything else is logged with an id the person can quote.
 */
import { newErrorId } from '../../app/errors.js';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import { decodeModalMetadata } from '../ids.js';
import { Refusal } from '../refusal.js';
import { userMessage } from '../user-errors.js';

type Body = Record<string, unknown>;

/** Bolt wraps listener errors (UnknownError.original, MultipleListenerError.originals). */
export function findRefusal(e: unknown): Refusal | null {
  if (e instanceof Refusal) return e;
  const wrapped = e as { original?: unknown; originals?: unknown[] };
  if (wrapped.original) return findRefusal(wrapped.original);
  for (const o of wrapped.originals ?? []) {
    const r = findRefusal(o);
    if (r) return r;
  }
  return null;
}

/**
 * Where to tell the person: the channel they acted in (ephemeral) — for a modal, the channel it was opened from,
 * kept in its private_metadata — else their DM with the bot.
 */
function whereToTell(body: Body): { user: string; channel: string | null } | null {
  const user = (body.user as Body | undefined)?.id ?? body.user_id;
  if (typeof user !== 'string') return null;
  const fromModal = decodeModalMetadata((body.view as Body | undefined)?.private_metadata)?.ch;
  const channel = (body.channel as Body | undefined)?.id ?? body.channel_id ?? (body.container as Body | undefined)?.channel_id ?? fromModal;
  return { user, channel: typeof channel === 'string' ? channel : null };
}

export async function tell(client: WebClient, body: Body, text: string): Promise<void> {
  const to = whereToTell(body);
  if (!to) return;
  if (to.channel) {
    try {
      await client.chat.postEphemeral({ channel: to.channel, user: to.user, text });
      return;
    } catch {
      // not in that channel (a DM the bot can't post ephemerals in, an archived channel): fall back to the DM
    }
  }
  await client.chat.postMessage({ channel: to.user, text });
}

export function createErrorHandler(client: WebClient, logger: Logger) {
  return async ({ error, body }: { error: Error; body?: unknown }): Promise<void> => {
    const refusal = findRefusal(error);
    const b = (body ?? {}) as Body;
    let text: string;
    if (refusal) {
      text = userMessage(refusal.error);
      logger.info({ code: refusal.error.code }, 'refused');
    } else {
      const id = newErrorId();
      logger.error({ err: error, errorId: id }, 'listener failed');
      text = `Something went wrong on our side (error ${id}); it is logged. If you were saving something, check the remediation before trying again.`;
    }
    try {
      await tell(client, b, text);
    } catch (e) {
      logger.warn({ err: e }, 'could not tell the person about the error');
    }
  };
}
