/**
 * Keeps each advisory's one message current, like the remediation publisher: posts it once (claimed first, so two
 * replicas or a sync and a digest never post it twice; where it is kept in kv `advisory-messages`), updates it in
 * place after its review, and adds a line to its thread. `postPending` posts the new advisories that await a review
 * and name no CVE we have open, newest first, a few per run so a first read of a long feed does not flood the
 * channel. A Slack failure is logged and given back (the next run tries again), never undone.
 */
import type { WebClient } from '@slack/web-api';
import { advisoryStatus, advisoryStatuses } from '../../app/advisories/advisory-status.js';
import type { Store } from '../../app/ports.js';
import type { MessageRef } from '../../domain/remediation.js';
import type { Logger } from '../../logger.js';
import { advisoryMessage } from '../views/advisory-message.js';

/** kv namespace: advisory id -> where its message is. */
export const ADVISORY_MESSAGES = 'advisory-messages';
/** Advisory messages posted per run at most. */
export const MAX_ADVISORY_MESSAGES = 20;

export interface AdvisoryPublisher {
  /** Updates (or posts) the advisory's message, then adds `note` to its thread. */
  publish(id: string, note?: string): Promise<void>;
  /** Posts the messages still owed; how many went out, and how many wait for a later run. */
  postPending(limit?: number): Promise<{ readonly posted: number; readonly waiting: number }>;
}

export interface AdvisoryPublisherDeps {
  readonly client: WebClient;
  readonly channel: string;
  readonly store: Store;
  readonly timeZone: string;
  readonly now: () => Date;
  readonly logger: Logger;
}

export function createAdvisoryPublisher({ client, channel, store, timeZone, now, logger }: AdvisoryPublisherDeps): AdvisoryPublisher {
  const refOf = (id: string): Promise<MessageRef | null> => store.kv.get<MessageRef>(ADVISORY_MESSAGES, id);

  /** Posts the message unless someone else has claimed it; true when this call posted it. */
  async function post(id: string): Promise<boolean> {
    const status = await advisoryStatus(store, id);
    if (!status || !(await store.idempotency.claim(`advisory-message:${id}`, now()))) return false;
    try {
      const { text, blocks } = advisoryMessage(status, timeZone);
      const res = await client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false });
      await store.kv.put(ADVISORY_MESSAGES, id, { channel: res.channel ?? channel, ts: res.ts ?? '' });
      return true;
    } catch (e) {
      await store.idempotency.release(`advisory-message:${id}`);
      throw e;
    }
  }

  return {
    async publish(id, note) {
      try {
        const status = await advisoryStatus(store, id);
        if (!status) return;
        let ref = await refOf(id);
        if (ref) await client.chat.update({ channel: ref.channel, ts: ref.ts, ...advisoryMessage(status, timeZone) });
        else if (await post(id)) ref = await refOf(id);
        if (note && ref) await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: note, unfurl_links: false });
      } catch (e) {
        logger.error({ err: e, advisoryId: id }, 'could not update the advisory message in Slack (the review is recorded)');
      }
    },
    async postPending(limit = MAX_ADVISORY_MESSAGES) {
      const unreviewed = await store.advisories.list({ reviewed: false });
      const posted = await store.kv.getMany<MessageRef>(ADVISORY_MESSAGES, unreviewed.map((a) => a.id));
      const owed = (await advisoryStatuses(store, unreviewed.filter((a) => !posted.has(a.id)))).filter((s) => s.links.length === 0);
      let sent = 0;
      for (const s of owed.slice(0, limit)) {
        try {
          if (await post(s.advisory.id)) sent += 1;
        } catch (e) {
          logger.warn({ err: e, advisoryId: s.advisory.id }, 'could not post an advisory message; the next run tries again');
        }
      }
      return { posted: sent, waiting: owed.length - sent };
    },
  };
}
