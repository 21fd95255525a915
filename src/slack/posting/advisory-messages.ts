/**
 * Each advisory's one message, as the outbox's handlers (`advisory.message`, `advisory.note`; subject
 * `advisory:<id>`): posted the first time it is owed, with its place kept in kv `advisory-messages`; updated in place
 * after its review or a new link; a line added to its thread per note. Nothing is posted for an advisory that owes
 * no message (the baseline, or one a CVE links to a remediation) unless it has one already or was reviewed.
 *
 * Never two messages for one advisory: the drainer holds the subject's lease while it works; a replay (an attempt
 * that crashed, or whose answer never came) first looks in the channel for a message it already posted (message
 * metadata names the advisory) and adopts it; and where the message went is recorded by the one drain that claims
 * it (an idempotency key, decided by a unique insert): a second poster after a lost lease deletes its own message
 * and updates the recorded one.
 */
import type { WebClient } from '@slack/web-api';
import { advisoryOfSubject } from '../../app/advisories/advisory-messages.js';
import { advisoryStatus, type AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import { EffectRefused, type EffectHandler } from '../../app/outbox/drain-outbox.js';
import type { Effect } from '../../app/outbox/effects.js';
import type { Store } from '../../app/ports.js';
import type { Logger } from '../../logger.js';
import { advisoryMessage } from '../views/advisory-message.js';
import { MESSAGE_GONE, metadataFor, postedBefore, samePlace, slackCall, slackError, type Posted } from './posted-before.js';

/** kv namespace: advisory id -> where its message is. */
export const ADVISORY_MESSAGES = 'advisory-messages';
/** How long a claim to record a message's place holds: a drain that died holding it lets the next one record. */
export const RECORD_HOLD_MS = 60_000;

export interface AdvisoryMessagesDeps {
  readonly client: WebClient;
  readonly channel: string;
  readonly store: Pick<Store, 'advisories' | 'kv' | 'idempotency'>;
  readonly timeZone: () => string;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** A message is owed once posted, once reviewed, or while it awaits review (not the baseline, linked to nothing). */
const owed = (s: AdvisoryStatus, ref: Posted | null): boolean => ref !== null || s.review !== null || (!s.advisory.baseline && s.links.length === 0);

export function createAdvisoryMessages({ client, channel, store, timeZone, now, logger }: AdvisoryMessagesDeps): { message: EffectHandler; note: EffectHandler } {
  const refOf = (id: string): Promise<Posted | null> => store.kv.get<Posted>(ADVISORY_MESSAGES, id);
  const update = (s: AdvisoryStatus, ref: Posted) => slackCall(() => client.chat.update({ channel: ref.channel, ts: ref.ts, ...advisoryMessage(s, timeZone()) }));
  const remove = (ref: Posted): Promise<unknown> =>
    client.chat.delete({ channel: ref.channel, ts: ref.ts }).catch((e: unknown) => logger.warn({ err: e, ts: ref.ts }, 'could not delete a second advisory message'));

  /** Records where the message went, unless another drain recorded one first (then that one stands). */
  async function record(s: AdvisoryStatus, ref: Posted, replacing: Posted | null): Promise<Posted> {
    const id = s.advisory.id;
    const key = `advisory-message-place:${id}:${replacing?.ts ?? 'first'}`;
    if (await store.idempotency.claim(key, now(), RECORD_HOLD_MS)) {
      await store.kv.put(ADVISORY_MESSAGES, id, ref);
      await store.idempotency.complete(key);
      return ref;
    }
    const winner = await refOf(id);
    if (!winner || samePlace(winner, replacing)) throw new Error(`another drain is recording where ${id}'s message is; trying again later`);
    if (!samePlace(winner, ref)) {
      logger.warn({ advisoryId: id, ts: ref.ts }, 'another advisory message was recorded first; deleting this one');
      await remove(ref);
      await update(s, winner);
    }
    return winner;
  }

  /** Posts it (or adopts what an earlier attempt posted), then records where. */
  async function post(s: AdvisoryStatus, effect: Effect, replay: boolean, replacing: Posted | null): Promise<Posted> {
    const id = s.advisory.id;
    const found = replay ? await postedBefore(client, { channel }, (p) => p['advisory'] === id) : [];
    const [adopted, ...extra] = found.filter((m) => !samePlace(m, replacing));
    for (const m of extra) await remove(m);
    if (adopted) {
      await update(s, adopted);
      return record(s, adopted, replacing);
    }
    const res = await slackCall(() =>
      client.chat.postMessage({ channel, ...advisoryMessage(s, timeZone()), metadata: metadataFor(effect, { advisory: id }), unfurl_links: false, unfurl_media: false }),
    );
    return record(s, { channel: res.channel ?? channel, ts: res.ts ?? '' }, replacing);
  }

  /** The advisory's message, showing it as stored now (`refresh`), posted if it has none. */
  async function messageOf(s: AdvisoryStatus, ref: Posted | null, effect: Effect, replay: boolean, refresh: boolean): Promise<Posted> {
    if (!ref) return post(s, effect, replay, null);
    if (!refresh) return ref;
    try {
      await update(s, ref);
      return ref;
    } catch (e) {
      const code = slackError(e) ?? (e instanceof EffectRefused ? e.message : undefined);
      if (!code || !MESSAGE_GONE.has(code)) throw e;
      logger.warn({ advisoryId: s.advisory.id }, 'the advisory message is gone; posting it again');
      return post(s, effect, replay, ref);
    }
  }

  /** The advisory of the effect as stored now, and where its message is; null when it owes nothing. */
  async function load(effect: Effect): Promise<{ s: AdvisoryStatus; ref: Posted | null } | null> {
    const id = advisoryOfSubject(effect.subject);
    const s = id ? await advisoryStatus(store, id) : null;
    if (!s) return null;
    const ref = await refOf(s.advisory.id);
    return owed(s, ref) ? { s, ref } : null;
  }

  return {
    message: {
      run: async ([effect], { replay }) => {
        const found = effect && (await load(effect));
        return found ? { ...(await messageOf(found.s, found.ref, effect, replay, true)) } : { owed: false };
      },
    },
    note: {
      run: async ([effect], { replay }) => {
        const found = effect && (await load(effect));
        if (!found) return { owed: false };
        const ref = await messageOf(found.s, found.ref, effect, replay, false);
        const [already] = replay ? await postedBefore(client, { channel: ref.channel, thread: ref.ts }, (p) => p['effect'] === effect.id) : [];
        if (already) return { ...already };
        const res = await slackCall(() =>
          client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: String(effect.data['text'] ?? ''), metadata: metadataFor(effect), unfurl_links: false }),
        );
        return { channel: res.channel ?? ref.channel, ts: res.ts ?? '' };
      },
    },
  };
}
