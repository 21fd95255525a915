/**
 * Each remediation's one message, as the outbox's handlers (`remediation.message`, `remediation.note`): posted the
 * first time and its place recorded (with, in the same write, the effect that puts what is behind it in its thread:
 * `remediation.findings`, thread-findings.ts), updated in place after every step, a line added to its thread per note.
 *
 * Never two messages for one remediation: the drainer holds the remediation's lease while it works; a replay (an
 * attempt that crashed, or whose answer never came) first looks in the channel for a message it already posted
 * (message metadata names the remediation) and adopts it; and the place is recorded only if no other message was
 * recorded meanwhile (two drainers after a lost lease): the loser deletes its own post and updates the winner's.
 */
import type { WebClient } from '@slack/web-api';
import { EffectRefused, type EffectHandler, type OutboxDrainer } from '../../app/outbox/drain-outbox.js';
import type { Effect, EffectInput } from '../../app/outbox/effects.js';
import type { Store } from '../../app/ports.js';
import { writeVersioned } from '../../app/write-versioned.js';
import { err, ok } from '../../domain/result.js';
import type { MessageRef, Remediation } from '../../domain/remediation.js';
import type { Logger } from '../../logger.js';
import { remediationMessage, type MessageContext } from '../views/remediation-message.js';
import { MESSAGE_GONE, metadataFor, postedBefore, samePlace, slackCall, slackError, type Posted } from './posted-before.js';

export interface PublisherDeps {
  readonly client: WebClient;
  readonly channel: string;
  readonly store: Store;
  readonly context: () => MessageContext;
  readonly logger: Logger;
}

export interface RemediationMessages {
  /** `remediation.message`: post or update the subject's message to show it as stored now. */
  readonly message: EffectHandler;
  /** `remediation.note` `{ text }`: a line in its thread (the message posted first if it has none). */
  readonly note: EffectHandler;
}

/** What a step owes in Slack: its one message updated in place, and `note` in its thread. */
export const remediationEffects = (id: string, note: string): EffectInput[] => [
  { kind: 'remediation.message', subject: id },
  { kind: 'remediation.note', subject: id, data: { text: note } },
];

export interface RemediationPublisher {
  /** Records the remediation's message update (and `note`) in the outbox, does them, returns it as stored after. */
  publish(r: Remediation, note?: string): Promise<Remediation>;
}

/**
 * For a step whose own write could not carry its effects (the store's advisory review, say): records them right
 * after, then does them. Not one unit with the step (a crash in between loses them): where the write can take
 * `effects`, give them to it instead (src/app/outbox/README.md).
 */
export function createRemediationPublisher({ store, outbox }: { store: Store; outbox: OutboxDrainer }): RemediationPublisher {
  return {
    async publish(r, note) {
      await store.commit({ events: [], effects: note ? remediationEffects(r.id, note) : [{ kind: 'remediation.message', subject: r.id }] });
      await outbox.drain([r.id]);
      return (await store.remediations.get(r.id)) ?? r;
    },
  };
}

export function createRemediationMessages({ client, channel, store, context, logger }: PublisherDeps): RemediationMessages {
  const render = (r: Remediation) => remediationMessage(r, context());
  const update = (r: Remediation, ref: MessageRef) => slackCall(() => client.chat.update({ channel: ref.channel, ts: ref.ts, ...render(r) }));
  const remove = (ref: Posted): Promise<unknown> =>
    client.chat.delete({ channel: ref.channel, ts: ref.ts }).catch((e: unknown) => logger.warn({ err: e, ts: ref.ts }, 'could not delete a second message'));

  /** Posts it (or adopts what an earlier attempt posted), then records where, unless another was recorded first. */
  async function post(r: Remediation, effect: Effect, replay: boolean, replacing: MessageRef | null): Promise<MessageRef> {
    const found = replay ? await postedBefore(client, { channel }, (p) => p['remediation'] === r.id) : [];
    const [adopted, ...extra] = found.filter((m) => !samePlace(m, replacing));
    for (const m of extra) await remove(m);
    let ref: Posted;
    if (adopted) {
      await update(r, adopted);
      ref = adopted;
    } else {
      const { text, blocks } = render(r);
      const res = await slackCall(() =>
        client.chat.postMessage({ channel, text, blocks, metadata: metadataFor(effect, { remediation: r.id }), unfurl_links: false, unfurl_media: false }),
      );
      ref = { channel: res.channel ?? channel, ts: res.ts ?? '' };
    }
    // A first message owes what is behind it in its thread (a re-post after a deletion had it already).
    const findings = replacing ? [] : [{ kind: 'remediation.findings' as const, subject: r.id }];
    const written = await writeVersioned(store.remediations, r.id, (now) =>
      samePlace(now.message, replacing) ? ok({ next: { ...now, message: ref }, events: [], effects: findings }) : err({ code: 'message.taken' as const }),
    );
    if (written.ok) return ref;
    if (written.error.code !== 'message.taken') throw new Error(`could not record where ${r.id}'s message is (${written.error.code})`);
    const winner = (await store.remediations.get(r.id))?.message ?? null;
    if (!winner) throw new Error(`${r.id}'s message was recorded and then removed`);
    if (!samePlace(winner, ref)) {
      logger.warn({ remediationId: r.id, ts: ref.ts }, 'another message was recorded first; deleting this one');
      await remove(ref);
      await update(r, winner);
    }
    return winner;
  }

  /** The remediation's message, showing it as stored now (`refresh`), posted if it has none. */
  async function messageOf(r: Remediation, effect: Effect, replay: boolean, refresh: boolean): Promise<MessageRef> {
    if (!r.message) return post(r, effect, replay, null);
    if (!refresh) return r.message;
    try {
      await update(r, r.message);
      return r.message;
    } catch (e) {
      const code = slackError(e) ?? (e instanceof EffectRefused ? e.message : undefined);
      if (!code || !MESSAGE_GONE.has(code)) throw e;
      logger.warn({ remediationId: r.id }, 'the remediation message is gone; posting it again');
      return post(r, effect, replay, r.message);
    }
  }

  return {
    message: {
      run: async ([effect], { replay }) => {
        const r = effect && (await store.remediations.get(effect.subject));
        return r ? { ...(await messageOf(r, effect, replay, true)) } : {};
      },
    },
    note: {
      run: async ([effect], { replay }) => {
        const r = effect && (await store.remediations.get(effect.subject));
        if (!r) return {};
        const ref = await messageOf(r, effect, replay, false);
        const mine = (p: Readonly<Record<string, unknown>>) => p['effect'] === effect.id;
        const [already] = replay ? await postedBefore(client, { channel: ref.channel, thread: ref.ts }, mine) : [];
        if (already) return { ...already };
        const res = await slackCall(() =>
          client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: String(effect.data['text'] ?? ''), metadata: metadataFor(effect), unfurl_links: false }),
        );
        return { channel: res.channel ?? ref.channel, ts: res.ts ?? '' };
      },
    },
  };
}
